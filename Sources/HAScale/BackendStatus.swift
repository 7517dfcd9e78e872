import HAProxyNames

/// A backend at a glance, for `systemctl status` and status logs: the engine
/// gives the numbers, the runtime writes the line.
public struct BackendStatus: Sendable, Equatable {
    /// What the engine will do next if nothing changes.
    public enum NextStep: Sendable, Equatable {
        /// The backend's action is running.
        case acting(ScaleDecision.Direction, [ProxyName])
        /// The metric is above the threshold: `count` of the `needed` evaluations so far,
        /// and what is left of the scale-up cooldown, if it runs.
        case breaching(count: Int, needed: Int, cooldownLeft: Duration?)
        /// Nothing may go: `min_active` or only `always_up` servers left.
        case atMinimum
        /// Neither quiet nor breaching.
        case steady
        /// Quiet, but one server fewer would be projected at this, too slow to scale down.
        case steadyProjected(Double)
        /// A scale-down is due after this long if the quiet goes on.
        case scaleDownIn(Duration)
        /// This share of the requests fail: no scale-down until it falls.
        case errorsHoldScaleDown(Double)
        /// Servers stopped serving and no spare can replace them now.
        case replacementPending(Int)
    }

    public var backend: ProxyName
    public var active: Int
    public var total: Int
    /// Enabled but DOWN by health checks.
    public var down: Int = 0
    /// Ejected as outliers, resting.
    public var ejected: Int = 0
    public var metric: Inventory.Policy.Metric
    public var aggregate: Inventory.Policy.Aggregate
    /// The last aggregate; nil before the first request.
    public var metricMs: Double?
    public var upThresholdMs: Double
    public var downThresholdMs: Double
    /// `max_active`, or every server when the policy sets none.
    public var maxActive: Int = 0
    /// The pool the load model asks for now to keep the metric under the scale-down
    /// threshold; nil while its fit is not trusted (or `sizing: step`).
    public var recommendedServers: Int?
    public var next: NextStep

    public init(backend: ProxyName, active: Int, total: Int, metric: Inventory.Policy.Metric, aggregate: Inventory.Policy.Aggregate,
                metricMs: Double?, upThresholdMs: Double, downThresholdMs: Double, next: NextStep) {
        self.backend = backend
        self.active = active
        self.total = total
        self.metric = metric
        self.aggregate = aggregate
        self.metricMs = metricMs
        self.upThresholdMs = upThresholdMs
        self.downThresholdMs = downThresholdMs
        self.next = next
    }
}
