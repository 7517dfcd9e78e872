import Foundation
import HAProxySocket

/// Why an inventory was refused: the file, the line, the field's JSON path, what is wrong.
public struct InventoryError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var path: String
    public var message: String

    public var description: String {
        let place = line > 0 ? "\(file):\(line)" : file
        return path.isEmpty ? "\(place): \(message)" : "\(place): \(path): \(message)"
    }
}

/// Reads and validates `servers.json`. Everything is checked before anything is
/// returned, so a bad edit is refused whole and the running inventory stays.
public enum InventoryLoader {
    public static func load(path: String) throws(InventoryError) -> Inventory {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let why: String
            if !FileManager.default.fileExists(atPath: path) {
                why = "no such file; copy examples/servers.json there and edit it, or give --config"
            } else if !FileManager.default.isReadableFile(atPath: path) {
                why = "not readable by this user; check its owner and mode"
            } else {
                why = error.localizedDescription
            }
            throw InventoryError(file: path, line: 0, path: "", message: "cannot read the file: \(why)")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(InventoryError) -> Inventory {
        let root: JSONNode
        do {
            root = try JSONDocument.parse(text)
        } catch {
            throw InventoryError(file: file, line: error.line, path: "", message: error.message)
        }
        var r = Reader(file: file)
        return try r.inventory(root)
    }

    struct Reader {
        let file: String

        func fail(_ node: JSONNode, _ path: String, _ message: String) -> InventoryError {
            InventoryError(file: file, line: node.line, path: path, message: message)
        }

        func object(_ node: JSONNode, _ path: String, allowed: Set<String>) throws(InventoryError) -> [(key: String, value: JSONNode)] {
            guard case .object(let members) = node.value else { throw fail(node, path, "must be an object, not \(node.value.typeName)") }
            for m in members where !allowed.contains(m.key) {
                throw fail(m.value, path.isEmpty ? m.key : "\(path).\(m.key)",
                           "unknown key (allowed here: \(allowed.sorted().joined(separator: ", ")))")
            }
            return members
        }

        func string(_ node: JSONNode, _ path: String) throws(InventoryError) -> String {
            guard case .string(let s) = node.value else { throw fail(node, path, "must be a string, not \(node.value.typeName)") }
            return s
        }

        func bool(_ node: JSONNode, _ path: String) throws(InventoryError) -> Bool {
            guard case .bool(let b) = node.value else { throw fail(node, path, "must be true or false, not \(node.value.typeName)") }
            return b
        }

        func number(_ node: JSONNode, _ path: String, min: Double = 0) throws(InventoryError) -> Double {
            guard case .number(let d) = node.value else { throw fail(node, path, "must be a number, not \(node.value.typeName)") }
            guard d >= min, d.isFinite else { throw fail(node, path, "must be at least \(min)") }
            return d
        }

        func integer(_ node: JSONNode, _ path: String, min: Int = 0, max: Int = Int(Int32.max)) throws(InventoryError) -> Int {
            guard case .number(let d) = node.value, d == d.rounded(), d.magnitude < 1e15 else {
                throw fail(node, path, "must be a whole number")
            }
            guard Int(d) >= min, Int(d) <= max else { throw fail(node, path, "must be between \(min) and \(max)") }
            return Int(d)
        }

        func name(_ text: String, _ node: JSONNode, _ path: String) throws(InventoryError) -> ProxyName {
            do {
                return try ProxyName(text)
            } catch {
                throw fail(node, path, "\(text.debugDescription) is not a name HAProxy accepts (letters, digits, '-', '_', '.', ':' only)")
            }
        }

        mutating func inventory(_ root: JSONNode) throws(InventoryError) -> Inventory {
            var inv = Inventory(socket: nil, log: nil, backends: [])
            var sawBackends = false
            for m in try object(root, "", allowed: ["haproxy", "log", "backends"]) {
                switch m.key {
                case "haproxy":
                    for h in try object(m.value, "haproxy", allowed: ["socket"]) {
                        let s = try string(h.value, "haproxy.socket")
                        do { _ = try RuntimeAPIAddress(parsing: s) } catch {
                            throw fail(h.value, "haproxy.socket", error.description)
                        }
                        inv.socket = s
                    }
                case "log":
                    inv.log = try string(m.value, "log")
                default:
                    sawBackends = true
                    guard case .object(let backends) = m.value.value, !backends.isEmpty else {
                        throw fail(m.value, "backends", "must be an object with at least one backend")
                    }
                    for b in backends { inv.backends.append(try backend(b.key, b.value)) }
                }
            }
            guard sawBackends else { throw fail(root, "backends", "is missing: name at least one backend and its servers") }
            return inv
        }

        func backend(_ key: String, _ node: JSONNode) throws(InventoryError) -> Inventory.Backend {
            let path = "backends.\(key)"
            let name = try self.name(key, node, path)
            var policy = Inventory.Policy()
            var servers: [Inventory.Server] = []
            var policyNode: JSONNode?
            for m in try object(node, path, allowed: ["policy", "servers"]) {
                if m.key == "policy" {
                    policyNode = m.value
                    policy = try self.policy(m.value, "\(path).policy")
                } else {
                    guard case .object(let list) = m.value.value, !list.isEmpty else {
                        throw fail(m.value, "\(path).servers", "must be an object with at least one server")
                    }
                    for s in list { servers.append(try server(s.key, s.value, "\(path).servers.\(s.key)")) }
                }
            }
            guard !servers.isEmpty else { throw fail(node, "\(path).servers", "is missing: a backend needs at least one server") }
            let at = policyNode ?? node
            guard policy.minActive <= servers.count else {
                throw fail(at, "\(path).policy.min_active", "is \(policy.minActive) but the backend has only \(servers.count) server(s)")
            }
            if let max = policy.maxActive {
                guard max >= policy.minActive else {
                    throw fail(at, "\(path).policy.max_active", "is \(max), below min_active \(policy.minActive)")
                }
                let pinned = servers.filter(\.alwaysUp).count
                guard pinned <= max else {
                    throw fail(at, "\(path).policy.max_active", "is \(max) but \(pinned) servers are always_up")
                }
            }
            guard policy.effectiveScaleDownThresholdMs < policy.scaleUpThresholdMs else {
                throw fail(at, "\(path).policy.scale_down.threshold_ms", "must be below scale_up.threshold_ms, or hascale would flap")
            }
            return Inventory.Backend(name: name, policy: policy, servers: servers)
        }

        func server(_ key: String, _ node: JSONNode, _ path: String) throws(InventoryError) -> Inventory.Server {
            var s = Inventory.Server(name: try name(key, node, path), active: false, alwaysUp: false, warmupURL: nil, weight: nil, priority: 0)
            var sawActive = false
            for m in try object(node, path, allowed: ["active", "always_up", "warmup_url", "weight", "priority"]) {
                let p = "\(path).\(m.key)"
                switch m.key {
                case "active": s.active = try bool(m.value, p); sawActive = true
                case "always_up": s.alwaysUp = try bool(m.value, p)
                case "weight": s.weight = try integer(m.value, p, min: 1, max: 256)
                case "priority": s.priority = try integer(m.value, p, min: -1000, max: 1000)
                default:
                    let url = try string(m.value, p)
                    guard let u = URLComponents(string: url), let scheme = u.scheme, scheme == "http" || scheme == "https",
                        let host = u.host, !host.isEmpty
                    else { throw fail(m.value, p, "\(url.debugDescription) is not an http:// or https:// URL with a host") }
                    s.warmupURL = url
                }
            }
            guard sawActive else { throw fail(node, "\(path).active", "is missing: say whether the server starts in service (true or false)") }
            if s.alwaysUp && !s.active {
                throw fail(node, "\(path).always_up", "an always_up server must also be active")
            }
            return s
        }

        func policy(_ node: JSONNode, _ path: String) throws(InventoryError) -> Inventory.Policy {
            var p = Inventory.Policy()
            let keys: Set<String> = ["metric", "aggregate", "window_requests", "window_seconds", "scale_up", "scale_down",
                                     "min_active", "max_active", "resync_seconds", "warmup", "drain_timeout_seconds", "ramp_seconds"]
            for m in try object(node, path, allowed: keys) {
                let k = "\(path).\(m.key)"
                switch m.key {
                case "metric":
                    let v = try string(m.value, k)
                    guard let metric = Inventory.Policy.Metric(rawValue: v) else { throw fail(m.value, k, "must be one of Tr, Ta, Tc, Tt") }
                    p.metric = metric
                case "aggregate":
                    let v = try string(m.value, k)
                    guard let a = Inventory.Policy.Aggregate(rawValue: v) else { throw fail(m.value, k, "must be one of mean, p50, p90, p95, p99") }
                    p.aggregate = a
                case "window_requests": p.windowRequests = try integer(m.value, k, min: 1, max: 100_000)
                case "window_seconds": p.windowSeconds = try number(m.value, k)
                case "min_active": p.minActive = try integer(m.value, k, min: 1)
                case "max_active": p.maxActive = try integer(m.value, k, min: 1)
                case "resync_seconds": p.resyncSeconds = try number(m.value, k, min: 1)
                case "drain_timeout_seconds": p.drainTimeoutSeconds = try number(m.value, k)
                case "ramp_seconds": p.rampSeconds = try number(m.value, k)
                case "scale_up":
                    for u in try object(m.value, k, allowed: ["threshold_ms", "breaches", "cooldown_seconds", "step"]) {
                        let uk = "\(k).\(u.key)"
                        switch u.key {
                        case "threshold_ms": p.scaleUpThresholdMs = try number(u.value, uk, min: 1)
                        case "breaches": p.scaleUpBreaches = try integer(u.value, uk, min: 1, max: 1000)
                        case "cooldown_seconds": p.scaleUpCooldownSeconds = try number(u.value, uk)
                        default: p.scaleUpStep = try integer(u.value, uk, min: 1, max: 100)
                        }
                    }
                case "scale_down":
                    for d in try object(m.value, k, allowed: ["threshold_ms", "after_seconds"]) {
                        let dk = "\(k).\(d.key)"
                        if d.key == "threshold_ms" { p.scaleDownThresholdMs = try number(d.value, dk) } else { p.scaleDownAfterSeconds = try number(d.value, dk) }
                    }
                default:
                    for w in try object(m.value, k, allowed: ["timeout_seconds", "attempts", "backoff_seconds"]) {
                        let wk = "\(k).\(w.key)"
                        switch w.key {
                        case "timeout_seconds": p.warmupTimeoutSeconds = try number(w.value, wk, min: 0.001)
                        case "attempts": p.warmupAttempts = try integer(w.value, wk, min: 1, max: 100)
                        default: p.warmupBackoffSeconds = try number(w.value, wk)
                        }
                    }
                }
            }
            return p
        }
    }
}
