import HAProxyNames

/// The operator's description of what hascale manages: which servers exist in
/// which backend, how each may be brought up, and the scaling policy.
public struct Inventory: Sendable, Equatable {
    public var socket: String?
    public var log: String?
    public var backends: [Backend]

    public init(socket: String?, log: String?, backends: [Backend]) {
        self.socket = socket
        self.log = log
        self.backends = backends
    }

    public struct Backend: Sendable, Equatable {
        public var name: ProxyName
        public var policy: Policy
        public var servers: [Server]

        public init(name: ProxyName, policy: Policy, servers: [Server]) {
            self.name = name
            self.policy = policy
            self.servers = servers
        }
    }

    public struct Server: Sendable, Equatable {
        public var name: ProxyName
        /// Whether it should be in service when hascale starts.
        public var active: Bool
        /// Never taken down by hascale.
        public var alwaysUp: Bool
        public var warmupURL: String?
        /// The weight given when it comes up; `nil`: HAProxy's configured weight.
        public var weight: Int?
        /// Lower comes up first when several spares rest equally long.
        public var priority: Int

        public init(name: ProxyName, active: Bool, alwaysUp: Bool = false, warmupURL: String? = nil, weight: Int? = nil, priority: Int = 0) {
            self.name = name
            self.active = active
            self.alwaysUp = alwaysUp
            self.warmupURL = warmupURL
            self.weight = weight
            self.priority = priority
        }

    }

    public struct Policy: Sendable, Equatable {
        public enum Metric: String, Sendable { case Tr, Ta, Tc, Tt }
        public enum Aggregate: String, Sendable { case mean, p50, p90, p95, p99 }
        public var metric: Metric = .Tr
        public var aggregate: Aggregate = .mean
        public var windowRequests = 15
        public var windowSeconds = 0.0
        public var scaleUpThresholdMs = 500.0
        public var scaleUpBreaches = 3
        public var scaleUpCooldownSeconds = 30.0
        public var scaleUpStep = 1
        public var scaleDownThresholdMs: Double? = nil
        public var scaleDownAfterSeconds = 300.0
        public var minActive = 1
        public var maxActive: Int? = nil
        public var resyncSeconds = 30.0
        public var warmupTimeoutSeconds = 5.0
        public var warmupAttempts = 3
        public var warmupBackoffSeconds = 0.5
        public var drainTimeoutSeconds = 60.0
        public var rampSeconds = 0.0

        public init() {}

        /// Half the scale-up threshold unless set: hysteresis by default.
        public var effectiveScaleDownThresholdMs: Double { scaleDownThresholdMs ?? scaleUpThresholdMs / 2 }
    }

    public func backend(named name: String) -> Backend? { backends.first { $0.name.value == name } }
}
