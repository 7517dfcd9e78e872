import HAProxyNames

/// A runtime-API command, rendered in exactly one place.
///
/// Only validated ``ProxyName``s and numbers go into the text, so a rendered
/// command is always one line and one command.
public enum RuntimeCommand: Hashable, Sendable, CustomStringConvertible {
    public enum ServerState: String, Sendable, Hashable {
        case ready, drain, maint
    }

    public enum Weight: Hashable, Sendable {
        case absolute(Int)
        case percent(Int)
    }

    case setServerState(ServerRef, ServerState)
    case setWeight(ServerRef, Weight)
    case showServersState(ProxyName?)
    case showStat
    case showInfo
    case showServersConn(ProxyName?)
    /// The level this connection has (`admin`, `operator`, `user`): what `doctor` checks.
    case showCliLevel

    public var description: String {
        switch self {
        case .setServerState(let s, let state): "set server \(s) state \(state.rawValue)"
        case .setWeight(let s, .absolute(let w)): "set weight \(s) \(w)"
        case .setWeight(let s, .percent(let p)): "set weight \(s) \(p)%"
        case .showServersState(let b): b.map { "show servers state \($0)" } ?? "show servers state"
        case .showStat: "show stat"
        case .showInfo: "show info"
        case .showServersConn(let b): b.map { "show servers conn \($0)" } ?? "show servers conn"
        case .showCliLevel: "show cli level"
        }
    }

    /// Whether success is an empty answer (the action commands) rather than a listing.
    public var expectsEmptyAnswer: Bool {
        switch self {
        case .setServerState, .setWeight: true
        default: false
        }
    }
}
