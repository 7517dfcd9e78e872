/// One entry of the scaling history: what operators read back with
/// `journalctl HASCALE_EVENT=…` or `hascale history`. Kinds are stable names
/// that scripts match on.
public struct HistoryEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case scaleUp = "scale_up", scaleDown = "scale_down", warmupFailed = "warmup_failed"
        case drainStarted = "drain_started", drainTimeout = "drain_timeout", drift
        case configReloaded = "config_reloaded", configRejected = "config_rejected"
        case decisionSuppressed = "decision_suppressed"
        case serverDown = "server_down", serverUp = "server_up", serverReplaced = "server_replaced"
        case haproxyReloaded = "haproxy_reloaded"
        case outlierDetected = "outlier_detected", outlierEjected = "outlier_ejected", outlierReadmitted = "outlier_readmitted"
        case nodeResynced = "node_resynced"
        /// This controller became the active one of its pair, or the standby (`"leader"`).
        case leadershipChanged = "leadership_changed"
    }

    public var kind: Kind
    public var backend: String?
    public var server: String?
    public var metricMs: Double?
    public var thresholdMs: Double?
    /// Servers in service after the event.
    public var active: Int?
    /// Outliers: the server's own aggregate and its serving peers' median.
    public var serverMetricMs: Double?
    public var peerMedianMs: Double?
    public var reason: String

    public init(kind: Kind, backend: String? = nil, server: String? = nil, metricMs: Double? = nil,
                thresholdMs: Double? = nil, active: Int? = nil, serverMetricMs: Double? = nil, peerMedianMs: Double? = nil,
                reason: String) {
        self.serverMetricMs = serverMetricMs
        self.peerMedianMs = peerMedianMs
        self.kind = kind
        self.backend = backend
        self.server = server
        self.metricMs = metricMs
        self.thresholdMs = thresholdMs
        self.active = active
        self.reason = reason
    }

    /// The readable one-liner (journald's `MESSAGE`).
    public var message: String {
        let target = [backend, server].compactMap { $0 }.joined(separator: "/")
        let what: String
        switch kind {
        case .scaleUp: what = "\(target) is in service"
        case .scaleDown: what = "\(target) is in maintenance"
        case .warmupFailed: what = "warm-up of \(target) failed; it stays in maintenance"
        case .drainStarted: what = "draining \(target)"
        case .drainTimeout: what = "drain of \(target) timed out"
        case .drift: what = "\(target) drifted"
        case .configReloaded: what = "inventory reloaded"
        case .configRejected: what = "inventory rejected; the running one stays"
        case .decisionSuppressed: what = "\(target): scaling held back"
        case .serverDown: what = "\(target) is DOWN by HAProxy's health checks"
        case .serverUp: what = "\(target) serves again"
        case .serverReplaced: what = "\(target) is in service in place of a server that went DOWN"
        case .haproxyReloaded: what = "\(target): HAProxy was reloaded or restarted"
        case .outlierDetected: what = "\(target) is an outlier"
        case .outlierEjected: what = "\(target) is ejected as an outlier"
        case .outlierReadmitted: what = "\(target) is a spare again after its ejection"
        case .nodeResynced: what = "an HAProxy node was brought to the pool's state"
        case .leadershipChanged: what = "leadership changed"
        }
        return "\(what): \(reason)"
    }
}
