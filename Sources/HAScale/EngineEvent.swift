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
