import HAProxyNames
import HAScale

/// What the running loop knows, as one value: per backend its pool, the metric
/// against both thresholds, the model's recommendation, the next step and the
/// last decisions; per server its phase; and the loop's counters.
///
/// The loop takes one at most once a second (with the status hook) and hands it
/// to ``ScalingLoop/Hooks/snapshot``. Everything that shows the daemon to the
/// outside reads this value and nothing else: `/metrics` (the daemon's
/// `MetricsServer`), and the state file behind `hascale status` and `hascale servers`.
/// So a slow scraper or a stuck terminal never touches the engine, and what
/// they show is the same second's view. Codable with explicit keys: the state
/// file is this value as JSON, and `hascale status --json` prints it for scripts.
public struct LoopSnapshot: Sendable, Equatable, Codable {
    /// The state file's layout; a reader refuses a later one rather than misread it.
    public static let currentSchema = 1

    public var schema = LoopSnapshot.currentSchema
    public var pid: Int32
    /// Unix seconds when the loop took it: a reader tells a live daemon from a file left behind.
    public var writtenAt: Double
    public var startedAt: Double
    public var dryRun: Bool
    /// HAProxy's runtime API answered the last resync (nothing is decided while it does not).
    public var haproxyAnswers: Bool
    public var log: Log
    /// Runtime-API commands that failed since start: refusals, time-outs, no socket.
    public var apiErrors: UInt64
    public var backends: [Backend]
    /// Every managed server, backend by backend.
    public var servers: [Server]
    /// Several HAProxy nodes (`"haproxy.nodes"`): each one's requests as its log lines
    /// were attributed (``NodeAttribution``); nil with one node.
    public var nodes: [Node]?
    /// Several nodes: request lines no node could be told for (neither by sender address nor hostname).
    public var unattributedRequests: UInt64?

    public struct Log: Sendable, Equatable, Codable {
        public var source: String
        /// Lines read, and how they split: requests of managed backends, requests of
        /// backends the inventory does not manage, lines that are no request.
        public var lines: UInt64, managed: UInt64, unmanaged: UInt64, rejected: UInt64
        /// Lines the source lost before hascale read them (kernel, queue, journald);
        /// datagrams refused from senders not allowed are not HAProxy's lines and are not counted.
        public var dropped: UInt64
        /// The newest accept date among the requests read, in Unix seconds.
        public var newestAcceptedAt: Double?
        /// Now less ``newestAcceptedAt``: how far behind the log is (it includes the
        /// request's own duration, since HAProxy logs a request when it ends).
        public var lagSeconds: Double?

        enum CodingKeys: String, CodingKey {
            case source, lines, managed, unmanaged, rejected, dropped
            case newestAcceptedAt = "newest_accepted_at", lagSeconds = "lag_seconds"
        }
    }

    public struct Backend: Sendable, Equatable, Codable {
        public var name: ProxyName
        /// Serving now (managed or not), as `systemctl status` counts them.
        public var active: Int
        public var total: Int
        public var down: Int
        public var ejected: Int
        public var maxActive: Int
        public var metric: String
        public var aggregate: String
        /// The last aggregate; nil before the first request.
        public var metricMs: Double?
        public var upThresholdMs: Double
        public var downThresholdMs: Double
        public var errorRate: Double
        /// The pool the load model asks for now (nil: its fit is not trusted).
        public var recommendedServers: Int?
        public var next: NextStep
        /// The `systemctl status` line.
        public var status: String
        public var decisions: [DecisionKind: UInt64]
        /// Servers an action of each kind could not move.
        public var failures: [DecisionKind: UInt64]
        /// The last ``RecentDecisions/kept`` decisions, oldest first.
        public var recent: [Decision]

        enum CodingKeys: String, CodingKey {
            case name, active, total, down, ejected, metric, aggregate, next, status, decisions, failures, recent
            case maxActive = "max_active", metricMs = "metric_ms", upThresholdMs = "up_threshold_ms"
            case downThresholdMs = "down_threshold_ms", errorRate = "error_rate", recommendedServers = "recommended_servers"
        }
    }

    /// What the engine will do next if nothing changes, and when.
    public struct NextStep: Sendable, Equatable, Codable {
        /// `acting`, `breaching`, `at_minimum`, `steady`, `scale_down_in`, `errors_hold_scale_down`, `replacement_pending`.
        public var kind: String
        /// As the status line says it: `scale-down in 4m10s`.
        public var text: String
        /// How long until it is due (a scale-down, the end of a cooldown), when it has a time.
        public var inSeconds: Double?
        /// The same as Unix seconds.
        public var at: Double?

        enum CodingKeys: String, CodingKey {
            case kind, text, at
            case inSeconds = "in_seconds"
        }
    }

    public struct Server: Sendable, Equatable, Codable {
        public var backend: ProxyName
        public var server: ProxyName
        /// `up`, `spare`, `warming`, `draining`, `down`.
        public var phase: String
        /// An ejected outlier's rest left.
        public var ejectedSeconds: Int?
        /// Its own aggregate while it serves.
        public var metricMs: Double?

        enum CodingKeys: String, CodingKey {
            case backend, server, phase
            case ejectedSeconds = "ejected_seconds", metricMs = "metric_ms"
        }
    }

    /// One HAProxy node of the pool, as its log shows it.
    public struct Node: Sendable, Equatable, Codable {
        public var name: ProxyName
        /// Request lines attributed to it since start.
        public var requests: UInt64
        /// Seconds since its last request line (nil: none yet).
        public var lastRequestSeconds: Double?
        /// Why it is out of step with the pool (nil: in step).
        public var outOfStep: String?

        public init(name: ProxyName, requests: UInt64, lastRequestSeconds: Double?, outOfStep: String?) {
            self.name = name
            self.requests = requests
            self.lastRequestSeconds = lastRequestSeconds
            self.outOfStep = outOfStep
        }

        enum CodingKeys: String, CodingKey {
            case name, requests
            case lastRequestSeconds = "last_request_seconds", outOfStep = "out_of_step"
        }
    }

    /// A decision or a held-back one, with the sentence the journal has.
    public struct Decision: Sendable, Equatable, Codable {
        /// Unix seconds.
        public var at: Double
        public var kind: DecisionKind
        public var servers: [ProxyName]
        public var reason: String
        public var metricMs: Double?
        public var thresholdMs: Double?

        public init(at: Double, kind: DecisionKind, servers: [ProxyName], reason: String, metricMs: Double?, thresholdMs: Double?) {
            self.at = at
            self.kind = kind
            self.servers = servers
            self.reason = reason
            self.metricMs = metricMs
            self.thresholdMs = thresholdMs
        }

        enum CodingKeys: String, CodingKey {
            case at, kind, servers, reason
            case metricMs = "metric_ms", thresholdMs = "threshold_ms"
        }
    }

    enum CodingKeys: String, CodingKey {
        case schema, pid, log, backends, servers, nodes
        case unattributedRequests = "unattributed_requests"
        case writtenAt = "written_at", startedAt = "started_at", dryRun = "dry_run"
        case haproxyAnswers = "haproxy_answers", apiErrors = "api_errors"
    }
}

extension DecisionKind: CodingKeyRepresentable {}
