import Foundation

/// Network namespaces a test creates for itself, joined by veth pairs, and removes
/// again: the two hosts of a keepalived pair (``KeepalivedPair``), HAProxy nodes each
/// on an address of its own (the multi-node end-to-end test). They exist so that a
/// test can have several hosts, each with its own addresses and ports, without
/// touching any address but its own.
///
/// Names carry a random tag, so two runs never share a namespace or an interface.
/// ``cleanup()`` (also run by `deinit`) deletes every namespace, which deletes the
/// veth ends inside it, their peers in the root namespace and those peers' addresses
/// with them, and removes the name ``nameRoot()`` gave the root namespace. Stop the
/// processes started inside first: a namespace outlives its name while a process is
/// in it. Needs root and `ip` (iproute2).
///
/// The filesystem is shared: a process started in a namespace (``command(_:_:_:)``)
/// reaches Unix sockets and files on the host, but not the host's 127.0.0.1.
public final class NetworkNamespaces: @unchecked Sendable {
    public struct SetupError: Error, CustomStringConvertible {
        public var description: String
    }

    /// A veth pair from the root namespace into one namespace, a /24 of its own
    /// between them: `.1` on the root side, `.2` inside.
    public struct RootLink: Sendable {
        public let rootInterface: String
        public let interface: String
        public let rootAddress: String
        public let address: String
    }

    /// The namespaces' names, in the order of the roles given to the initializer.
    public let names: [String]
    /// The random part of every name, interfaces included (8 hex digits at most).
    public let tag: String
    private let ip: String
    /// The first end of every veth pair made, in creation order.
    private let links = Locked([String]())
    private let rootName = Locked<String?>(nil)
    private let cleaned = Locked(false)

    /// A system tool by name, in the sbin and bin directories (Debian's /usr/sbin is not always on PATH).
    public static func find(_ name: String) -> String? {
        ["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Why this machine cannot create namespaces, or nil when it can.
    public static var unavailable: String? {
        if getuid() != 0 { return "needs root, for network namespaces" }
        if find("ip") == nil { return "`ip` (iproute2) is not installed: run scripts/install-deps" }
        return nil
    }

    /// One namespace per role, `hascale-ROLE-TAG`, each with its loopback up.
    public init(_ roles: [String]) throws {
        if let why = Self.unavailable { throw SetupError(description: why) }
        ip = Self.find("ip")!
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        self.tag = tag
        names = roles.map { "hascale-\($0)-\(tag)" }
        do {
            for ns in names {
                try run(["netns", "add", ns])
                try run(["-n", ns, "link", "set", "lo", "up"])
            }
        } catch {
            cleanup()
            throw error
        }
    }

    /// A veth pair between namespaces `a` and `b`, each end given its address (`10.213.0.1/24`)
    /// and brought up. Answers the two ends' interface names, `a`'s first.
    @discardableResult
    public func connect(_ a: Int, _ b: Int, addresses: (String, String)) throws -> (String, String) {
        let (ea, eb) = try vethPair()
        for (end, node, address) in [(ea, a, addresses.0), (eb, b, addresses.1)] {
            try run(["link", "set", end, "netns", names[node]])
            try run(["-n", names[node], "addr", "add", address, "dev", end])
            try run(["-n", names[node], "link", "set", end, "up"])
        }
        return (ea, eb)
    }

    /// A veth pair from the root namespace into namespace `node`, on a 10.213.X.0/24 that no
    /// address or route of the root namespace is in yet (X from 16 to 250, tried from a random
    /// start, so that concurrent runs do not pick the same one), and a default route inside
    /// through the root end: the namespace reaches every address of the root namespace (but not
    /// its 127.0.0.1), and the root namespace reaches the address inside.
    public func connectToRoot(_ node: Int) throws -> RootLink {
        let used = try output(["-4", "-o", "addr", "show"]) + "\n" + output(["-4", "route", "show"])
        let start = Int.random(in: 16...250)
        let free = (0..<235).map { 16 + (start - 16 + $0) % 235 }.first { x in
            !used.contains(" 10.213.\(x).") && !used.contains("\n10.213.\(x).")
        }
        guard let x = free else {
            throw SetupError(description: "every 10.213.X.0/24 from X = 16 to 250 has an address or a route in the root namespace already")
        }
        let (rootEnd, end) = try vethPair()
        let link = RootLink(rootInterface: rootEnd, interface: end, rootAddress: "10.213.\(x).1", address: "10.213.\(x).2")
        try run(["link", "set", end, "netns", names[node]])
        try run(["addr", "add", "\(link.rootAddress)/24", "dev", rootEnd])
        try run(["link", "set", rootEnd, "up"])
        try run(["-n", names[node], "addr", "add", "\(link.address)/24", "dev", end])
        try run(["-n", names[node], "link", "set", end, "up"])
        try run(["-n", names[node], "route", "add", "default", "via", link.rootAddress])
        return link
    }

    /// A name for the root namespace (`ip netns attach` on this process), so that a program
    /// inside a namespace can still open sockets in the root one: HAProxy's `server …
    /// namespace NAME` reaches the host's 127.0.0.1 that way. The same name on every call.
    public func nameRoot() throws -> String {
        if let name = rootName.withLock({ $0 }) { return name }
        let name = "hascale-root-\(tag)"
        try run(["netns", "attach", name, String(getpid())])
        rootName.withLock { $0 = name }
        return name
    }

    /// `ip netns exec NAMESPACE` before `executable arguments…`: `ip` execs the command
    /// in place, so signals sent to the process reach it.
    public func command(_ node: Int, _ executable: String, _ arguments: [String]) -> (String, [String]) {
        (ip, ["netns", "exec", names[node], executable] + arguments)
    }

    /// `ip arguments…`, answering what it printed; throws with its output when it fails.
    @discardableResult
    public func output(_ arguments: [String]) throws -> String {
        let (code, text) = try ChildProcess.run(ip, arguments)
        guard code == 0 else { throw SetupError(description: "ip \(arguments.joined(separator: " ")) failed (\(code)): \(text)") }
        return text
    }

    /// Deletes every namespace and the root namespace's name; a second call does nothing.
    public func cleanup() {
        guard cleaned.withLock({ c in defer { c = true }; return !c }) else { return }
        // A root-side end (or one a failed set-up left in the root namespace) goes at once, with its
        // address, even if a process still holds its peer's namespace; the others are not found here.
        for end in links.withLock({ $0 }) { try? run(["link", "del", end]) }
        for ns in names { try? run(["netns", "del", ns]) }
        // Only the name goes: `ip netns del` unmounts it, and the root namespace lives on.
        if let name = rootName.withLock({ $0 }) { try? run(["netns", "del", name]) }
    }

    deinit { cleanup() }

    // MARK: setup

    /// A new veth pair in the root namespace, named `hv` + tag + its number + `a`/`b` (at most 15 characters).
    private func vethPair() throws -> (String, String) {
        let ends = links.withLock { made in
            let ends = ("hv\(tag)\(made.count)a", "hv\(tag)\(made.count)b")
            made.append(ends.0)
            return ends
        }
        try run(["link", "add", ends.0, "type", "veth", "peer", "name", ends.1])
        return ends
    }

    private func run(_ arguments: [String]) throws { try output(arguments) }
}
