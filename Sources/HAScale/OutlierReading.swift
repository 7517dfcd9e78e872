import HAProxyNames

/// Why a server stands out among its serving peers: its own aggregate against
/// the peers' median, or its share of errors while theirs stay low.
public struct OutlierReading: Sendable, Equatable {
    public enum Rule: Sendable, Equatable {
        /// Above `factor` times the peers' median and above the scale-up threshold.
        case slow(factor: Double)
        /// A 5xx share of at least `outliers.error_rate` while every peer stays under 5 %.
        case failing(errorRate: Double)
    }

    public var rule: Rule
    /// The server's own aggregate of the policy's metric.
    public var serverMetricMs: Double
    /// The median of its serving peers' aggregates.
    public var peerMedianMs: Double

    public init(rule: Rule, serverMetricMs: Double, peerMedianMs: Double) {
        self.rule = rule
        self.serverMetricMs = serverMetricMs
        self.peerMedianMs = peerMedianMs
    }
}

/// What the outlier rule found or did, for the log and the history.
public struct OutlierEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Stood out for `outliers.consecutive` evaluations; its requests leave the backend's metric.
        case detected
        /// Detected, but not ejected, and why.
        case kept(Reason)
        /// Its ejection time is over: an ordinary spare again (a warm-up gates its return).
        case readmitted
    }

    /// Why a detected outlier stays in rotation.
    public enum Reason: Sendable, Equatable {
        /// `outliers.mode` is `detect`.
        case detectOnly
        /// `always_up` servers are reported, never touched.
        case alwaysUp
        /// `outliers.max_ejected` servers are ejected already.
        case maxEjected(Int)
        /// No spare, and the rest would be too slow without it (the one-fewer projection).
        case noCapacity(projectedMs: Double)
        /// It is the last serving server.
        case lastServing
    }

    public var backend: ProxyName
    public var server: ProxyName
    public var kind: Kind
    public var reading: OutlierReading?

    public init(backend: ProxyName, server: ProxyName, kind: Kind, reading: OutlierReading?) {
        self.backend = backend
        self.server = server
        self.kind = kind
        self.reading = reading
    }
}
