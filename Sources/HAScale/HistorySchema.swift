/// The journal's scaling-history schema, owned in one place: each field's name,
/// each kind's priority and `MESSAGE_ID`, and the pure encode/decode pair the
/// daemon's `sd_journal_*` calls and `hascale history` use. Names and IDs are
/// stable: scripts and `journalctl HASCALE_EVENT=…` match on them.
public enum HistorySchema {
    public static let event = "HASCALE_EVENT"
    public static let backend = "HASCALE_BACKEND"
    public static let server = "HASCALE_SERVER"
    public static let metricMs = "HASCALE_METRIC_MS"
    public static let thresholdMs = "HASCALE_THRESHOLD_MS"
    public static let active = "HASCALE_ACTIVE"
    public static let reason = "HASCALE_REASON"
    public static let serverMetricMs = "HASCALE_SERVER_METRIC_MS"
    public static let peerMedianMs = "HASCALE_PEER_MEDIAN_MS"
    public static let message = "MESSAGE"
    public static let priority = "PRIORITY"
    public static let messageID = "MESSAGE_ID"
    public static let syslogIdentifier = "SYSLOG_IDENTIFIER"
    /// Every entry hascale writes carries this `SYSLOG_IDENTIFIER`.
    public static let identifier = "hascale"

    /// The fields a reader asks the journal for.
    public static let readFields = [event, backend, server, metricMs, thresholdMs, active, serverMetricMs, peerMedianMs,
                                    reason, message, priority, messageID]
    /// The `HASCALE_*` fields that hold numbers.
    public static let numericFields: Set = [metricMs, thresholdMs, active, serverMetricMs, peerMedianMs]

    /// Stable per kind, so `journalctl MESSAGE_ID=…` finds one kind across versions.
    public static func messageID(_ kind: HistoryEvent.Kind) -> String {
        switch kind {
        case .scaleUp: "96568f2c2e1147bead7619dfd86302eb"
        case .scaleDown: "c566b5f3ebeb471e9191fd8afac3fbf7"
        case .warmupFailed: "64d7e17ef52a4eb693a7fcfaf580eb3b"
        case .drainStarted: "83448cb04a7a41e58357f6ccaa4d65e6"
        case .drainTimeout: "8c33e2ab597e42c79af9ecb300af7862"
        case .drift: "820e63f2a4d14d6fbab82c2be4fbf0c2"
        case .configReloaded: "0d759e8b1010421e803d430b79270660"
        case .configRejected: "29c24bb3db4f4f29b089ead00f9b0a66"
        case .decisionSuppressed: "601b0e843c4a46dbac38bc80ef42f4d4"
        case .serverDown: "3f0c1d2e9b7a4c58a6e1f4d27b90c3a5"
        case .serverUp: "b6d94e1f0a2c4e7d9f38a5c1e2d70b46"
        case .serverReplaced: "5a7e2c91d04b4f6e8c3a9b1d6e0f2a78"
        case .haproxyReloaded: "e1c84f2a7b3d4a90b5e6c7d8f9a01b2c"
        case .outlierDetected: "7d2b9e4c1a6f4e03b8c5d2a1f0e9c7b4"
        case .outlierEjected: "c94a1e7b2d5f4c68a0b3e9d1f7c2a5e6"
        case .outlierReadmitted: "2e6f8a0c4b1d4e7f9a3c5b7d0e2f4a61"
        case .nodeResynced: "4f1a7c3e9b2d4c60a8e5f1b3d7c9e2a4"
        case .leadershipChanged: "4b0e7d2a9c614f58a3e1d6b8c2f05a97"
        }
    }

    /// syslog priorities: what deserves attention is a warning or worse.
    public static func priority(_ kind: HistoryEvent.Kind) -> Int {
        switch kind {
        case .scaleUp, .scaleDown, .drainStarted, .configReloaded: 5
        case .warmupFailed, .drainTimeout, .drift, .serverDown, .outlierDetected: 4
        case .serverUp, .serverReplaced, .haproxyReloaded, .outlierEjected, .outlierReadmitted, .nodeResynced, .leadershipChanged: 5
        case .configRejected: 3
        case .decisionSuppressed: 6
        }
    }

    /// One entry as journal fields, in the order they are sent. Numbers are whole
    /// milliseconds: the journal is read by people and `journalctl` matches.
    public static func encode(_ e: HistoryEvent) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = [
            (message, e.message),
            (priority, "\(priority(e.kind))"),
            (syslogIdentifier, identifier),
            (messageID, messageID(e.kind)),
            (event, e.kind.rawValue),
            (reason, e.reason),
        ]
        if let b = e.backend { fields.append((backend, b)) }
        if let s = e.server { fields.append((server, s)) }
        if let m = e.metricMs { fields.append((metricMs, "\(Int(m.rounded()))")) }
        if let t = e.thresholdMs { fields.append((thresholdMs, "\(Int(t.rounded()))")) }
        if let a = e.active { fields.append((active, "\(a)")) }
        if let m = e.serverMetricMs { fields.append((serverMetricMs, "\(Int(m.rounded()))")) }
        if let m = e.peerMedianMs { fields.append((peerMedianMs, "\(Int(m.rounded()))")) }
        return fields
    }

    /// The entry back from its fields; nil when it is not a hascale history entry.
    public static func decode(_ fields: [String: String]) -> HistoryEvent? {
        guard let raw = fields[event], let kind = HistoryEvent.Kind(rawValue: raw) else { return nil }
        return HistoryEvent(kind: kind, backend: fields[backend], server: fields[server],
                            metricMs: fields[metricMs].flatMap(Double.init), thresholdMs: fields[thresholdMs].flatMap(Double.init),
                            active: fields[active].flatMap(Int.init), serverMetricMs: fields[serverMetricMs].flatMap(Double.init),
                            peerMedianMs: fields[peerMedianMs].flatMap(Double.init), reason: fields[reason] ?? "")
    }
}
