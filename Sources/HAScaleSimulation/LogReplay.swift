import HAScale
import HAProxyNames
import LogParser

/// A recorded log fed through the engine in the log's own time: what hascale
/// would have decided, and what its pool would have cost, on your traffic.
///
/// Open loop: the latencies are what the real pool produced, whatever the
/// engine decides, so a decision never changes the requests after it. The
/// engine's pool is its own: it starts from the inventory's `active` flags,
/// decisions take effect at once (no warm-up, no drain), and the servers the
/// log names do not move it. A request counts at the moment HAProxy logged it,
/// its accept date plus its total time, kept in order.
public struct LogReplay {
    public private(set) var engine: DecisionEngine
    public private(set) var decisions: [TimedDecision] = []
    public private(set) var requests: UInt64 = 0
    /// Lines that were not requests, or had no accept date.
    public private(set) var skipped: UInt64 = 0
    let utcOffsetSeconds: Int
    /// The first request's accept date (ms since the epoch): the log's time 0.
    public private(set) var origin: Int64?
    var now = Duration.zero
    var nextEvaluation = Duration.zero
    var inFlight: [ScaleDecision] = []
    var backends: [Tally]
    var lastSecond: Int64 = -1

    public static let evaluateEvery = Duration.milliseconds(100)
    /// A server counts as serving in the log while it logged a request this recently.
    public static let servingGrace: Int64 = 10

    struct Tally {
        var threshold: Double
        var secondCount = 0
        var secondSum = 0.0
        var secondsAbove = 0
        var engineServerSeconds = 0
        var logServerSeconds = 0
        /// When each server last logged a request (seconds since the start).
        var lastSeen: [Int64]
    }

    /// `utcOffsetSeconds`: the zone HAProxy's local time was in (its dates carry none).
    public init(inventory: Inventory, utcOffsetSeconds: Int = 0) {
        engine = DecisionEngine(inventory: inventory, at: .zero)
        self.utcOffsetSeconds = utcOffsetSeconds
        backends = inventory.backends.map {
            Tally(threshold: $0.policy.scaleUpThresholdMs, lastSeen: Array(repeating: Int64.min / 2, count: $0.servers.count))
        }
    }

    /// One line of the log; lines that are not requests are counted and skipped.
    public mutating func feed(_ line: UnsafeRawBufferPointer) {
        guard case .record(let r) = LogLineScanner.scan(line), let accepted = r.acceptMilliseconds(in: line, utcOffsetSeconds: utcOffsetSeconds) else {
            skipped &+= 1
            return
        }
        requests &+= 1
        let origin = self.origin ?? accepted
        self.origin = origin
        let logged = accepted - origin + Int64(max(0, r.Ta))
        let at = max(now, .milliseconds(logged))
        advance(to: at)
        guard let routed = engine.observe(r, line: line, at: at, openLoop: true) else { return }
        let b = routed.backend
        if routed.value >= 0 {
            backends[b].secondCount += 1
            backends[b].secondSum += Double(routed.value)
        }
        if let i = routed.server, i < backends[b].lastSeen.count {
            backends[b].lastSeen[i] = at.components.seconds
        }
    }

    /// Moves the log's clock: evaluations every ``evaluateEvery``, and the
    /// per-second tallies as seconds pass.
    mutating func advance(to t: Duration) {
        while nextEvaluation <= t {
            evaluate(at: nextEvaluation)
            nextEvaluation += Self.evaluateEvery
        }
        now = t
    }

    mutating func evaluate(at t: Duration) {
        now = t
        for d in inFlight { engine.finished(d, at: t) }
        inFlight.removeAll()
        for event in engine.evaluate(at: t) {
            guard case .scale(let d) = event else { continue }
            decisions.append(TimedDecision(second: t.seconds, decision: d))
            inFlight.append(d)
        }
        let second = t.components.seconds
        if second != lastSecond {
            if lastSecond >= 0 { closeSecond(second - 1) }
            lastSecond = second
        }
    }

    mutating func closeSecond(_ s: Int64) {
        for b in backends.indices {
            if backends[b].secondCount > 0, backends[b].secondSum / Double(backends[b].secondCount) > backends[b].threshold {
                backends[b].secondsAbove += 1
            }
            backends[b].secondCount = 0
            backends[b].secondSum = 0
            let a = engine.backends[b]
            backends[b].engineServerSeconds += a.servers.count { $0.phase != .spare } + a.unmanagedInService
            backends[b].logServerSeconds += backends[b].lastSeen.count { s - $0 < Self.servingGrace }
        }
    }

    /// Per backend: decisions, seconds above the threshold, and the server-seconds
    /// the engine's pool would have used against those the log shows serving.
    public struct Summary: Sendable, Equatable {
        public var backend: ProxyName
        public var scaleUps: Int
        public var scaleDowns: Int
        public var secondsAboveThreshold: Int
        public var thresholdMs: Double
        public var engineServerSeconds: Int
        public var logServerSeconds: Int
    }

    /// Ends the replay at the last line's time.
    public mutating func finish() -> [Summary] {
        evaluate(at: now)
        closeSecond(lastSecond)
        lastSecond = -1
        return engine.backends.indices.map { b in
            let mine = decisions.filter { $0.decision.backend == engine.backends[b].name }
            return Summary(backend: engine.backends[b].name, scaleUps: mine.count { $0.decision.direction == .up },
                           scaleDowns: mine.count { $0.decision.direction == .down },
                           secondsAboveThreshold: backends[b].secondsAbove, thresholdMs: backends[b].threshold,
                           engineServerSeconds: backends[b].engineServerSeconds, logServerSeconds: backends[b].logServerSeconds)
        }
    }

    /// The log's span so far.
    public var duration: Duration { now }
}

