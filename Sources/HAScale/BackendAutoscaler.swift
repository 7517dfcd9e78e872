#if canImport(Glibc)
import Glibc
#endif
import HAProxyNames
import LogParser

/// The scaling state machine of one backend: requests, HAProxy's state and
/// clock ticks go in, decisions come out. No I/O and no clock of its own — time
/// is whatever the caller says it is — so it can be tested, replayed and simulated.
///
/// Scale up early, scale down slowly: a scale-up needs `breaches` consecutive
/// evaluations above the threshold; a scale-down needs the metric to stay below
/// a lower threshold (hysteresis) for `after_seconds`, or no requests at all for
/// that long. A scale-down cooldown never delays a scale-up.
///
/// Every decision is begun in one place (``begin(_:at:)``), whether the rule
/// behind it is the metric, start-up or an inventory edit: a backend has at most
/// one action in flight, and its servers are marked warming or draining until
/// the caller reports the outcome with ``finished(_:failures:at:)``.
public struct BackendAutoscaler: Sendable {
    /// Where a managed server stands, as far as the engine knows.
    public enum Phase: String, Sendable {
        case inService = "up", spare, warming, draining
        /// Enabled in HAProxy but not serving: DOWN by its health checks.
        case down
    }

    public struct ManagedServer: Sendable {
        public var inventory: Inventory.Server
        public var phase: Phase
        /// When it entered its phase; for a spare, how long it has been resting.
        public var since: Duration
        /// Current sessions as of the last resync.
        public var sessions = 0
        /// HAProxy knows it (false: in the inventory but not in haproxy.cfg).
        public var knownToHAProxy = true
        /// Removed from the inventory: kept only until it is out of service.
        public var retired = false
        /// Start-up has compared it with the inventory once.
        var startupChecked = false
        /// A failed warm-up: not picked again until a cooldown has passed.
        var failedAt: Duration?
        /// The server's own samples, beside the backend's: what the outlier rule compares.
        var window: RollingWindow
        var outcomes: RollingWindow
        /// The `srv_conn` of the same requests: how loaded it was while it answered them.
        var conns: RollingWindow
        /// Its `srv_conn` as each HAProxy node last logged it (several nodes only).
        var nodeConns = NodeShares()
        var newSamples = 0
        /// Evaluations in a row it stood out (or, once detected, did not).
        var outlierStreak = 0
        /// Stood out for `outliers.consecutive` evaluations: its requests leave the backend's metric.
        public internal(set) var outlier: OutlierReading?
        /// Its own aggregate at the last evaluation while it served (nil otherwise): what
        /// operators compare across a backend's servers.
        public internal(set) var lastMetric: Double?
        /// A spare came in for this outlier: it may go now.
        var outlierReplaced = false
        /// Ejected until then: not brought up before.
        public internal(set) var ejectedUntil: Duration?
        /// How often it was ejected: each ejection doubles its rest, up to an hour.
        var ejections = 0
        var keptReported = false
        /// A failed outlier drain: not tried again before then.
        var ejectRetryAt: Duration?
        /// The last evaluation that counted toward its streak: they are spaced by
        /// ``outlierSpacing``, so three in a row are three looks, not one burst seen thrice.
        var outlierJudgedAt: Duration?
        /// Stable for the server's life in the engine (inventory reloads reorder `servers`):
        /// what the backend's window tags its samples with.
        let id: Int32
        let nameBytes: [UInt8]

        public var name: ProxyName { inventory.name }

        init(inventory: Inventory.Server, phase: Phase, since: Duration, policy: Inventory.Policy, id: Int32) {
            self.inventory = inventory
            self.phase = phase
            self.since = since
            self.id = id
            window = Self.ownWindow(policy)
            conns = Self.ownWindow(policy)
            outcomes = Self.ownWindow(policy)
            nameBytes = Array(inventory.name.value.utf8)
        }

        /// Large enough to be judged: `min_requests` may exceed the backend's window.
        static func ownWindow(_ policy: Inventory.Policy) -> RollingWindow {
            RollingWindow(requests: policy.windowRequests > 0 ? max(policy.windowRequests, policy.outliers.minRequests) : 0,
                          seconds: policy.windowSeconds)
        }

        /// Out of service by HAProxy's or an operator's doing: what the outlier rule knew is stale.
        mutating func forgetOutlier() {
            outlier = nil
            outlierReplaced = false
            outlierStreak = 0
            ejectedUntil = nil
        }
    }

    /// The backend's error rate over the requests of the last `scale_down.after_seconds`
    /// (or the window's seconds), at most 10,000: one error in a short count window
    /// would read as a high rate.
    static func errorWindow(_ policy: Inventory.Policy) -> RollingWindow {
        RollingWindow(requests: max(policy.windowRequests, 10_000),
                      seconds: policy.windowSeconds > 0 ? policy.windowSeconds : max(1, policy.scaleDownAfterSeconds))
    }

    /// The error rate is judged only over this many requests at least (20 for 5 %).
    var errorRateJudged: Bool {
        outcomes.count >= Int((1 / max(policy.scaleDownMaxErrorRate, 0.001)).rounded(.up))
    }

    /// Log evidence for a server is ignored this long after it left service:
    /// requests that were in flight during its drain are logged when they end.
    static let leftServiceGrace = Duration.seconds(5)
    /// Evaluations that count toward an outlier streak are at least this far apart.
    static let outlierSpacing = Duration.seconds(1)
    /// A held-back scale-up with the same cause is explained again after this long.
    static let suppressionRepeat = Duration.seconds(10)

