import HAProxyNames

/// A scale action the engine began and wants carried out, with its cause.
///
/// Every decision comes out of the engine already begun (its servers are
/// warming or draining, and it is the backend's one action in flight); the
/// caller carries it out and reports back with `finished`.
public struct ScaleDecision: Sendable, Equatable {
    public enum Direction: String, Sendable { case up = "scale_up", down = "scale_down" }

    /// Why the engine decided: one case per rule, with the numbers it used.
    public enum Cause: Sendable, Equatable {
        /// The metric stayed above the scale-up threshold for `breaches` evaluations;
        /// `model` says how many servers that asks for.
        case aboveThreshold(MetricReading, breaches: Int, model: Model)
        /// The metric stayed below the scale-down threshold for `quietFor`, and the
        /// same load on the smaller pool is projected at `projectedMs`, still below it.
        case belowThreshold(MetricReading, quietFor: Duration, projectedMs: Double, model: Model)
        /// No request reached the backend for this long.
        case idle(for: Duration)
        /// No request since hascale started, this long ago.
        case idleSinceStart(Duration)
        /// Start-up: the inventory has the server active, HAProxy has it out of service.
        case inventoryActive
        /// Start-up: the inventory has the server spare, HAProxy has it in service.
        case inventoryInactive
        /// The server left the inventory while it served: it leaves drained, not cut.
        case removedFromInventory
        /// These servers stopped serving without hascale asking (health checks): their
        /// capacity is replaced at once, with no breach count and no cooldown.
        case replacing([ProxyName])
        /// Fewer servers serve than `min_active`.
        case belowMinActive(Int)
        /// A new HAProxy process reset its runtime state from haproxy.cfg: hascale
        /// re-applies the state it had set.
        case haproxyRestarted
        /// A spare comes in first, so ejecting this outlier leaves capacity as it was.
        case outlierReplacement(ProxyName)
        /// Ejected: its aggregate (or its error rate) stands far above its serving peers'.
        case outlier(OutlierReading)
        /// Taking over from another controller of a pair: it left this server in drain
        /// (a scale-down it did not finish). Down: the drain is finished to maintenance;
        /// up: it comes back instead, for the reason `back` gives.
        case leftDraining(back: DrainUndo?)
    }

    /// Why a server another controller left draining is brought back rather than
    /// taken on to maintenance.
    public enum DrainUndo: Sendable, Equatable {
        /// It is `always_up`: hascale never takes it down.
        case alwaysUp
        /// Without it, fewer servers serve than `min_active`.
        case belowMinActive(Int)
        /// The backend's metric is above the scale-up threshold: it needs the capacity.
        case aboveThreshold(MetricReading)
    }

    /// How the backend's load model took part in a metric decision.
    public enum Model: Sendable, Equatable {
        /// Scale-up: the pool the model asks for to bring the metric under the target.
        case sized(LoadModel.Sizing)
        /// Scale-down: the model's pool now, and the largest it asked for over the
        /// last `scale_down.after_seconds` (the pool goes no lower than that).
        case stabilized(LoadModel.Sizing, largest: Int, over: Duration)
        /// The fit could not be trusted: one step, as without a model.
        case fallback(LoadModel.Distrust)
        /// `sizing: step`: the policy asks for one step at a time.
        case off
    }

    /// How the servers were picked among the candidates.
    public enum Pick: Sendable, Equatable {
        /// Spares that rested longest, with how long each rested.
        case restingLongest([Duration])
        /// The in-service server with the fewest sessions, and their count.
        case fewestSessions(Int)
        /// The step down to `min_active`: the last servers in the inventory's order, not
        /// the idlest, so that two controllers acting at once take the same ones
        /// (``ScaleExecutor``'s pool-order check refuses any other).
        case lastInPoolOrder
        /// The cause names the server itself (start-up, inventory edits).
        case named
    }

    public var backend: ProxyName
    public var direction: Direction
    public var servers: [ProxyName]
    public var cause: Cause
    public var pick: Pick
    /// Servers in service before the action.
    public var activeBefore: Int
    /// The backend's `min_active`, for the record.
    public var minActive: Int
    /// The threshold of the decision's direction.
    public var thresholdMs: Double

    public init(backend: ProxyName, direction: Direction, servers: [ProxyName], cause: Cause, pick: Pick,
                activeBefore: Int, minActive: Int, thresholdMs: Double) {
        self.backend = backend
        self.direction = direction
        self.servers = servers
        self.cause = cause
        self.pick = pick
        self.activeBefore = activeBefore
        self.minActive = minActive
        self.thresholdMs = thresholdMs
    }

    /// The aggregate that triggered it; nil when it was the absence of requests or an edit.
    public var metricMs: Double? {
        switch cause {
        case .aboveThreshold(let r, _, _), .belowThreshold(let r, _, _, _): r.valueMs
        default: nil
        }
    }
}
