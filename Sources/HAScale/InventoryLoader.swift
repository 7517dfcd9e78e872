import HAProxyNames

/// One reason an inventory was refused: the file, the line, the field's JSON path, what is wrong.
public struct InventoryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Lets callers tell a file that is not there from one that is wrong,
    /// without reading the message.
    public enum Kind: Sendable, Equatable {
        /// No file at the path: commands that work without an inventory go on without one.
        case missing
        /// There, but not readable or not a file: never taken as "no inventory",
        /// or a manual command would lose the `always_up` protection it holds.
        case unreadable
        /// Not JSON; nothing after this point of the file was checked.
        case syntax
        /// JSON, but not an inventory: a wrong key, type, value or combination.
        case invalid
    }

    public var kind: Kind
    public var file: String
    public var line: Int
    public var path: String
    public var message: String

    public init(kind: Kind, file: String, line: Int, path: String, message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.path = path
        self.message = message
    }

    public var description: String {
        let place = line > 0 ? "\(file):\(line)" : file
        return path.isEmpty ? "\(place): \(message)" : "\(place): \(path): \(message)"
    }
}

/// Every reason a file was refused, in file order, so that one round of
/// editing fixes them all rather than one per `check-config`.
public struct InventoryRejection: Error, Equatable, Sendable, CustomStringConvertible {
    /// Never empty.
    public var errors: [InventoryError]

    public init(errors: [InventoryError]) {
        self.errors = errors
    }

    /// One `file:line: path: message` per line, as compilers print them, so
    /// editors can jump to each.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Validates `servers.json`. Everything is checked before anything is
/// returned, so a bad edit is refused whole and the running inventory stays.
/// Reading the file is the runtime's job (`InventoryFile`); this sees only text.
public enum InventoryLoader {
    /// Says why `haproxy.socket` cannot be used, or nil. The address grammar belongs
    /// to the runtime-API client, which the core does not link: `InventoryFile`
    /// passes the client's parser in. Alone, the core refuses only an empty path.
    public typealias SocketCheck = (String) -> String?

    public static func parse(_ text: String, file: String, checkSocket: SocketCheck = emptySocketPath) throws(InventoryRejection) -> Inventory {
        try parse(utf8: Array(text.utf8), file: file, checkSocket: checkSocket)
    }

    public static func parse(utf8 bytes: [UInt8], file: String, checkSocket: SocketCheck = emptySocketPath) throws(InventoryRejection) -> Inventory {
        let root: JSONNode
        do {
            root = try JSONDocument.parse(utf8: bytes)
        } catch {
            // The parser cannot resume after a syntax error; what follows is unchecked.
            throw InventoryRejection(errors: [InventoryError(kind: .syntax, file: file, line: error.line, path: "", message: error.message)])
        }
        var r = Reader(file: file)
        let inventory = r.inventory(root, checkSocket)
        guard r.errors.isEmpty else {
            // A missing key is reported at its parent's line, after the parent's
            // children were read: sort, keeping the reading order within a line.
            let ordered = r.errors.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
            throw InventoryRejection(errors: ordered.map(\.element))
        }
        return inventory
    }

    /// Reads on after a mistake, to report all of them. Each function reports
    /// what is wrong with its node and returns nil or a default; a check that
    /// combines fields runs only on fields read as written, so one mistake is not
    /// reported again in other words. A file with any mistake returns nothing.
    struct Reader {
        let file: String
        var errors: [InventoryError] = []

        mutating func fail(_ node: JSONNode, _ path: String, _ message: String) {
            errors.append(InventoryError(kind: .invalid, file: file, line: node.line, path: path, message: message))
        }

        /// The members with allowed keys; each unknown key is reported.
        mutating func object(_ node: JSONNode, _ path: String, allowed: Set<String>) -> [(key: String, value: JSONNode)]? {
            guard case .object(let members) = node.value else {
                fail(node, path, "must be an object, not \(node.value.typeName)")
                return nil
            }
            for m in members where !allowed.contains(m.key) {
                fail(m.value, path.isEmpty ? m.key : "\(path).\(m.key)",
                     "unknown key (allowed here: \(allowed.sorted().joined(separator: ", ")))")
            }
            return members.filter { allowed.contains($0.key) }
        }