    public let name: ProxyName
    public internal(set) var policy: Inventory.Policy
    public internal(set) var servers: [ManagedServer]
    /// In-service servers of the backend that the inventory does not manage.
    public private(set) var unmanagedInService = 0
    /// The backend's samples, each tagged with its managed server's index (-1 for
    /// none), so a detected outlier's samples can be taken out.
    var window: RollingWindow
    /// 1 for each request that failed (5xx, no server reached), 0 for the others,
    /// over the same window as the metric: its mean is the error rate.
    var outcomes: RollingWindow
    var newSamples = 0
    /// Servers that stopped serving without hascale asking, not replaced yet.
    public internal(set) var owed: [ProxyName] = []
    /// Servers whose capacity a spare replaced while they were DOWN.
    var replaced: Set<ProxyName> = []
    /// Servers beyond what the backend had: a replaced server came back. A server of a
    /// flapping health check uses it up instead of being replaced again.
    var surplus = 0
    var nextServerID: Int32 = 0
    /// What a new HAProxy process reset and hascale puts back, in order.
    var reapply: [(server: ProxyName, direction: ScaleDecision.Direction)] = []
    var lastDownSuppression: Duration?
    /// Another controller acts: the engine mirrors HAProxy (``DecisionEngine/following``).
    var following = false
    /// Servers found in drain when this controller took over, to finish or bring back.
    var leftDraining: [ProxyName] = []
    public private(set) var breaches = 0
    /// Since when every evaluation stayed below the scale-down threshold.
    public private(set) var quietSince: Duration?
    public private(set) var lastRequestAt: Duration?
    /// The end of the last action (or the start): scale-downs are spaced from it.
    public internal(set) var lastActionAt: Duration
    public internal(set) var lastScaleUpAt: Duration?
    /// The one action allowed in flight.
    public private(set) var inFlight: ScaleDecision?
    var lastSuppression: (kind: String, at: Duration)?
    public private(set) var lastMetric: Double?
    public private(set) var requests: UInt64 = 0
    public private(set) var serverErrors: UInt64 = 0
    /// Latency against concurrency per server, from the requests of the last half hour.
    public internal(set) var model = LoadModel()
    /// HAProxy nodes whose logs this backend reads (``DecisionEngine/nodes``): above one, a
    /// request's counters are its node's share and are pooled (``NodeShares``) before the
    /// model sees them.
    var nodes = 1
    /// The pool the model asked for to stay under the scale-down threshold, the
    /// largest of each second, over the last `scale_down.after_seconds`.
    var recommended: [(second: Int64, servers: Int)] = []
    /// Since when every evaluation had a model to trust (nil: the last did not).
    var recommendingSince: Duration?
    public internal(set) var lastScaleDownAt: Duration?
    /// The last evaluation above the scale-up threshold.
    public private(set) var lastBreachAt: Duration?
    var pending: [EngineEvent] = []

    public init(backend: Inventory.Backend, at now: Duration) {
        name = backend.name
        policy = backend.policy
        servers = backend.servers.enumerated().map { i, s in
            ManagedServer(inventory: s, phase: s.active ? .inService : .spare, since: now, policy: backend.policy, id: Int32(i))
        }
        nextServerID = Int32(backend.servers.count)
        window = RollingWindow(policy: backend.policy)
        outcomes = Self.errorWindow(backend.policy)
        lastActionAt = now
    }

    /// The share of the window's requests that failed (0 without requests).
    public var errorRate: Double { errorRateJudged ? outcomes.mean ?? 0 : 0 }

    public var activeCount: Int {
        var n = unmanagedInService
        for i in servers.indices where servers[i].phase == .inService { n += 1 }
        return n
    }

    public var maxActive: Int {
        if let max = policy.maxActive { return max }
        var n = unmanagedInService
        for i in servers.indices where !servers[i].retired { n += 1 }
        return n
    }

    /// How many managed servers satisfy `test`. Off the per-evaluation path: passing a
    /// server to a closure copies it (a dozen arrays: a retain and release apiece),
    /// so the counts every evaluation needs (``activeCount``) are written as loops.
    func serverCount(_ test: (borrowing ManagedServer) -> Bool) -> Int {
        servers.withUnsafeBufferPointer { all in
            var n = 0
            for i in all.indices where test(all[i]) { n += 1 }
            return n
        }
    }
    var upThreshold: Double { policy.scaleUpThresholdMs }
    var downThreshold: Double { policy.effectiveScaleDownThresholdMs }

    public func index(of server: String) -> Int? { servers.firstIndex { $0.name.value == server } }

