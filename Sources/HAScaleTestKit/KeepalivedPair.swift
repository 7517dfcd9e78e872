import Foundation

/// Two hosts of a keepalived pair on one machine: two network namespaces
/// (``NetworkNamespaces``) joined by a veth pair (10.213.0.1/24 and 10.213.0.2/24),
/// each running Debian's keepalived with a VRRP instance for the virtual address
/// 10.213.0.100. Node 0 (priority 150) holds the address when the initializer
/// returns; node 1 (priority 100) is its backup. Both are `nopreempt`, as the README
/// advises, so the address stays where it moved to.
///
/// A process started in a namespace (``command(_:_:_:)``) reaches a Unix admin socket
/// and a log file on the host, but not the host's 127.0.0.1. ``cleanup()`` (also run
/// by `deinit`) stops keepalived and deletes both namespaces, which takes the veth
/// with them. Needs root.
public final class KeepalivedPair: @unchecked Sendable {
    public struct SetupError: Error, CustomStringConvertible {
        public var description: String
    }

    public let virtualAddress = "10.213.0.100"
    public let network: NetworkNamespaces
    public let interfaces: [String]
    public let directory: URL
    private let keepalived: String
    private var daemons: [ChildProcess?] = [nil, nil]
    private let cleaned = Locked(false)

    /// Why this machine cannot run a pair, or nil when it can.
    public static var unavailable: String? {
        if let why = NetworkNamespaces.unavailable { return why }
        if NetworkNamespaces.find("keepalived") == nil { return "keepalived is not installed: run scripts/install-deps (apt-get install -y keepalived)" }
        return nil
    }

    public init() throws {
        if let why = Self.unavailable { throw SetupError(description: why) }
        keepalived = NetworkNamespaces.find("keepalived")!
        // Should these throw, `network` is released, and its deinit deletes the namespaces.
        network = try NetworkNamespaces(["a", "b"])
        let ends = try network.connect(0, 1, addresses: ("10.213.0.1/24", "10.213.0.2/24"))
        interfaces = [ends.0, ends.1]
        directory = try HAProxyProcess.makeTemporaryDirectory("hascale-keepalived")
        do {
            // The first node alone, until it holds the address: which one is master is then not left to timing.
            try start(0)
            guard waitForHolder(0, timeout: 15) else { throw SetupError(description: "node 0 did not take \(virtualAddress) within 15 s:\n\(log(0))") }
            try start(1)
        } catch {
            cleanup()
            throw error
        }
    }

    /// `ip netns exec NAMESPACE` before `executable arguments…` (``NetworkNamespaces/command(_:_:_:)``).
    public func command(_ node: Int, _ executable: String, _ arguments: [String]) -> (String, [String]) {
        network.command(node, executable, arguments)
    }

    /// Whether `node` holds the virtual address now.
    public func holds(_ node: Int) -> Bool {
        (try? network.output(["-n", network.names[node], "-4", "-o", "addr", "show", "dev", interfaces[node]]))?.contains(" \(virtualAddress)/") ?? false
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
        network.cleanup()
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
}