        mutating func string(_ node: JSONNode, _ path: String) -> String? {
            guard case .string(let s) = node.value else {
                fail(node, path, "must be a string, not \(node.value.typeName)")
                return nil
            }
            return s
        }

        mutating func bool(_ node: JSONNode, _ path: String) -> Bool? {
            guard case .bool(let b) = node.value else {
                fail(node, path, "must be true or false, not \(node.value.typeName)")
                return nil
            }
            return b
        }

        /// A number from `min` (above it, when `aboveMin`) to `max`.
        mutating func number(_ node: JSONNode, _ path: String, min: Double = 0, aboveMin: Bool = false, max: Double = .infinity) -> Double? {
            guard case .number(let d) = node.value else {
                fail(node, path, "must be a number, not \(node.value.typeName)")
                return nil
            }
            guard d.isFinite, aboveMin ? d > min : d >= min, d <= max else {
                let low = aboveMin ? "above \(Self.bound(min))" : "at least \(Self.bound(min))"
                fail(node, path, max.isFinite ? "must be \(low) and at most \(Self.bound(max))" : "must be \(low)")
                return nil
            }
            return d
        }

        /// `1`, not `1.0`: bounds as operators write them.
        static func bound(_ d: Double) -> String {
            d == d.rounded() && d.magnitude < 1e15 ? "\(Int(d))" : "\(d)"
        }

        mutating func integer(_ node: JSONNode, _ path: String, min: Int = 0, max: Int = Int(Int32.max)) -> Int? {
            guard case .number(let d) = node.value, d == d.rounded(), d.magnitude < 1e15 else {
                fail(node, path, "must be a whole number")
                return nil
            }
            guard Int(d) >= min, Int(d) <= max else {
                fail(node, path, "must be between \(min) and \(max)")
                return nil
            }
            return Int(d)
        }

        mutating func name(_ text: String, _ node: JSONNode, _ path: String) -> ProxyName? {
            do {
                return try ProxyName(text)
            } catch {
                fail(node, path, "\(text.debugDescription) is not a name HAProxy accepts (letters, digits, '-', '_', '.', ':' only)")
                return nil
            }
        }