    /// By index, not `firstIndex(where:)`: that copies each server (its windows are
    /// arrays, so a retain and release apiece) for every logged request.
    func index(bytes: UnsafeRawBufferPointer) -> Int? {
        for i in servers.indices where servers[i].nameBytes.count == bytes.count {
            if servers[i].nameBytes.withUnsafeBytes({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) { return i }
        }
        return nil
    }

    func reading(_ value: Double, _ threshold: Double) -> MetricReading {
        MetricReading(metric: policy.metric, aggregate: policy.aggregate, valueMs: value, thresholdMs: threshold)
    }

    // MARK: inputs

    /// One logged request: `value` is the policy's metric (`-1`: the phase never
    /// happened, not counted); `server` is the index of a managed server, if any;
    /// `reachedServer` is false for `<NOSRV>` and failed connects. A failed request
    /// (5xx, or no server reached) counts toward the error rate, not the metric:
    /// a fast error is not spare capacity.
    /// `conns` is the `srv_conn` the request was logged with (-1: unknown), what the load model learns from.
    /// `acceptedAt`: when HAProxy accepted it (the log time less its total time): a
    /// request accepted before the pool last grew was queued on the smaller pool, and
    /// says nothing about the pool now.
    public mutating func observe(server: Int?, value: Int32, status: Int16, reachedServer: Bool = true, conns: Int32 = -1,
                                 beconn: Int32 = -1, acceptedAt: Duration? = nil, at now: Duration) {
        requests &+= 1
        lastRequestAt = now
        let failed = status >= 500 || !reachedServer
        if failed { serverErrors &+= 1 }
        outcomes.add(failed ? 1 : 0, at: now)
        if reachedServer, let i = server, servers[i].phase == .spare, now - servers[i].since > Self.leftServiceGrace {
            servers[i].phase = .inService
            servers[i].since = now
            servers[i].forgetOutlier()
            // On standby the active controller brought it up: its action, not drift.
            if following { noteOthersAction(.up, at: now) } else {
                pending.append(.drift(Drift(backend: name, server: servers[i].name, cause: .servedWhileSpare)))
            }
        }
        let stale = acceptedAt.map { a in lastScaleUpAt.map { a < $0 } ?? false } ?? false
        if let i = server {
            servers[i].outcomes.add(failed ? 1 : 0, at: now)
            if !stale { servers[i].newSamples += 1 }
            if value >= 0, !failed, !stale {
                servers[i].window.add(value, at: now)
                if conns >= 0 { servers[i].conns.add(conns, at: now) }
            }
            // An outlier's requests say nothing about the pool's capacity.
            if servers[i].outlier != nil { return }
        }
        if value >= 0, !failed {
            if conns >= 0, server.map({ servers[$0].phase == .inService }) ?? true {
                model.add(conns: conns, beconn: beconn, value: value, learn: (lastMetric ?? 0) <= 2 * upThreshold, at: now)
            }
            guard !stale else { return }
            window.add(value, at: now, tag: server.map { servers[$0].id } ?? -1)
            newSamples += 1
        }
    }

    /// A logged request of this backend: answers its managed server (if any) and its metric.
    /// `node`: the HAProxy node that logged it (several nodes), or -1 when not known,
    /// and then its counters are one node's share of nothing known: not counted.
    mutating func observe(_ r: LogRecord, line: UnsafeRawBufferPointer, serverBytes: UnsafeRawBufferPointer, reachedServer: Bool,
                          openLoop: Bool, node: Int = -1, at now: Duration) -> (server: Int?, value: Int32) {
        let named = index(bytes: serverBytes)
        let value = DecisionEngine.metric(r, policy.metric)
        let counts = r.connectionCounts(in: line)
        var conns = counts?.srvConn ?? -1, beconn = counts?.beconn ?? -1
        if nodes > 1 {
            // `beconn` is left out with several nodes: the model reads a backlog from its growth
            // within tenths of a second, and a sum of other nodes' last counts moves by whole
            // connections from line to line, which read as a crowd arriving (seen in the
            // multi-node end-to-end test: a light load kept the model asking for every server).
            beconn = -1
            if node >= 0, node < nodes {
                if conns >= 0, let i = named { conns = servers[i].nodeConns.pooled(conns, node: node, of: nodes, at: now) }
            } else {
                conns = -1
            }
        }
        observe(server: openLoop ? nil : named, value: value, status: r.status, reachedServer: reachedServer,
                conns: conns, beconn: beconn,
                acceptedAt: r.Ta >= 0 ? now - .milliseconds(r.Ta) : nil, at: now)
        return (named, value)
    }

    /// An evaluation: new requests are judged against the thresholds, timers
    /// (quiet period, cooldown) are checked, servers removed from the inventory
    /// are drained once the backend is free. Call it after each batch of
    /// requests and on every clock tick.
    ///
    /// While ``following`` (the standby of a pair) the metric is judged, so the
    /// status, the quiet period and the model's recommendations stay current, but
    /// nothing is decided and nothing is answered: breach and outlier streaks are
    /// each controller's own, counted from when it acts.
    public mutating func evaluate(at now: Duration) -> [EngineEvent] {
        var events = following ? [] : pending
        pending.removeAll()
        dropRetiredSpares()
        window.expire(at: now)
        outcomes.expire(at: now)
        // Outliers first: a server detected now leaves the metric judged below.
        if !following { events += judgeOutliers(at: now) }
        let metric = window.aggregate(policy.aggregate)
        lastMetric = metric
        let judged = policy.windowSeconds > 0 || window.isFull
        if newSamples > 0, judged, let m = metric {
            newSamples = 0
            recordRecommendation(metric: m, at: now)
            if m > upThreshold {
                if !following { breaches += 1 }
                lastBreachAt = now
                quietSince = nil
                if !following, breaches >= policy.scaleUpBreaches, let e = scaleUp(metric: m, at: now) { events.append(e) }
            } else {
                breaches = 0
                lastSuppression = nil
                if m >= downThreshold { quietSince = nil } else if quietSince == nil { quietSince = now }
            }
        }
        guard !following else {
            if errorRate > policy.scaleDownMaxErrorRate { quietSince = nil }
            return events
        }
        if inFlight == nil, let d = healthDecision(at: now) ?? outlierDecision(at: now, &events) ?? retirementDrain() {
            begin(d, at: now)
            events.append(.scale(d))
        }
        if errorRate > policy.scaleDownMaxErrorRate {
            // The quiet period starts again only once errors fall back.
            quietSince = nil
            if let e = errorHold(at: now) { events.append(e) }
        } else if let e = scaleDown(at: now) {
            events.append(e)
        }
        return events
    }

    /// HAProxy's real state wins over memory, except for servers an action is
    /// working on. `newProcess`: HAProxy was reloaded or restarted since the last
    /// reconcile, so its state was reset from haproxy.cfg; that is no operator's
    /// statement about the pool, and hascale re-applies the state it had instead.
    /// `takingOver`: this controller just became the active one of its pair; servers
    /// in drain are what the previous one left unfinished (``leftDrainingDecision(at:)``).
    public mutating func reconcile(_ observations: [ServerObservation], at now: Duration, reportDrift: Bool = true,
                                   newProcess: Bool = false, takingOver: Bool = false) -> [EngineEvent] {
        var events: [EngineEvent] = []
        var unmanaged = 0
        var seen = Array(repeating: false, count: servers.count)
        var bringUp: [ProxyName] = [], takeDown: [ProxyName] = []
        for o in observations where o.backend == name.value {
            guard let i = index(of: o.server) else {
                if o.serving { unmanaged += 1 }
                continue
            }
            seen[i] = true
            servers[i].knownToHAProxy = true
            servers[i].sessions = o.sessions
            let server = servers[i].name
            if takingOver { noteLeftDraining(i, o) }
            if following {
                mirror(i, o, at: now)
                continue
            }
            func become(_ phase: Phase) {
                servers[i].phase = phase
                servers[i].since = now
                servers[i].forgetOutlier()
            }
            if newProcess, !servers[i].retired {
                switch servers[i].phase {
                case .inService where !o.inService, .down where !o.inService:
                    become(.spare)
                    bringUp.append(server)
                    owed.removeAll { $0 == server }
                    continue
                case .spare where o.inService:
                    become(o.serving ? .inService : .down)
                    takeDown.append(server)
                    continue
                default: break
                }
            }
            switch servers[i].phase {
            case .warming, .draining: continue
            case .spare where o.serving:
                become(.inService)
                if reportDrift { events.append(.drift(Drift(backend: name, server: server, cause: .inServiceInHAProxy(weight: o.weight)))) }
            case .spare where o.inService:
                // Enabled by hand but not up: not capacity, and no spare to bring up either.
                become(.down)
            case .inService where !o.inService, .down where !o.inService:
                let wasServing = servers[i].phase == .inService
                become(.spare)
                owed.removeAll { $0 == server }
                if reportDrift, wasServing {
                    events.append(.drift(Drift(backend: name, server: server, cause: .outOfServiceInHAProxy(o.admin, weight: o.weight))))
                }
            case .inService where !o.serving:
                become(.down)
                // Owed a replacement unless a replaced server's return left one too many already.
                if surplus > 0 {
                    // Covered by the one too many: its return makes one too many again.
                    surplus -= 1
                    replaced.insert(server)
                } else if !servers[i].retired {
                    owed.append(server)
                }
                events.append(.health(HealthChange(backend: name, server: server, kind: .down(alwaysUp: servers[i].inventory.alwaysUp))))
            case .down where o.serving:
                become(.inService)
                owed.removeAll { $0 == server }
                if replaced.remove(server) != nil { surplus += 1 }
                events.append(.health(HealthChange(backend: name, server: server, kind: .up)))
            default: break
            }
        }
        for i in servers.indices where !seen[i] && servers[i].knownToHAProxy {
            servers[i].knownToHAProxy = false
            if servers[i].phase == .inService || servers[i].phase == .down { servers[i].phase = .spare }
            events.append(.drift(Drift(backend: name, server: servers[i].name, cause: .unknownToHAProxy)))
        }
        unmanagedInService = unmanaged
        if newProcess, !following {
            reapply = bringUp.map { ($0, .up) } + takeDown.map { ($0, .down) }
            events.append(.haproxyRestarted(backend: name, bringUp: bringUp, takeDown: takeDown))
        }
        dropRetiredSpares()
        return events
    }

    /// The next action start-up needs so HAProxy matches the inventory's `active`
    /// flags, begun; nil when there is none left. Bring-ups come first, so the
    /// pool never shrinks below what it was, and each server is looked at once:
    /// a failed start-up warm-up is not retried by start-up.
    public mutating func nextStartupDecision(at now: Duration) -> ScaleDecision? {
        guard inFlight == nil else { return nil }
        if let i = servers.indices.first(where: {
            let s = servers[$0]
            return !s.startupChecked && !s.retired && s.knownToHAProxy && s.inventory.active && s.phase == .spare
        }) {
            servers[i].startupChecked = true
            let d = decision(.up, [servers[i].name], cause: .inventoryActive, pick: .named)
            begin(d, at: now)
            return d
        }
        guard activeCount > max(1, policy.minActive) else { return nil }
        if let i = servers.indices.first(where: {
            let s = servers[$0]
            return !s.startupChecked && !s.retired && s.knownToHAProxy && !s.inventory.active && !s.inventory.alwaysUp && s.phase == .inService
        }) {
            servers[i].startupChecked = true
            let d = decision(.down, [servers[i].name], cause: .inventoryInactive, pick: .named)
            begin(d, at: now)
            return d
        }
        return nil
    }

    /// A decision of this backend as it stands now: servers in service before it,
    /// `min_active`, and the threshold of its direction.
    func decision(_ direction: ScaleDecision.Direction, _ servers: [ProxyName], cause: ScaleDecision.Cause,
                  pick: ScaleDecision.Pick) -> ScaleDecision {
        ScaleDecision(backend: name, direction: direction, servers: servers, cause: cause, pick: pick, activeBefore: activeCount,
                      minActive: policy.minActive, thresholdMs: direction == .up ? upThreshold : downThreshold)
    }

    /// The one way a decision starts: its servers are marked as being worked on,
    /// and it becomes the backend's action in flight.
    mutating func begin(_ decision: ScaleDecision, at now: Duration) {
        precondition(inFlight == nil, "\(name): a decision began while another was in flight")
        inFlight = decision
        for s in decision.servers {
            guard let i = index(of: s.value) else { continue }
            servers[i].phase = decision.direction == .up ? .warming : .draining
            servers[i].since = now
        }
    }

    /// The outcome of `decision`: `failures` names the servers it could not move.
    public mutating func finished(_ decision: ScaleDecision, failures: Set<ProxyName> = [], at now: Duration) {
        if inFlight == decision { inFlight = nil }
        lastActionAt = now
        var anyUp = false
        for s in decision.servers {
            guard let i = index(of: s.value) else { continue }
            servers[i].since = now
            switch (decision.direction, failures.contains(s)) {
            case (.up, false):
                servers[i].phase = .inService
                anyUp = true
                if case .outlierReplacement(let o) = decision.cause, let j = index(of: o.value) { servers[j].outlierReplaced = true }
                if case .replacing(let lost) = decision.cause { replaced.formUnion(lost) }
            case (.up, true):
                servers[i].phase = .spare
                servers[i].failedAt = now
                // The next spare is tried for a replacement that did not come up.
                if case .replacing(let lost) = decision.cause { owed += lost }
            case (.down, false):
                servers[i].phase = .spare
                if case .outlier = decision.cause { eject(i, at: now) } else { surplus = max(0, surplus - 1) }
            case (.down, true):
                // A drain left by another controller that could not be finished is still out of service.
                if case .leftDraining = decision.cause { servers[i].phase = .spare; continue }
                servers[i].phase = .inService
                if case .outlier = decision.cause { servers[i].ejectRetryAt = now + .seconds(30) }
            }
        }
        if anyUp {
            lastScaleUpAt = now
            // What each server answered before the pool grew says nothing of how it compares now.
            for i in servers.indices where servers[i].outlier == nil {
                servers[i].window.removeAll()
                servers[i].conns.removeAll()
                servers[i].outlierStreak = 0
            }
        }
        if decision.direction == .down, decision.servers.contains(where: { !failures.contains($0) }) { lastScaleDownAt = now }
        // A removed server whose drain failed (the last in service, HAProxy refused)
        // is tried once, then no longer managed: it stays as HAProxy has it.
        if decision.direction == .down {
            servers.removeAll { $0.retired && failures.contains($0.name) }
        }
        dropRetiredSpares()
    }

    // MARK: decisions

    mutating func scaleUp(metric m: Double, at now: Duration) -> EngineEvent? {
        let active = activeCount
        func hold(_ cause: Suppression.Cause) -> EngineEvent? {
            if let last = lastSuppression, last.kind == cause.kind, now - last.at < Self.suppressionRepeat { return nil }
            lastSuppression = (cause.kind, now)
            return .suppressed(Suppression(backend: name, cause: cause, reading: reading(m, upThreshold), breaches: breaches, active: active))
        }
        if let f = inFlight { return hold(.actionInFlight(f.direction, f.servers)) }
        // One server standing out is not a need for capacity: judge it first.
        if policy.outliers.mode != .off, let s = servers.first(where: { $0.phase == .inService && !$0.retired && $0.outlier == nil && $0.outlierStreak > 0 }) {
            return hold(.outlierSuspected(s.name))
        }
        let cooldown = Duration.seconds(policy.scaleUpCooldownSeconds)
        if let t = lastScaleUpAt, now - t < cooldown { return hold(.cooldown(left: cooldown - (now - t))) }
        if active >= maxActive { return hold(.maxActive(maxActive)) }
        let spares = upCandidates(at: now)
        guard !spares.isEmpty else { return hold(.noSpare) }
        var step = m >= 2 * upThreshold ? max(1, policy.scaleUpStep) : 1
        let verdict: ScaleDecision.Model
        switch policy.sizing {
        case .step: verdict = .off
        case .model:
            switch model.size(targetMs: upThreshold * (1 - policy.scaleUpHeadroom), active: active, floor: active + 1,
                              ceiling: maxActive, tail: tail(m), at: now) {
            case .success(let sizing):
                verdict = .sized(sizing)
                step = max(1, sizing.servers - active)
            case .failure(let why): verdict = .fallback(why)
            }
        }
        if let bound = policy.scaleUpMaxStep { step = min(step, bound) }
        let chosen = Array(spares.prefix(min(step, maxActive - active)))
        let d = decision(.up, chosen.map { servers[$0].name }, cause: .aboveThreshold(reading(m, upThreshold), breaches: breaches, model: verdict),
                         pick: .restingLongest(chosen.map { now - servers[$0].since }))
        begin(d, at: now)
        breaches = 0
        lastSuppression = nil
        return .scale(d)
    }

    mutating func scaleDown(at now: Duration) -> EngineEvent? {
        guard inFlight == nil else { return nil }
        let active = activeCount
        guard active > max(1, policy.minActive) else { return nil }
        let after = Duration.seconds(policy.scaleDownAfterSeconds)
        if let (cause, count) = modelScaleDown(active: active, at: now) {
            let (chosen, pick) = downPick(count, active: active)
            let d = decision(.down, chosen.map { servers[$0].name }, cause: cause, pick: pick)
            begin(d, at: now)
            return .scale(d)
        }
        guard now - lastActionAt >= after else { return nil }
        let cause: ScaleDecision.Cause
        // A trusted model has the say on a loaded backend (it may ask to keep the pool);
        // the one-server-fewer rule is for when it cannot be trusted.
        let modelDecides = policy.sizing == .model && recommendingSince != nil
        if !modelDecides, let q = quietSince, now - q >= after, let m = lastMetric, lastRequestAt.map({ now - $0 < after }) ?? false {
            // Test the pool after the action, not the pool now: the same load on one
            // server fewer must still stay under the lower threshold, or the next
            // evaluation would undo the action (flapping).
            let projected = withOneServerFewer(m)
            guard projected < downThreshold else { return nil }
            let verdict: ScaleDecision.Model = policy.sizing == .step ? .off : modelDistrust(at: now).map { .fallback($0) } ?? .off
            cause = .belowThreshold(reading(m, downThreshold), quietFor: now - q, projectedMs: projected, model: verdict)
        } else if let last = lastRequestAt, now - last >= after {
            cause = .idle(for: now - last)
        } else if lastRequestAt == nil {
            cause = .idleSinceStart(now - lastActionAt)
        } else {
            return nil
        }
        let (chosen, pick) = downPick(1, active: active)
        guard !chosen.isEmpty else { return nil }
        let d = decision(.down, chosen.map { servers[$0].name }, cause: cause, pick: pick)
        begin(d, at: now)
        return .scale(d)
    }

    /// The servers a capacity scale-down of `count` takes: the idlest, except on the step
    /// that reaches `min_active`, which takes the last in the inventory's order. Of two
    /// controllers acting at once (a split-brained pair), each may pass the executor's
    /// count check before the other's drain lands; picking by a rule of HAProxy's state
    /// and the shared inventory alone makes them drain the same server there, where two
    /// different ones would leave the pool short.
    func downPick(_ count: Int, active: Int) -> (servers: [Int], pick: ScaleDecision.Pick) {
        let candidates = downCandidates()
        if active - count <= max(1, policy.minActive) {
            let chosen = Array(candidates.sorted(by: >).prefix(count))
            return (chosen, .lastInPoolOrder)
        }
        let chosen = Array(candidates.prefix(count))
        return (chosen, chosen.first.map { .fewestSessions(servers[$0].sessions) } ?? .named)
    }

    /// Servers a scale-down may take, best first: fewest sessions, then the highest `priority`.
    func downCandidates() -> [Int] {
        servers.indices.filter { servers[$0].phase == .inService && !servers[$0].inventory.alwaysUp && !servers[$0].retired }
            .sorted { a, b in
                (servers[a].sessions, -servers[a].inventory.priority, b) < (servers[b].sessions, -servers[b].inventory.priority, a)
            }
    }

    /// Spares that may come up now, best first: resting longest, then `priority`.
    func upCandidates(at now: Duration) -> [Int] {
        let retryAfter = max(Duration.seconds(policy.scaleUpCooldownSeconds), .seconds(30))
        return servers.indices.filter { i in
            servers[i].phase == .spare && servers[i].knownToHAProxy && !servers[i].retired && servers[i].ejectedUntil == nil
                && (servers[i].failedAt.map { now - $0 >= retryAfter } ?? true)
        }.sorted { a, b in
            (servers[a].since, servers[a].inventory.priority, a) < (servers[b].since, servers[b].inventory.priority, b)
        }
    }

    /// Health comes before load: what a new HAProxy process reset, then capacity lost
    /// to health checks (at once: no breach count, no cooldown), then `min_active`.
    mutating func healthDecision(at now: Duration) -> ScaleDecision? {
        while let (server, direction) = reapply.first {
            reapply.removeFirst()
            guard let i = index(of: server.value), !servers[i].retired else { continue }
            if direction == .up, servers[i].phase == .spare {
                return decision(.up, [server], cause: .haproxyRestarted, pick: .named)
            }
            if direction == .down, servers[i].phase == .inService || servers[i].phase == .down,
               !servers[i].inventory.alwaysUp, activeCount > max(1, policy.minActive) || servers[i].phase == .down {
                return decision(.down, [server], cause: .haproxyRestarted, pick: .named)
            }
        }
        if let d = leftDrainingDecision(at: now) { return d }
        if !owed.isEmpty {
            let stillDown = Set(servers.indices.filter { servers[$0].phase == .down }.map { servers[$0].name })
            owed.removeAll { !stillDown.contains($0) }
        }
        let lacking = !owed.isEmpty || activeCount < policy.minActive
        guard lacking, activeCount < maxActive, let spare = upCandidates(at: now).first else { return nil }
        let cause: ScaleDecision.Cause = owed.isEmpty ? .belowMinActive(policy.minActive) : .replacing([owed.removeFirst()])
        return decision(.up, [servers[spare].name], cause: cause, pick: .restingLongest([now - servers[spare].since]))
    }

    // MARK: outliers

    /// The most `outliers.max_ejected` allows: 10 % of the backend's servers, at least 1.
    var maxEjected: Int { policy.outliers.maxEjected ?? max(1, servers.count / 10) }

    /// Servers ejected now, or on their way out as outliers.
    var ejectedCount: Int {
        serverCount { $0.ejectedUntil != nil } + (inFlight.map { if case .outlier = $0.cause { 1 } else { 0 } } ?? 0)
    }

    /// The outlier rule for one serving server against its serving peers, or nil
    /// when it does not stand out (or cannot be judged yet). `aggregates`: each
    /// server's own aggregate, computed once per evaluation.
    /// `fit`: the backend's load model when trusted. A server slower than its peers
    /// only because it carries more connections (the backlog a smaller pool left on
    /// it) is as fast as the model says a server that loaded is: no outlier.
    /// `sorted`: the aggregates of every server that may be a peer (serving, no
    /// outlier, not retired), sorted once per evaluation; the server's own is left
    /// out here, so a pool of 60 costs 60 lookups, not 60 sorts.
    func outlierReading(_ i: Int, _ aggregates: [Double?], sorted: [Double], fit: LoadModel.Fit? = nil) -> OutlierReading? {
        let o = policy.outliers
        let peers = servers.indices.filter {
            $0 != i && servers[$0].phase == .inService && servers[$0].outlier == nil && !servers[$0].retired
        }
        guard peers.count >= 2 else { return nil }
        let isPeer = servers[i].phase == .inService && servers[i].outlier == nil && !servers[i].retired
        let skip = isPeer ? aggregates[i].map { v in sorted.firstIndex { $0 >= v } ?? sorted.count - 1 } : nil
        let count = sorted.count - (skip == nil ? 0 : 1)
        func peer(_ k: Int) -> Double { skip.map { k < $0 ? sorted[k] : sorted[k + 1] } ?? sorted[k] }
        let median = count == 0 ? 0 : count % 2 == 1 ? peer(count / 2) : (peer(count / 2 - 1) + peer(count / 2)) / 2
        if servers[i].window.count >= o.minRequests, count >= 2, let mine = aggregates[i],
           mine > o.factor * median, mine > upThreshold,
           fit.map({ f in servers[i].conns.mean.map { (servers[i].window.mean ?? mine) > o.factor * f.latency(perServer: $0) } ?? true }) ?? true {
            return OutlierReading(rule: .slow(factor: o.factor), serverMetricMs: mine, peerMedianMs: median)
        }
        let errors = servers[i].outcomes.mean ?? 0
        if servers[i].outcomes.count >= o.minRequests, errors >= o.errorRate,
           peers.allSatisfy({ (servers[$0].outcomes.mean ?? 0) < 0.05 }) {
            return OutlierReading(rule: .failing(errorRate: errors), serverMetricMs: aggregates[i] ?? 0, peerMedianMs: median)
        }
        return nil
    }

    /// Counts each serving server's evaluations in a row against the rule (only
    /// evaluations with new samples of its own count), detects and clears outliers,
    /// and readmits ejected servers whose time is over.
    mutating func judgeOutliers(at now: Duration) -> [EngineEvent] {
        var events: [EngineEvent] = []
        var aggregates: [Double?] = Array(repeating: nil, count: servers.count)
        for i in servers.indices {
            servers[i].window.expire(at: now)
            servers[i].outcomes.expire(at: now)
            if let until = servers[i].ejectedUntil, now >= until, servers[i].phase == .spare {
                servers[i].ejectedUntil = nil
                events.append(.outlier(OutlierEvent(backend: name, server: servers[i].name, kind: .readmitted, reading: nil)))
            }
            if servers[i].phase == .inService {
                aggregates[i] = servers[i].window.aggregate(policy.aggregate)
                servers[i].lastMetric = aggregates[i]
            } else {
                servers[i].lastMetric = nil
                servers[i].outlierStreak = 0
            }
        }
        guard policy.outliers.mode != .off else { return events }
        let fit = try? model.fit(at: now).get()
        var sorted = peerAggregates(aggregates)
        for i in servers.indices where servers[i].phase == .inService && !servers[i].retired && servers[i].newSamples > 0
            && (servers[i].outlierJudgedAt.map { now - $0 >= Self.outlierSpacing } ?? true) {
            servers[i].newSamples = 0
            servers[i].outlierJudgedAt = now
            let reading = outlierReading(i, aggregates, sorted: sorted, fit: fit)
            if servers[i].outlier == nil {
                servers[i].outlierStreak = reading == nil ? 0 : servers[i].outlierStreak + 1
                if let r = reading, servers[i].outlierStreak >= policy.outliers.consecutive {
                    servers[i].outlier = r
                    servers[i].outlierStreak = 0
                    servers[i].keptReported = false
                    window.remove(tag: servers[i].id)
                    sorted = peerAggregates(aggregates)
                    events.append(.outlier(OutlierEvent(backend: name, server: servers[i].name, kind: .detected, reading: r)))
                }
            } else if let r = reading {
                servers[i].outlier = r
                servers[i].outlierStreak = 0
            } else if servers[i].window.count >= policy.outliers.minRequests, sorted.count >= 2 {
                // As many good evaluations in a row clear it again; one that could not
                // be judged (its peers' windows just emptied by a scale-up) is no evidence.
                servers[i].outlierStreak += 1
                if servers[i].outlierStreak >= policy.outliers.consecutive {
                    servers[i].outlier = nil
                    servers[i].outlierReplaced = false
                    servers[i].outlierStreak = 0
                    sorted = peerAggregates(aggregates)
                }
            }
        }
        return events
    }

    /// The aggregates of the servers that may be peers (serving, no outlier, not retired), sorted.
    func peerAggregates(_ aggregates: [Double?]) -> [Double] {
        servers.indices.compactMap { j in
            servers[j].phase == .inService && servers[j].outlier == nil && !servers[j].retired ? aggregates[j] : nil
        }.sorted()
    }

    /// Ejects the worst detected outlier when the caps allow: a spare comes in
    /// first when there is one and `max_active` allows; with none, it goes only if
    /// the rest stay under the scale-up threshold with one server fewer.
    mutating func outlierDecision(at now: Duration, _ events: inout [EngineEvent]) -> ScaleDecision? {
        let candidates = servers.indices.filter {
            servers[$0].phase == .inService && servers[$0].outlier != nil && !servers[$0].retired
                && (servers[$0].ejectRetryAt.map { now >= $0 } ?? true)
        }
            .sorted { (servers[$0].outlier!.serverMetricMs / max(1, servers[$0].outlier!.peerMedianMs))
                > (servers[$1].outlier!.serverMetricMs / max(1, servers[$1].outlier!.peerMedianMs)) }
        for i in candidates {
            let o = servers[i].outlier!
            func keep(_ why: OutlierEvent.Reason) {
                guard !servers[i].keptReported else { return }
                servers[i].keptReported = true
                events.append(.outlier(OutlierEvent(backend: name, server: servers[i].name, kind: .kept(why), reading: o)))
            }
            if policy.outliers.mode == .detect { keep(.detectOnly); continue }
            if servers[i].inventory.alwaysUp { keep(.alwaysUp); continue }
            if ejectedCount >= maxEjected { keep(.maxEjected(maxEjected)); continue }
            if activeCount <= 1 { keep(.lastServing); continue }
            if !servers[i].outlierReplaced, activeCount < maxActive, let spare = upCandidates(at: now).first {
                return decision(.up, [servers[spare].name], cause: .outlierReplacement(servers[i].name), pick: .restingLongest([now - servers[spare].since]))
            }
            if !servers[i].outlierReplaced {
                guard activeCount > max(1, policy.minActive) else { keep(.lastServing); continue }
                if let m = lastMetric, case let projected = withOneServerFewer(m), projected >= upThreshold {
                    keep(.noCapacity(projectedMs: projected))
                    continue
                }
            }
            return decision(.down, [servers[i].name], cause: .outlier(o), pick: .named)
        }
        return nil
    }

    /// Out of rotation until its ejection time is over, doubled for each repeat.
    mutating func eject(_ i: Int, at now: Duration) {
        servers[i].ejections += 1
        let rest = min(3600, policy.outliers.ejectionSeconds * Double(1 << min(servers[i].ejections - 1, 12)))
        servers[i].ejectedUntil = now + .seconds(rest)
        servers[i].outlier = nil
        servers[i].outlierReplaced = false
        servers[i].outlierStreak = 0
        servers[i].window.removeAll()
        servers[i].conns.removeAll()
        servers[i].outcomes.removeAll()
    }

    /// A scale-down that the error rate holds back, explained when one would be
    /// due by time, at most every ``suppressionRepeat``.
    mutating func errorHold(at now: Duration) -> EngineEvent? {
        guard inFlight == nil, activeCount > max(1, policy.minActive),
              now - lastActionAt >= .seconds(policy.scaleDownAfterSeconds) else { return nil }
        if let last = lastDownSuppression, now - last < Self.suppressionRepeat { return nil }
        lastDownSuppression = now
        return .suppressed(Suppression(backend: name, direction: .down,
                                       cause: .errorRate(errorRate, limit: policy.scaleDownMaxErrorRate),
                                       reading: reading(lastMetric ?? 0, downThreshold), breaches: 0, active: activeCount))
    }

    /// A server removed from the inventory while in service leaves drained, as
    /// soon as the backend has no other action in flight (a removed server that
    /// was warming is waited for, then drained if its warm-up brought it up).
    func retirementDrain() -> ScaleDecision? {
        guard inFlight == nil, let i = servers.indices.first(where: { servers[$0].retired && servers[$0].phase == .inService }) else { return nil }
        return decision(.down, [servers[i].name], cause: .removedFromInventory, pick: .named)
    }

    /// Retired servers that are out of service are no longer managed.
    mutating func dropRetiredSpares() {
        guard servers.indices.contains(where: { servers[$0].retired }) else { return }
        servers.removeAll { ($0.retired && ($0.phase == .spare || $0.phase == .down)) && !(inFlight?.servers.contains($0.name) ?? false) }
    }

    /// The metric `m` expected with one server fewer in service: only the part
    /// above the fastest request in the window (the app's own time) grows with
    /// each server's share of the load, by n/(n-1).
    func withOneServerFewer(_ m: Double) -> Double {
        let active = activeCount
        let floor = min(m, window.minimum ?? m)
        return floor + (m - floor) * Double(active) / Double(active - 1)
    }

    // MARK: status

    public func status(at now: Duration) -> BackendStatus {
        var s = BackendStatus(backend: name, active: activeCount, total: servers.count + unmanagedInService, metric: policy.metric,
                              aggregate: policy.aggregate, metricMs: lastMetric, upThresholdMs: upThreshold,
                              downThresholdMs: downThreshold, next: nextStep(at: now))
        s.down = serverCount { $0.phase == .down }
        s.ejected = serverCount { $0.ejectedUntil != nil }
        s.maxActive = maxActive
        s.recommendedServers = recommendingSince == nil ? nil : recommended.last?.servers
        return s
    }

    func nextStep(at now: Duration) -> BackendStatus.NextStep {
        if let f = inFlight { return .acting(f.direction, f.servers) }
        if !owed.isEmpty { return .replacementPending(owed.count) }
        if breaches > 0 {
            let cooldown = Duration.seconds(policy.scaleUpCooldownSeconds)
            let left = lastScaleUpAt.flatMap { now - $0 < cooldown ? cooldown - (now - $0) : nil }
            return .breaching(count: breaches, needed: policy.scaleUpBreaches, cooldownLeft: left)
        }
        if errorRate > policy.scaleDownMaxErrorRate { return .errorsHoldScaleDown(errorRate) }
        guard activeCount > max(1, policy.minActive),
              serverCount({ $0.phase == .inService && !$0.inventory.alwaysUp }) > 0 else { return .atMinimum }
        let after = Duration.seconds(policy.scaleDownAfterSeconds)
        var start: Duration? = quietSince
        if let last = lastRequestAt, now - last >= .seconds(1) { start = min(start ?? last, last) }
        if lastRequestAt == nil { start = lastActionAt }
        guard let q = start else { return .steady }
        if let m = lastMetric, start == quietSince, case let projected = withOneServerFewer(m), projected >= downThreshold {
            return .steadyProjected(projected)
        }
        let due = max(q + after, lastActionAt + after)
        return .scaleDownIn(due - now)
    }
}
