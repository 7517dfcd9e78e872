import HAProxyNames

/// HAProxy's state won over what the engine believed: a reload, a hand edit,
/// a server seen in the log.
public struct Drift: Sendable, Equatable {
    public enum Cause: Sendable, Equatable {
        /// The log shows it serving while the engine counted it spare.
        case servedWhileSpare
        /// HAProxy has it in service while the engine counted it spare.
        case inServiceInHAProxy(weight: Int)
        /// HAProxy has it out of service while the engine counted it in service.
        case outOfServiceInHAProxy(ServerObservation.Admin, weight: Int)
        /// The inventory names it, HAProxy's configuration does not.
        case unknownToHAProxy
    }

    public var backend: ProxyName
    public var server: ProxyName
    public var cause: Cause

    public init(backend: ProxyName, server: ProxyName, cause: Cause) {
        self.backend = backend
        self.server = server
        self.cause = cause
    }
}
