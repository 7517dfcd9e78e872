import HAProxyNames

/// A scale action the rules asked for but that did not happen, and why.
public struct Suppression: Sendable, Equatable {
    public enum Cause: Sendable, Equatable {
        /// Scale-down: this share of the window's requests failed (5xx, no server
        /// reached), above `scale_down.max_error_rate`: errors are not idle capacity.
        case errorRate(Double, limit: Double)
        /// The backend's one action is still running.
        case actionInFlight(ScaleDecision.Direction, [ProxyName])
        /// The last scale-up was too recent; this much of the cooldown is left.
        case cooldown(left: Duration)
        /// `max_active` servers are in service already.
        case maxActive(Int)
        /// Every spare is warming, failed recently, or unknown to HAProxy.
        case noSpare
        /// One server stands out from its peers: it is judged as an outlier before
        /// the pool's metric is read as a need for capacity.
        case outlierSuspected(ProxyName)

        /// Stable names for the history and for repeating an explanation only when it changes.
        public var kind: String {
            switch self {
            case .actionInFlight: "action_in_flight"
            case .cooldown: "cooldown"
            case .maxActive: "max_active"
            case .noSpare: "no_spare"
            case .outlierSuspected: "outlier_suspected"
            case .errorRate: "error_rate"
            }
        }
    }

    public var backend: ProxyName
    public var direction: ScaleDecision.Direction
    public var cause: Cause
    /// The metric against the threshold of `direction`.
    public var reading: MetricReading
    public var breaches: Int
    /// Servers in service when it was held back.
    public var active: Int

    public init(backend: ProxyName, direction: ScaleDecision.Direction = .up, cause: Cause, reading: MetricReading, breaches: Int, active: Int) {
        self.backend = backend
        self.direction = direction
        self.cause = cause
        self.reading = reading
        self.breaches = breaches
        self.active = active
    }
}
