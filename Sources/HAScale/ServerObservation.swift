import HAProxyNames

/// What HAProxy says about one server, as the engine needs it: the runtime
/// builds these from `show servers state` and `show stat`, so the engine never
/// sees a wire format and can be fed from a replay or a simulation alike.
public struct ServerObservation: Sendable, Equatable {
    /// The operator's switch (`srv_admin_state`).
    public enum Admin: String, Sendable {
        case ready, drain, maint
    }

    /// What health checks and traffic say (`srv_op_state`); a server without
    /// `check` is reported up while it is ready.
    public enum Operational: String, Sendable {
        case down, starting, up, stopping
    }

    public var backend: String
    public var server: String
    public var admin: Admin
    public var operational: Operational
    /// The user-set weight (`srv_uweight`).
    public var weight: Int
    /// Current sessions (`scur`): what a drain waits to reach 0.
    public var sessions: Int

    public init(backend: String, server: String, admin: Admin, operational: Operational = .up, weight: Int, sessions: Int = 0) {
        self.backend = backend
        self.server = server
        self.admin = admin
        self.operational = operational
        self.weight = weight
        self.sessions = sessions
    }

    /// Takes new traffic by the operator's settings: ready with a weight above 0.
    public var inService: Bool { admin == .ready && weight > 0 }

    /// Really serves: enabled, and up by its health checks. `starting` is a server
    /// in HAProxy's `slowstart`, which already takes (a rising share of) traffic.
    public var serving: Bool { inService && (operational == .up || operational == .starting) }
}