        mutating func inventory(_ root: JSONNode, _ checkSocket: SocketCheck) -> Inventory {
            var inv = Inventory(socket: nil, log: nil, backends: [])
            var sawBackends = false
            var logNode: JSONNode?
            for m in object(root, "", allowed: ["haproxy", "log", "log_sources_allowed", "log_receive_buffer_bytes", "leader", "metrics", "backends"]) ?? [] {
                switch m.key {
                case "haproxy":
                    for h in object(m.value, "haproxy", allowed: ["socket", "nodes"]) ?? [] {
                        if h.key == "nodes" {
                            guard case .object(let nodes) = h.value.value, !nodes.isEmpty else {
                                fail(h.value, "haproxy.nodes", "must be an object of node names and their runtime API, like { \"lb1\": \"ipv4@10.0.0.1:9999\" }")
                                continue
                            }
                            for n in nodes {
                                let path = "haproxy.nodes.\(n.key)"
                                guard let s = string(n.value, path) else { continue }
                                if let problem = checkSocket(s) { fail(n.value, path, problem) }
                                if let name = name(n.key, n.value, path) { inv.nodes.append(Inventory.Node(name: name, socket: s)) }
                            }
                            if inv.socket != nil { fail(h.value, "haproxy.nodes", "give either \"socket\" (one HAProxy) or \"nodes\", not both") }
                            continue
                        }
                        guard let s = string(h.value, "haproxy.socket") else { continue }
                        if let problem = checkSocket(s) { fail(h.value, "haproxy.socket", problem) }
                        if !inv.nodes.isEmpty { fail(h.value, "haproxy.socket", "give either \"socket\" (one HAProxy) or \"nodes\", not both") }
                        inv.socket = s
                    }
                case "log":
                    guard let text = string(m.value, "log") else { continue }
                    do { _ = try LogSource(parsing: text) } catch { fail(m.value, "log", error.problem) }
                    inv.log = text
                    logNode = m.value
                case "metrics":
                    guard let text = string(m.value, "metrics") else { continue }
                    do {
                        inv.metrics = try IPEndpoint(parsing: text, examplePort: 9101)
                    } catch {
                        fail(m.value, "metrics", "\(text.debugDescription) \(error.problem) (where `hascale run` serves /metrics)")
                    }
                case "log_receive_buffer_bytes":
                    inv.logReceiveBufferBytes = integer(m.value, "log_receive_buffer_bytes", min: 65_536, max: 1 << 30)
                case "leader":
                    inv.leader = leader(m.value)
                case "log_sources_allowed":
                    guard case .array(let items) = m.value.value else {
                        fail(m.value, "log_sources_allowed", "must be a list of IP addresses, like [\"10.0.0.5\"]")
                        continue
                    }
                    for (i, item) in items.enumerated() {
                        guard let text = string(item, "log_sources_allowed[\(i)]") else { continue }
                        guard let a = IPAddress(text) else {
                            fail(item, "log_sources_allowed[\(i)]", "\(text.debugDescription) is not an IP address (a literal, no host names)")
                            continue
                        }
                        inv.logSourcesAllowed.append(a)
                    }
                default:
                    sawBackends = true
                    guard case .object(let backends) = m.value.value, !backends.isEmpty else {
                        fail(m.value, "backends", "must be an object with at least one backend")
                        continue
                    }
                    for b in backends {
                        if let backend = backend(b.key, b.value) { inv.backends.append(backend) }
                    }
                }
            }
            if let node = logNode, let text = inv.log, let source = try? LogSource(parsing: text),
               source.listensBeyondLoopback, inv.logSourcesAllowed.isEmpty {
                fail(node, "log", "listens beyond loopback: list the HAProxy hosts that may send in \"log_sources_allowed\" (or bind to 127.0.0.1)")
            }
            if case .object = root.value, !sawBackends {
                fail(root, "backends", "is missing: name at least one backend and its servers")
            }
            return inv
        }

        /// `{ "vrrp_address": "10.0.0.100" }`: a literal that only one node holds at a time,
        /// so never a loopback address (every host holds those: both nodes would act).
        mutating func leader(_ node: JSONNode) -> Inventory.Leader? {
            guard let members = object(node, "leader", allowed: ["vrrp_address"]) else { return nil }
            guard let m = members.first(where: { $0.key == "vrrp_address" }) else {
                fail(node, "leader.vrrp_address", "is missing: give keepalived's virtual_ipaddress, like \"10.0.0.100\"")
                return nil
            }
            guard let text = string(m.value, "leader.vrrp_address") else { return nil }
            guard let address = IPAddress(text) else {
                fail(m.value, "leader.vrrp_address", "\(text.debugDescription) is not an IP address (a literal, no host names, no /prefix): give keepalived's virtual_ipaddress")
                return nil
            }
            guard !address.isLoopback else {
                fail(m.value, "leader.vrrp_address", "\(text) is a loopback address, which every host holds, so both controllers would act: give keepalived's virtual_ipaddress")
                return nil
            }
            if address == .v4(0) || address == .v6(Array(repeating: 0, count: 16)) {
                fail(m.value, "leader.vrrp_address", "\(text) is the unspecified address, which no host holds, so this controller would never act: give keepalived's virtual_ipaddress")
                return nil
            }
            return Inventory.Leader(vrrpAddress: address)
        }

