import Glibc
import HAScale
import LogParser

/// How the loop takes its ``LoopSnapshot``: the engine's status and servers, the
/// counters and the ledger, read on the loop's own task and handed out as a value.
extension ScalingLoop {
    func snapshot(_ state: inout LoopState, source: String, at now: Duration) -> LoopSnapshot {
        let wall = options.wallClock()
        if state.startedAt == nil { state.startedAt = wall }
        state.utcOffset = WallClock.utcOffsetSeconds(at: wall)
        var backends: [LoopSnapshot.Backend] = []
        var servers: [LoopSnapshot.Server] = []
        for (b, status) in zip(state.engine.backends, state.engine.status(at: now)) {
            backends.append(LoopSnapshot.Backend(
                name: b.name, active: status.active, total: status.total, down: status.down, ejected: status.ejected,
                maxActive: status.maxActive, metric: status.metric.rawValue, aggregate: status.aggregate.rawValue,
                metricMs: status.metricMs, upThresholdMs: status.upThresholdMs, downThresholdMs: status.downThresholdMs,
                errorRate: b.errorRate, recommendedServers: status.recommendedServers, next: Self.nextStep(status.next, wall: wall),
                status: EventProse.statusLine(status), decisions: state.ledger.counts[b.name] ?? [:],
                failures: state.ledger.failures[b.name] ?? [:], recent: state.ledger.recent[b.name] ?? []))
            for s in b.servers {
                servers.append(LoopSnapshot.Server(
                    backend: b.name, server: s.name, phase: s.phase.rawValue,
                    ejectedSeconds: s.ejectedUntil.map { max(0, Int(($0 - now).seconds.rounded(.up))) }, metricMs: s.lastMetric))
            }
        }
        let unmanaged = state.engine.unmanagedRequests
        let newest = state.newestAcceptMs == .min ? nil : Double(state.newestAcceptMs) / 1000
        let log = LoopSnapshot.Log(
            source: source, lines: state.lines, managed: state.parsed &- unmanaged, unmanaged: unmanaged, rejected: state.rejected,
            dropped: state.lost.filter { $0.key != LogLoss.senderNotAllowed("").kind }.values.reduce(0, &+),
            newestAcceptedAt: newest, lagSeconds: newest.map { max(0, wall - $0) })
        var snapshot = LoopSnapshot(pid: getpid(), writtenAt: wall, startedAt: state.startedAt ?? wall, dryRun: options.dryRun,
                                    haproxyAnswers: !state.apiUnreachable, log: log, apiErrors: api.errors, backends: backends, servers: servers)
        if let nodeLog = state.nodeLog {
            let out = nodes?.outOfStepNodes ?? [:]
            snapshot.nodes = nodeLog.attribution.names.indices.map { i in
                let name = nodeLog.attribution.names[i]
                return LoopSnapshot.Node(name: name, requests: nodeLog.requests[i],
                                         lastRequestSeconds: nodeLog.lastAt[i].map { max(0, (now - $0).seconds) }, outOfStep: out[name.value])
            }
            snapshot.unattributedRequests = nodeLog.unattributed
        }
        return snapshot
    }

    static func nextStep(_ n: BackendStatus.NextStep, wall: Double) -> LoopSnapshot.NextStep {
        let kind: String
        var due: Duration?
        switch n {
        case .acting: kind = "acting"
        case .breaching(_, _, let left): kind = "breaching"; due = left
        case .atMinimum: kind = "at_minimum"
        case .steady, .steadyProjected: kind = "steady"
        case .scaleDownIn(let t): kind = "scale_down_in"; due = t
        case .errorsHoldScaleDown: kind = "errors_hold_scale_down"
        case .replacementPending: kind = "replacement_pending"
        }
        let seconds = due.map { max(0, $0.seconds) }
        return LoopSnapshot.NextStep(kind: kind, text: EventProse.nextStep(n), inSeconds: seconds, at: seconds.map { wall + $0 })
    }
}

extension ScalingLoop.LoopState {
    /// Keeps the newest accept date read, for the log's lag: a few dozen
    /// instructions a request, no allocation (``LogRecord/acceptMilliseconds(in:utcOffsetSeconds:)``).
    @inline(__always)
    mutating func noteAccepted(_ r: LogRecord, _ line: UnsafeRawBufferPointer) {
        if let ms = r.acceptMilliseconds(in: line, utcOffsetSeconds: utcOffset), ms > newestAcceptMs { newestAcceptMs = ms }
    }
}
