import Foundation

/// Two hosts of a keepalived pair on one machine: two network namespaces joined
/// by a veth pair (10.213.0.1/24 and 10.213.0.2/24), each running Debian's
/// keepalived with a VRRP instance for the virtual address 10.213.0.100. Node 0
/// (priority 150) holds the address when the initializer returns; node 1
/// (priority 100) is its backup. Both are `nopreempt`, as the README advises, so
/// the address stays where it moved to.
///
/// The filesystem is shared, so a process started in a namespace (``command(_:_:)``)
/// reaches a Unix admin socket and a log file on the host, but not the host's
/// 127.0.0.1. Names are unique per instance; ``cleanup()`` (also run by `deinit`)
/// stops keepalived and deletes both namespaces, which takes the veth with them.
/// Needs root.
public final class KeepalivedPair: @unchecked Sendable {
    public struct SetupError: Error, CustomStringConvertible {
        public var description: String
    }

    public let virtualAddress = "10.213.0.100"
    public let namespaces: [String]
    public let interfaces: [String]
    public let directory: URL
    private let ip: String
    private let keepalived: String
    private var daemons: [ChildProcess?] = [nil, nil]
    private let cleaned = Locked(false)

    public static func find(_ name: String) -> String? {
        ["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Why this machine cannot run a pair, or nil when it can.
    public static var unavailable: String? {
        if getuid() != 0 { return "needs root, for network namespaces and keepalived" }
        if find("ip") == nil { return "`ip` (iproute2) is not installed" }
        if find("keepalived") == nil { return "keepalived is not installed: run scripts/install-deps (apt-get install -y keepalived)" }
        return nil
    }

    public init() throws {
        if let why = Self.unavailable { throw SetupError(description: why) }
        ip = Self.find("ip")!
        keepalived = Self.find("keepalived")!
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        namespaces = ["hascale-a-\(tag)", "hascale-b-\(tag)"]
        interfaces = ["hva\(tag)", "hvb\(tag)"]  // at most 15 characters
        directory = try HAProxyProcess.makeTemporaryDirectory("hascale-keepalived")
        do {
            for ns in namespaces { try run(["netns", "add", ns]) }
            try run(["link", "add", interfaces[0], "type", "veth", "peer", "name", interfaces[1]])
            for i in 0..<2 {
                try run(["link", "set", interfaces[i], "netns", namespaces[i]])
                try run(["-n", namespaces[i], "addr", "add", "10.213.0.\(i + 1)/24", "dev", interfaces[i]])
                try run(["-n", namespaces[i], "link", "set", interfaces[i], "up"])
                try run(["-n", namespaces[i], "link", "set", "lo", "up"])
            }
            // The first node alone, until it holds the address: which one is master is then not left to timing.
            try start(0)
            guard waitForHolder(0, timeout: 15) else { throw SetupError(description: "node 0 did not take \(virtualAddress) within 15 s:\n\(log(0))") }
            try start(1)
        } catch {
            cleanup()
            throw error
        }
    }

    /// `ip netns exec NAMESPACE` before `executable arguments…`: `ip` execs the command
    /// in place, so signals sent to the process reach it.
    public func command(_ node: Int, _ executable: String, _ arguments: [String]) -> (String, [String]) {
        (ip, ["netns", "exec", namespaces[node], executable] + arguments)
    }

    /// Whether `node` holds the virtual address now.
    public func holds(_ node: Int) -> Bool {
        (try? output(["-n", namespaces[node], "-4", "-o", "addr", "show", "dev", interfaces[node]]))?.contains(" \(virtualAddress)/") ?? false
    }

    /// Waits (polling every 20 ms) until `node` holds the address; false after `timeout` seconds.
    public func waitForHolder(_ node: Int, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if holds(node) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return holds(node)
    }

    /// Stops keepalived on `node` (SIGTERM: it gives up the address, as `systemctl stop keepalived` does).
    public func stop(_ node: Int) {
        daemons[node]?.terminate(timeout: 5)
        killChild(node)
    }

    /// What keepalived on `node` printed.
    public func log(_ node: Int) -> String { daemons[node]?.output.suffix(30).joined(separator: "\n") ?? "(not started)" }

    public func cleanup() {
        guard cleaned.withLock({ c in defer { c = true }; return !c }) else { return }
        for node in 0..<2 { stop(node) }
        for ns in namespaces { try? run(["netns", "del", ns]) }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { cleanup() }

    // MARK: setup

    private func start(_ node: Int) throws {
        let conf = directory.appendingPathComponent("keepalived-\(node).conf").path
        try """
            global_defs {
              router_id hascale_\(node)
            }
            vrrp_instance hascale {
              state BACKUP
              nopreempt
              interface \(interfaces[node])
              virtual_router_id 51
              priority \(node == 0 ? 150 : 100)
              advert_int 1
              virtual_ipaddress {
                \(virtualAddress)/24 dev \(interfaces[node])
              }
            }

            """.write(toFile: conf, atomically: true, encoding: .utf8)
        let (exe, args) = command(node, keepalived, ["--dont-fork", "--log-console", "--log-detail", "--vrrp", "--no-syslog",
                                                     "--use-file=\(conf)", "--pid=\(pidFile(node, "main"))", "--vrrp_pid=\(pidFile(node, "vrrp"))"])
        daemons[node] = try ChildProcess(exe, args)
    }

    private func pidFile(_ node: Int, _ kind: String) -> String { directory.appendingPathComponent("keepalived-\(node)-\(kind).pid").path }

    /// keepalived's VRRP child, should its parent have been killed before it could stop it.
    private func killChild(_ node: Int) {
        guard let text = try? String(contentsOfFile: pidFile(node, "vrrp"), encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0,
              // Still ours: the pid was not reused by another program since.
              let cmdline = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8),
              cmdline.contains("keepalived"), cmdline.contains(directory.path) else { return }
        kill(pid, SIGKILL)
    }

    @discardableResult
    private func output(_ arguments: [String]) throws -> String {
        let (code, text) = try ChildProcess.run(ip, arguments)
        guard code == 0 else { throw SetupError(description: "ip \(arguments.joined(separator: " ")) failed (\(code)): \(text)") }
        return text
    }

    private func run(_ arguments: [String]) throws { try output(arguments) }
}