        mutating func backend(_ key: String, _ node: JSONNode) -> Inventory.Backend? {
            let path = "backends.\(key)"
            let before = errors.count
            let name = self.name(key, node, path)
            guard let members = object(node, path, allowed: ["policy", "servers"]) else { return nil }
            var policy = Inventory.Policy()
            var policyNode: JSONNode?
            var policyErrors: ArraySlice<InventoryError> = []
            var entries: Int?
            var servers: [Inventory.Server] = []
            for m in members {
                if m.key == "policy" {
                    policyNode = m.value
                    let start = errors.count
                    policy = self.policy(m.value, "\(path).policy")
                    policyErrors = errors[start...]
                } else {
                    guard case .object(let list) = m.value.value, !list.isEmpty else {
                        fail(m.value, "\(path).servers", "must be an object with at least one server")
                        continue
                    }
                    entries = list.count
                    for s in list {
                        if let server = server(s.key, s.value, "\(path).servers.\(s.key)") { servers.append(server) }
                    }
                }
            }
            if !members.contains(where: { $0.key == "servers" }) {
                fail(node, "\(path).servers", "is missing: a backend needs at least one server")
            }
            /// Whether a policy field was read as written: no error at it, nor at an object holding it.
            func clean(_ field: String) -> Bool {
                let p = "\(path).policy.\(field)"
                return !policyErrors.contains { p == $0.path || p.hasPrefix($0.path + ".") }
            }
            let at = policyNode ?? node
            if let entries, clean("min_active"), policy.minActive > entries {
                fail(at, "\(path).policy.min_active", "is \(policy.minActive) but the backend has only \(entries) server(s)")
            }
            if let max = policy.maxActive, clean("max_active") {
                if clean("min_active"), max < policy.minActive {
                    fail(at, "\(path).policy.max_active", "is \(max), below min_active \(policy.minActive)")
                }
                // A server whose always_up could not be read counts as not pinned: the
                // count is a lower bound, so a refusal is never a guess.
                let pinned = servers.filter(\.alwaysUp).count
                if pinned > max {
                    fail(at, "\(path).policy.max_active", "is \(max) but \(pinned) servers are always_up")
                }
            }
            if clean("scale_up.threshold_ms"), clean("scale_down.threshold_ms"),
                policy.effectiveScaleDownThresholdMs >= policy.scaleUpThresholdMs {
                fail(at, "\(path).policy.scale_down.threshold_ms", "must be below scale_up.threshold_ms, or hascale would flap")
            }
            if let entries, let max = policy.outliers.maxEjected, clean("outliers.max_ejected"), max >= entries {
                fail(at, "\(path).policy.outliers.max_ejected",
                     "is \(max) but the backend has \(entries) server(s): it must be below that, or ejecting every server would empty the backend")
            }
            guard errors.count == before, let name else { return nil }
            return Inventory.Backend(name: name, policy: policy, servers: servers)
        }

        /// The server as far as it could be read (defaults where a field is wrong,
        /// for the backend's checks), or nil when its name or shape is wrong.
        mutating func server(_ key: String, _ node: JSONNode, _ path: String) -> Inventory.Server? {
            let name = self.name(key, node, path)
            guard let members = object(node, path, allowed: ["active", "always_up", "warmup_url", "weight", "priority"]) else { return nil }
            var active: Bool?
            var alwaysUp: Bool? = false
            var url: String?
            var weight: Int?
            var priority: Int?
            for m in members {
                let p = "\(path).\(m.key)"
                switch m.key {
                case "active": active = bool(m.value, p)
                case "always_up": alwaysUp = bool(m.value, p)
                case "weight": weight = integer(m.value, p, min: 1, max: 256)
                case "priority": priority = integer(m.value, p, min: -1000, max: 1000)
                default:
                    guard let text = string(m.value, p) else { continue }
                    if let problem = InventoryLoader.urlProblem(text) {
                        fail(m.value, p, "\(text.debugDescription) is not an http:// or https:// URL with a host: \(problem)")
                    }
                    url = text
                }
            }
            if !members.contains(where: { $0.key == "active" }) {
                fail(node, "\(path).active", "is missing: say whether the server starts in service (true or false)")
            }
            if let active, let alwaysUp, alwaysUp && !active {
                fail(node, "\(path).always_up", "an always_up server must also be active")
            }
            guard let name else { return nil }
            return Inventory.Server(name: name, active: active ?? false, alwaysUp: alwaysUp ?? false, warmupURL: url, weight: weight, priority: priority ?? 0)
        }

