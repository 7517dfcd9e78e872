import HAProxyNames
import HAScale

/// What the loop remembers of its decisions for the outside: how many of each
/// kind per backend, how many servers its actions failed to move, and the last
/// few with the sentence the journal has. The journal keeps the full history;
/// this is what `/metrics` counts and `hascale status` shows without reading it.
struct DecisionLedger {
    /// Decisions kept per backend for `hascale status`.
    static let kept = 5

    private(set) var counts: [ProxyName: [DecisionKind: UInt64]] = [:]
    private(set) var failures: [ProxyName: [DecisionKind: UInt64]] = [:]
    private(set) var recent: [ProxyName: [LoopSnapshot.Decision]] = [:]

    mutating func decided(_ d: ScaleDecision, at wall: Double) {
        let kind = DecisionKind(d)
        counts[d.backend, default: [:]][kind, default: 0] &+= 1
        remember(LoopSnapshot.Decision(at: wall, kind: kind, servers: d.servers, reason: EventProse.reason(d),
                                       metricMs: d.metricMs, thresholdMs: d.thresholdMs), of: d.backend)
    }

    /// The engine repeats a held-back explanation while it lasts (every 10 s, or when
    /// the cause changes): each counts, but a run of the same one is one entry, kept
    /// up to date, so it does not push the decisions out of the last five.
    mutating func heldBack(_ s: Suppression, at wall: Double) {
        let kind = DecisionKind(s)
        counts[s.backend, default: [:]][kind, default: 0] &+= 1
        let entry = LoopSnapshot.Decision(at: wall, kind: kind, servers: [], reason: EventProse.reason(s),
                                          metricMs: s.reading.valueMs, thresholdMs: s.reading.thresholdMs)
        if let last = recent[s.backend]?.indices.last, recent[s.backend]![last].kind == kind {
            recent[s.backend]![last] = entry
        } else {
            remember(entry, of: s.backend)
        }
    }

    mutating func failed(_ d: ScaleDecision, servers: Int) {
        guard servers > 0 else { return }
        failures[d.backend, default: [:]][DecisionKind(d), default: 0] &+= UInt64(servers)
    }

    private mutating func remember(_ entry: LoopSnapshot.Decision, of backend: ProxyName) {
        var list = recent[backend, default: []]
        list.append(entry)
        if list.count > Self.kept { list.removeFirst(list.count - Self.kept) }
        recent[backend] = list
    }
}
