/// Writes an ``Inventory`` as `servers.json` text that ``InventoryLoader`` reads back
/// as the same inventory.
///
/// `hascale init` hands operators a file to edit, so every policy value is written out,
/// defaults included: the file itself shows what can be changed and from what. The
/// values come from the ``Inventory/Policy`` given (for a new file, `Policy()`, the
/// loader's own defaults), never from a second table here. Left out are only what has
/// no value to write: a `nil` field means "derived" (`scale_down.threshold_ms`: half of
/// the up threshold; `scale_up.max_step`: no bound; `outliers.max_ejected`: 10 % of the
/// servers; `max_active`: all), and writing a number there would freeze it. A server's
/// own defaults (`always_up` false, `priority` 0) are left out too: one line per server
/// reads better, and the policy is where the tuning is.
///
/// Layout: two-space indents, keys in a fixed order (`haproxy`, `log`, `backends`;
/// `policy` before `servers`), an object of plain values on one line when it fits, as
/// `examples/servers.json` has them, and a newline at the end.
public enum InventoryWriter {
    public static func render(_ inventory: Inventory) -> String {
        var root: [(String, Value)] = []
        if let socket = inventory.socket { root.append(("haproxy", .object([("socket", .string(socket))]))) }
        if let log = inventory.log { root.append(("log", .string(log))) }
        root.append(("backends", .object(inventory.backends.map { ($0.name.value, backend($0)) })))
        return text(.object(root), indent: 0, column: 0) + "\n"
    }

    /// A line holds at most this many characters before an object is spread over lines.
    static let lineWidth = 100

    indirect enum Value {
        case object([(String, Value)])
        case string(String)
        case number(Double)
        case bool(Bool)

        var isObject: Bool { if case .object = self { true } else { false } }
    }

    static func backend(_ b: Inventory.Backend) -> Value {
        .object([("policy", policy(b.policy)), ("servers", .object(b.servers.map { ($0.name.value, server($0)) }))])
    }

    static func server(_ s: Inventory.Server) -> Value {
        var m: [(String, Value)] = [("active", .bool(s.active))]
        if s.alwaysUp { m.append(("always_up", .bool(true))) }
        if let url = s.warmupURL { m.append(("warmup_url", .string(url))) }
        if let w = s.weight { m.append(("weight", int(w))) }
        if s.priority != 0 { m.append(("priority", int(s.priority))) }
        return .object(m)
    }

    /// Every key ``InventoryLoader`` reads under `policy`, in the README's order of
    /// concern: the bounds, what is measured, when to go up, when to go down, how a
    /// server comes and goes, outliers.
    static func policy(_ p: Inventory.Policy) -> Value {
        var m: [(String, Value)] = [("min_active", int(p.minActive))]
        if let max = p.maxActive { m.append(("max_active", int(max))) }
        m += [
            ("metric", .string(p.metric.rawValue)),
            ("aggregate", .string(p.aggregate.rawValue)),
            ("window_requests", int(p.windowRequests)),
            ("window_seconds", .number(p.windowSeconds)),
            ("sizing", .string(p.sizing.rawValue)),
        ]
        var up: [(String, Value)] = [
            ("threshold_ms", .number(p.scaleUpThresholdMs)),
            ("breaches", int(p.scaleUpBreaches)),
            ("cooldown_seconds", .number(p.scaleUpCooldownSeconds)),
            ("step", int(p.scaleUpStep)),
            ("headroom", .number(p.scaleUpHeadroom)),
        ]
        if let max = p.scaleUpMaxStep { up.append(("max_step", int(max))) }
        var down: [(String, Value)] = []
        if let threshold = p.scaleDownThresholdMs { down.append(("threshold_ms", .number(threshold))) }
        down += [
            ("after_seconds", .number(p.scaleDownAfterSeconds)),
            ("max_error_rate", .number(p.scaleDownMaxErrorRate)),
            ("max_step", int(p.scaleDownMaxStep)),
        ]
        m += [
            ("scale_up", .object(up)),
            ("scale_down", .object(down)),
            ("warmup", .object([
                ("timeout_seconds", .number(p.warmupTimeoutSeconds)),
                ("attempts", int(p.warmupAttempts)),
                ("backoff_seconds", .number(p.warmupBackoffSeconds)),
            ])),
            ("drain_timeout_seconds", .number(p.drainTimeoutSeconds)),
            ("ramp_seconds", .number(p.rampSeconds)),
            ("resync_seconds", .number(p.resyncSeconds)),
            ("outliers", outliers(p.outliers)),
        ]
        return .object(m)
    }

    static func outliers(_ o: Inventory.Policy.Outliers) -> Value {
        var m: [(String, Value)] = [
            ("mode", .string(o.mode.rawValue)),
            ("consecutive", int(o.consecutive)),
            ("factor", .number(o.factor)),
            ("min_requests", int(o.minRequests)),
            ("error_rate", .number(o.errorRate)),
        ]
        if let max = o.maxEjected { m.append(("max_ejected", int(max))) }
        m.append(("ejection_seconds", .number(o.ejectionSeconds)))
        return .object(m)
    }

    static func int(_ n: Int) -> Value { .number(Double(n)) }

    /// `value` as it stands after `column` characters on a line indented by `indent`.
    static func text(_ value: Value, indent: Int, column: Int) -> String {
        switch value {
        case .string(let s): return quoted(s)
        case .bool(let b): return b ? "true" : "false"
        case .number(let d): return number(d)
        case .object(let members):
            if members.isEmpty { return "{}" }
            if !members.contains(where: { $0.1.isObject }) {
                let line = "{ " + members.map { "\(quoted($0.0)): \(text($0.1, indent: 0, column: 0))" }.joined(separator: ", ") + " }"
                if column + line.count <= lineWidth { return line }
            }
            let inner = String(repeating: " ", count: indent + 2)
            let lines = members.map { key, member in
                let head = inner + quoted(key) + ": "
                return head + text(member, indent: indent + 2, column: head.count)
            }
            return "{\n" + lines.joined(separator: ",\n") + "\n" + String(repeating: " ", count: indent) + "}"
        }
    }

    /// `500`, not `500.0`; `0.05` as Swift prints it, the shortest text that reads back
    /// as the same double. The loader refuses what is not finite, so no inventory holds it.
    static func number(_ d: Double) -> String {
        d == d.rounded() && d.magnitude < 1e15 ? String(Int(d)) : "\(d)"
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\n`, `\t` or `\u00XX`.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