        /// The policy as far as it could be read: defaults where a field is wrong.
        mutating func policy(_ node: JSONNode, _ path: String) -> Inventory.Policy {
            var p = Inventory.Policy()
            let keys: Set<String> = ["metric", "aggregate", "window_requests", "window_seconds", "scale_up", "scale_down",
                                     "min_active", "max_active", "resync_seconds", "warmup", "drain_timeout_seconds", "ramp_seconds",
                                     "outliers", "sizing"]
            for m in object(node, path, allowed: keys) ?? [] {
                let k = "\(path).\(m.key)"
                switch m.key {
                case "metric":
                    guard let v = string(m.value, k) else { continue }
                    if let metric = Inventory.Policy.Metric(rawValue: v) { p.metric = metric } else { fail(m.value, k, "must be one of Tr, Ta, Tc, Tt") }
                case "aggregate":
                    guard let v = string(m.value, k) else { continue }
                    if let a = Inventory.Policy.Aggregate(rawValue: v) { p.aggregate = a } else { fail(m.value, k, "must be one of mean, p50, p90, p95, p99") }
                case "sizing":
                    guard let v = string(m.value, k) else { continue }
                    if let sizing = Inventory.Policy.Sizing(rawValue: v) {
                        p.sizing = sizing
                    } else {
                        fail(m.value, k, "must be one of \(Inventory.Policy.Sizing.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                case "window_requests": p.windowRequests = integer(m.value, k, min: 1, max: 100_000) ?? p.windowRequests
                case "window_seconds": p.windowSeconds = number(m.value, k) ?? p.windowSeconds
                case "min_active": p.minActive = integer(m.value, k, min: 1) ?? p.minActive
                case "max_active": p.maxActive = integer(m.value, k, min: 1)
                case "resync_seconds": p.resyncSeconds = number(m.value, k, min: 1) ?? p.resyncSeconds
                case "drain_timeout_seconds": p.drainTimeoutSeconds = number(m.value, k) ?? p.drainTimeoutSeconds
                case "ramp_seconds": p.rampSeconds = number(m.value, k) ?? p.rampSeconds
                case "scale_up":
                    for u in object(m.value, k, allowed: ["threshold_ms", "breaches", "cooldown_seconds", "step", "headroom", "max_step"]) ?? [] {
                        let uk = "\(k).\(u.key)"
                        switch u.key {
                        case "threshold_ms": p.scaleUpThresholdMs = number(u.value, uk, min: 1) ?? p.scaleUpThresholdMs
                        case "breaches": p.scaleUpBreaches = integer(u.value, uk, min: 1, max: 1000) ?? p.scaleUpBreaches
                        case "cooldown_seconds": p.scaleUpCooldownSeconds = number(u.value, uk) ?? p.scaleUpCooldownSeconds
                        case "headroom": p.scaleUpHeadroom = number(u.value, uk, min: 0, max: 0.9) ?? p.scaleUpHeadroom
                        case "max_step": p.scaleUpMaxStep = integer(u.value, uk, min: 1, max: 1000)
                        default: p.scaleUpStep = integer(u.value, uk, min: 1, max: 100) ?? p.scaleUpStep
                        }
                    }
                case "scale_down":
                    for d in object(m.value, k, allowed: ["threshold_ms", "after_seconds", "max_error_rate", "max_step"]) ?? [] {
                        let dk = "\(k).\(d.key)"
                        switch d.key {
                        case "threshold_ms": p.scaleDownThresholdMs = number(d.value, dk)
                        case "after_seconds": p.scaleDownAfterSeconds = number(d.value, dk) ?? p.scaleDownAfterSeconds
                        case "max_step": p.scaleDownMaxStep = integer(d.value, dk, min: 1, max: 1000) ?? p.scaleDownMaxStep
                        default: p.scaleDownMaxErrorRate = number(d.value, dk, max: 1) ?? p.scaleDownMaxErrorRate
                        }
                    }
                case "outliers":
                    p.outliers = outliers(m.value, k)
                default:
                    for w in object(m.value, k, allowed: ["timeout_seconds", "attempts", "backoff_seconds"]) ?? [] {
                        let wk = "\(k).\(w.key)"
                        switch w.key {
                        case "timeout_seconds": p.warmupTimeoutSeconds = number(w.value, wk, min: 0.001) ?? p.warmupTimeoutSeconds
                        case "attempts": p.warmupAttempts = integer(w.value, wk, min: 1, max: 100) ?? p.warmupAttempts
                        default: p.warmupBackoffSeconds = number(w.value, wk) ?? p.warmupBackoffSeconds
                        }
                    }
                }
            }
            return p
        }

        /// `policy.outliers` as far as it could be read: defaults where a field is wrong.
        mutating func outliers(_ node: JSONNode, _ path: String) -> Inventory.Policy.Outliers {
            typealias Outliers = Inventory.Policy.Outliers
            var o = Outliers()
            let keys: Set<String> = ["mode", "consecutive", "factor", "min_requests", "error_rate", "max_ejected", "ejection_seconds"]
            for m in object(node, path, allowed: keys) ?? [] {
                let k = "\(path).\(m.key)"
                switch m.key {
                case "mode":
                    guard let v = string(m.value, k) else { continue }
                    if let mode = Outliers.Mode(rawValue: v) {
                        o.mode = mode
                    } else {
                        fail(m.value, k, "must be one of \(Outliers.Mode.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                case "consecutive": o.consecutive = integer(m.value, k, min: 1) ?? o.consecutive
                case "factor": o.factor = number(m.value, k, min: 1, aboveMin: true) ?? o.factor
                case "min_requests": o.minRequests = integer(m.value, k, min: 1) ?? o.minRequests
                case "error_rate": o.errorRate = number(m.value, k, min: 0, aboveMin: true, max: 1) ?? o.errorRate
                case "max_ejected": o.maxEjected = integer(m.value, k, min: 1)
                default: o.ejectionSeconds = number(m.value, k, min: 1) ?? o.ejectionSeconds
                }
            }
            return o
        }
    }
}

extension InventoryLoader {
    /// The one rule about `haproxy.socket` that needs no address grammar.
    public static func emptySocketPath(_ text: String) -> String? {
        text.isEmpty ? "is empty; write a Unix socket path, ipv4@ADDR:PORT or ipv6@[ADDR]:PORT" : nil
    }

    /// Why `text` is not an `http://` or `https://` URL with a host, or nil.
    /// Hand-written because the core links no Foundation: scheme, optional user
    /// info, a host name or `[IPv6]`, an optional port, then any path and query.
    /// Public for `hascale init`, which writes only `warmup_url`s this accepts.
    public static func urlProblem(_ text: String) -> String? {
        let rest: Substring
        if text.hasPrefix("http://") {
            rest = text.dropFirst(7)
        } else if text.hasPrefix("https://") {
            rest = text.dropFirst(8)
        } else {
            return "it does not start with http:// or https://"
        }
        guard text.utf8.allSatisfy(isURLByte) else { return "it holds a space or a character URLs cannot hold; percent-encode it" }
        var authority = rest[..<(rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex)]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let host: Substring
        var port: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return "the IPv6 address has no closing ]" }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return "only :PORT may follow the IPv6 address" }
                port = after.dropFirst()
            }
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return "the IPv6 address is not one" }
        } else {
            if let colon = authority.firstIndex(of: ":") {
                host = authority[..<colon]
                port = authority[authority.index(after: colon)...]
            } else {
                host = authority
            }
            guard !host.isEmpty else { return "it has no host" }
            guard host.allSatisfy({ $0.isLetter || $0.isNumber || "-._~%".contains($0) }) else { return "the host holds a character host names cannot" }
        }
        if let port {
            guard !port.isEmpty, port.allSatisfy({ $0 >= "0" && $0 <= "9" }), let n = Int(port), (1...65535).contains(n) else {
                return "the port must be a number from 1 to 65535"
            }
        }
        return nil
    }

    /// RFC 3986's unreserved and reserved characters, and `%` for escapes.
    private static func isURLByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: "-._~:/?#[]@!$&'()*+,;=%".utf8.contains(b)
        }
    }
}
