import HAProxyNames

/// The operator's description of what hascale manages: which servers exist in
/// which backend, how each may be brought up, and the scaling policy.
public struct Inventory: Sendable, Equatable {
    public var socket: String?
    /// `"haproxy": { "nodes": { "lb1": ADDR, … } }`: several HAProxy nodes balancing the
    /// same servers, scaled as one pool. Empty: the one `socket`.
    public var nodes: [Node] = []
    /// A ``LogSource`` spelling, checked by the loader; nil: ``LogSource/detected(fileExists:)``.
    public var log: String?
    /// Who may send to a log receiver bound beyond loopback (`"log_sources_allowed"`).
    public var logSourcesAllowed: [IPAddress] = []
    /// `SO_RCVBUF` of a `udp://` or `unix:` receiver (`"log_receive_buffer_bytes"`); nil: 8 MiB.
    public var logReceiveBufferBytes: Int?
    /// Set when hascale runs on both nodes of a keepalived pair (`"leader"`): it acts
    /// only on the node that holds the virtual address. nil: it always acts.
    public var leader: Leader?
    /// Where `hascale run` serves `/metrics` (`"metrics"`); nil: not served. A
    /// non-loopback address is accepted, since the file names it explicitly, and the
    /// daemon says at start that it listens beyond this host.
    public var metrics: IPEndpoint?
    public var backends: [Backend]

    public init(socket: String?, log: String?, backends: [Backend]) {
        self.socket = socket
        self.log = log
        self.backends = backends
    }

    /// One HAProxy node of a pool: a name for messages, and its runtime API.
    public struct Node: Sendable, Equatable {
        public var name: ProxyName
        public var socket: String
        public init(name: ProxyName, socket: String) {
            self.name = name
            self.socket = socket
        }
    }

    /// How a controller knows it is the one that acts. keepalived's VRRP already
    /// elects one node of the pair to hold the virtual address; hascale follows that
    /// election rather than running one of its own, so the address and the
    /// controller never disagree for longer than one check.
    public struct Leader: Sendable, Equatable {
        /// keepalived's `virtual_ipaddress`: this host acts while it holds it.
        public var vrrpAddress: IPAddress

        public init(vrrpAddress: IPAddress) { self.vrrpAddress = vrrpAddress }
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
        public enum Sizing: String, Sendable, CaseIterable {
            /// From the backend's fitted latency against concurrency (``LoadModel``),
            /// one step at a time when the fit cannot be trusted.
            case model
            /// One step at a time (`scale_up.step` at twice the threshold), always.
            case step
        }
        public var metric: Metric = .Tr
        public var aggregate: Aggregate = .mean
        public var windowRequests = 15
        public var windowSeconds = 0.0
        public var scaleUpThresholdMs = 500.0
        public var scaleUpBreaches = 3
        public var scaleUpCooldownSeconds = 10.0
        public var scaleUpStep = 1
        /// How the number of servers to add or remove is chosen.
        public var sizing: Sizing = .model
        /// The model sizes the pool for `threshold × (1 − headroom)`: room for the
        /// next burst before the threshold is crossed again.
        public var scaleUpHeadroom = 0.2
        /// At most this many servers in one scale-up; nil: as many as the model asks for.
        public var scaleUpMaxStep: Int? = nil
        /// At most this many servers in one scale-down: down slowly.
        public var scaleDownMaxStep = 1
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
        /// Above this share of errors (5xx, no server reached) in the window, no scale-down:
        /// errors are not idle capacity.
        public var scaleDownMaxErrorRate = 0.05
        public var outliers = Outliers()

        public init() {}

        /// ec2_watch's rule in latency terms: a server far slower (or far more often
        /// failing) than its serving peers is broken, not a sign the pool needs capacity.
        public struct Outliers: Sendable, Equatable {
            public enum Mode: String, Sendable, CaseIterable {
                /// Bring a spare in, then drain the outlier to maintenance.
                case eject
                /// Report only.
                case detect
                case off
            }

            public var mode: Mode = .eject
            /// Evaluations in a row a server must stand out for.
            public var consecutive = 3
            /// How many times the serving peers' median its aggregate must exceed.
            public var factor = 3.0
            /// Requests its window must hold before it is judged.
            public var minRequests = 20
            /// A 5xx share at least this, while the peers stay under 5 %, is an outlier too.
            public var errorRate = 0.5
            /// At most this many ejected at once; nil: 10 % of the backend's servers, at least 1.
            public var maxEjected: Int? = nil
            /// How long an ejected server rests before it is an ordinary spare again;
            /// doubled each time the same server is ejected again, up to an hour.
            public var ejectionSeconds = 300.0

            public init() {}
        }

        /// Half the scale-up threshold unless set: hysteresis by default.
        public var effectiveScaleDownThresholdMs: Double { scaleDownThresholdMs ?? scaleUpThresholdMs / 2 }
    }

    public func backend(named name: String) -> Backend? { backends.first { $0.name.value == name } }
}
