import HAProxyNames

/// A scale-up the metric asked for but that did not happen, and why.
public struct Suppression: Sendable, Equatable {
    public enum Cause: Sendable, Equatable {
        /// The backend's one action is still running.
        case actionInFlight(ScaleDecision.Direction, [ProxyName])
        /// The last scale-up was too recent; this much of the cooldown is left.
        case cooldown(left: Duration)
        /// `max_active` servers are in service already.
        case maxActive(Int)
        /// Every spare is warming, failed recently, or unknown to HAProxy.
        case noSpare

        /// Stable names for the history and for repeating an explanation only when it changes.
        public var kind: String {
            switch self {
            case .actionInFlight: "action_in_flight"
            case .cooldown: "cooldown"
            case .maxActive: "max_active"
            case .noSpare: "no_spare"
            }
        }
    }

    public var backend: ProxyName
    public var cause: Cause
    public var reading: MetricReading
    public var breaches: Int
    /// Servers in service when it was held back.
    public var active: Int

    public init(backend: ProxyName, cause: Cause, reading: MetricReading, breaches: Int, active: Int) {
        self.backend = backend
        self.cause = cause
        self.reading = reading
        self.breaches = breaches
        self.active = active
    }
}
