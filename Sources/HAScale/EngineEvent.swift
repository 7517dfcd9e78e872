import HAProxySocket

/// A scale action the engine wants carried out, with the numbers behind it.
public struct ScaleDecision: Sendable, Equatable, CustomStringConvertible {
    public enum Direction: String, Sendable { case up = "scale_up", down = "scale_down" }
    public var backend: ProxyName
    public var direction: Direction
    public var servers: [ProxyName]
    /// The aggregate that triggered it; nil when it was the absence of requests.
    public var metricMs: Double?
    public var thresholdMs: Double
    /// Servers in service before the action.
    public var activeBefore: Int
    public var reason: String

    public var description: String {
        "\(backend): \(direction == .up ? "up" : "down") \(servers.map(\.value).joined(separator: ",")): \(reason)"
    }
}

/// A scale-up the metric asked for but that did not happen, and why.
public struct Suppression: Sendable, Equatable, CustomStringConvertible {
    public enum Cause: String, Sendable { case cooldown, maxActive = "max_active", noSpare = "no_spare", actionInFlight = "action_in_flight" }
    public var backend: ProxyName
    public var cause: Cause
    public var metricMs: Double
    public var thresholdMs: Double
    public var active: Int
    public var reason: String

    public var description: String { "\(backend): scale-up held back: \(reason)" }
}

/// What the engine says after an input: act, explain a held-back action, or
/// report that HAProxy's state differs from what the engine believed.
public enum EngineEvent: Sendable, Equatable, CustomStringConvertible {
    case scale(ScaleDecision)
    case suppressed(Suppression)
    /// HAProxy's state won over memory (a reload, a hand edit, a server seen in the log).
    case drift(backend: ProxyName, server: ProxyName, detail: String)

    public var description: String {
        switch self {
        case .scale(let d): d.description
        case .suppressed(let s): s.description
        case .drift(let b, let s, let d): "\(b)/\(s): \(d)"
        }
    }
}

/// Milliseconds with no more digits than a reader needs.
func formatMs(_ v: Double) -> String {
    v >= 100 || v == v.rounded() ? "\(Int(v.rounded())) ms" : "\((v * 10).rounded() / 10) ms"
}

/// `4m10s`, `12s`, `1h2m`: the durations operators read in a status line.
func formatSeconds(_ d: Duration) -> String {
    let s = max(0, Int((Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18).rounded(.up)))
    if s >= 3600 { return "\(s / 3600)h\((s % 3600) / 60)m" }
    if s >= 60 { return "\(s / 60)m\(s % 60)s" }
    return "\(s)s"
}

extension Duration {
    init(seconds: Double) { self = .milliseconds(Int64((seconds * 1000).rounded())) }
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
