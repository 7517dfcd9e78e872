import HAScale
import HAProxyNames

/// What to simulate: one backend of an inventory, the traffic it gets and how
/// its servers answer.
public struct SimulationSetup: Sendable {
    public var backend: Inventory.Backend
    public var traffic: Traffic
    public var server: ServerModel
    public var seed: UInt64
    /// What a second's mean response time is judged against; the scale-up threshold unless set.
    public var sloMs: Double?
    /// Keep one ``TimelineRow`` per second.
    public var timeline: Bool
    /// How often the policy is evaluated, in seconds: the daemon evaluates after each batch of log lines.
    public var evaluateEvery: Double

    public init(backend: Inventory.Backend, traffic: Traffic, server: ServerModel = ServerModel(), seed: UInt64 = 1,
                sloMs: Double? = nil, timeline: Bool = false, evaluateEvery: Double = 0.1) {
        self.backend = backend
        self.traffic = traffic
        self.server = server
        self.seed = seed
        self.sloMs = sloMs
        self.timeline = timeline
        self.evaluateEvery = evaluateEvery
    }

    public var effectiveSloMs: Double { sloMs ?? backend.policy.scaleUpThresholdMs }
}

/// Which rules drive the simulated pool.
public enum SimulatedPolicyKind: String, Sendable, CaseIterable {
    /// hascale's engine, the daemon's own code.
    case hascale
    /// The script hascale replaces.
    case seed
}

/// A closed loop in virtual time: Poisson arrivals at the traffic's rate,
/// processor-sharing servers, and a policy that sees each request as the log
/// would show it and moves servers as the daemon would, with the warm-up and
/// drain delays a real pool has.
public enum Simulation {
    enum ServerState: Equatable {
        case spare, warming, serving, draining
    }

    struct Running {
        var action: SimulatedAction
        var startedAt: Double
    }

    public static func run(_ setup: SimulationSetup, policy kind: SimulatedPolicyKind) -> SimulationResult {
        switch kind {
        case .hascale:
            var p = EnginePolicy(backend: setup.backend)
            return run(setup, &p)
        case .seed:
            var p = SeedPolicy(backend: setup.backend, seed: setup.seed)
            return run(setup, &p)
        }
    }

    static func run<P: SimulatedPolicy>(_ setup: SimulationSetup, _ policy: inout P) -> SimulationResult {
        let backend = setup.backend
        let model = setup.server
        let n = backend.servers.count
        let end = setup.traffic.duration
        let slo = setup.effectiveSloMs
        let after = backend.policy.scaleDownAfterSeconds
        let drainTimeout = backend.policy.drainTimeoutSeconds
        var arrivalsRandom = SimulationRandom(seed: setup.seed)
        var serviceRandom = SimulationRandom(seed: setup.seed &+ 1)
        var balanceRandom = SimulationRandom(seed: setup.seed &+ 2)

        var servers = (0..<n).map { _ in ProcessorSharingServer(cores: model.cores) }
        var nextDeparture = [Double](repeating: .infinity, count: n)
        var state: [ServerState] = backend.servers.map { $0.active ? .serving : .spare }
        var rotation = state.indices.filter { state[$0] == .serving }
        var rr = 0
        var totalInFlight = 0
        var running: [Running] = []
        var lastUp = [Double](repeating: -.infinity, count: n)
        var lastDown = [Double](repeating: -.infinity, count: n)

        let seconds = Int(end.rounded(.up)) + 1
        var secondCount = [UInt32](repeating: 0, count: seconds)
        var secondSum = [Double](repeating: 0, count: seconds)
        var secondServing = [UInt16](repeating: 0, count: seconds)
        var secondP95 = setup.timeline ? [Double?](repeating: nil, count: seconds) : []
        var perSecond = LatencyRecorder()
        var currentSecond = 0
        var all = LatencyRecorder()
        var failed: UInt64 = 0
        var serverSeconds = 0.0
        var scaleUps = 0, scaleDowns = 0, flaps = 0
        var maxServing = rotation.count
        var decisions: [TimedDecision] = []

        var segmentHint = 0
        var t = 0.0
        func drawArrival(from t: Double) -> Double {
            var at = t
            while at < end {
                let (rate, until) = setup.traffic.segment(at: at, from: &segmentHint)
                if rate > 0 {
                    let next = at + arrivalsRandom.exponential(mean: 1 / rate)
                    if next < until { return next }
                }
                at = until
            }
            return .infinity
        }
        var nextArrival = drawArrival(from: 0)
        var ticks = 1
        var nextTick = setup.evaluateEvery
        var nextResync = backend.policy.resyncSeconds

        while true {
            var dep = Double.infinity
            var depServer = -1
            for i in 0..<n where nextDeparture[i] < dep {
                dep = nextDeparture[i]
                depServer = i
            }
            let next = min(nextArrival, dep, nextTick)
            if next >= end { break }
            t = next
            if next == dep {
                let arrival = servers[depServer].depart(at: t)
                let conns = Int32(servers[depServer].inFlight + 1)
                let beconn = Int32(totalInFlight)
                totalInFlight -= 1
                nextDeparture[depServer] = servers[depServer].nextDeparture
                let ms = (t - arrival) * 1000
                all.add(ms)
                let s = Int(t)
                secondCount[s] &+= 1
                secondSum[s] += ms
                if setup.timeline {
                    if s != currentSecond {
                        secondP95[currentSecond] = perSecond.percentile(95)
                        perSecond.removeAll()
                        currentSecond = s
                    }
                    perSecond.add(ms)
                }
                policy.observe(server: depServer, ms: Int32(min(ms, Double(Int32.max))), conns: conns, beconn: beconn, acceptedAt: arrival, at: t)
            } else if next == nextArrival {
                nextArrival = drawArrival(from: t)
                let work = model.draw(&serviceRandom)
                guard !rotation.isEmpty else {
                    failed &+= 1
                    policy.observeFailure(at: t)
                    continue
                }
                let target: Int
                switch model.balance {
                case .roundrobin:
                    target = rotation[rr % rotation.count]
                    rr &+= 1
                case .random:
                    target = rotation[balanceRandom.index(rotation.count)]
                case .leastconn:
                    var best = rotation[rr % rotation.count]
                    for i in rotation where servers[i].inFlight < servers[best].inFlight { best = i }
                    rr &+= 1
                    target = best
                }
                servers[target].arrive(at: t, needing: work)
                totalInFlight += 1
                nextDeparture[target] = servers[target].nextDeparture
            } else {
                // A tick: the policy's evaluation, actions that completed, the bill.
                ticks += 1
                nextTick = Double(ticks) * setup.evaluateEvery
                var powered = 0
                for i in 0..<n where state[i] != .spare || servers[i].inFlight > 0 { powered += 1 }
                serverSeconds += Double(powered) * setup.evaluateEvery
                var changed = false
                var k = 0
                while k < running.count {
                    let r = running[k]
                    let done = r.action.up
                        ? t - r.startedAt >= model.warmupSeconds
                        : t - r.startedAt >= drainTimeout || r.action.servers.allSatisfy { servers[$0].inFlight == 0 }
                    guard done else {
                        k += 1
                        continue
                    }
                    for s in r.action.servers { state[s] = r.action.up ? .serving : .spare }
                    running.remove(at: k)
                    changed = true
                    policy.finished(r.action, at: t)
                }
                if t >= nextResync {
                    nextResync += backend.policy.resyncSeconds
                    policy.resync(observations(backend, state, servers), at: t)
                }
                for a in policy.evaluate(at: t) where !a.servers.isEmpty {
                    if let d = a.decision { decisions.append(TimedDecision(second: t, decision: d)) }
                    for s in a.servers {
                        if a.up {
                            if t - lastDown[s] < after { flaps += 1 }
                            lastUp[s] = t
                            state[s] = .warming
                        } else {
                            if t - lastUp[s] < after { flaps += 1 }
                            lastDown[s] = t
                            state[s] = .draining
                        }
                    }
                    if a.up { scaleUps += 1 } else { scaleDowns += 1 }
                    running.append(Running(action: a, startedAt: t))
                    changed = true
                }
                if changed {
                    rotation = state.indices.filter { state[$0] == .serving }
                    maxServing = max(maxServing, rotation.count)
                }
                let s = Int(t)
                if s < seconds { secondServing[s] = UInt16(rotation.count) }
            }
        }
        if setup.timeline, currentSecond < seconds { secondP95[currentSecond] = perSecond.percentile(95) }

        var violations = 0
        var oracle = 0.0
        var timeline: [TimelineRow] = []
        let whole = Int(end)
        var rowHint = 0
        for s in 0..<whole {
            let mean = secondCount[s] > 0 ? secondSum[s] / Double(secondCount[s]) : nil
            if let m = mean, m > slo { violations += 1 }
            let rate = setup.traffic.rate(inSecond: s, from: &rowHint)
            oracle += Double(model.fewestServers(rate: rate, sloMs: slo))
            if setup.timeline {
                timeline.append(TimelineRow(second: s, rate: rate, serving: Int(secondServing[s]), meanMs: mean, p95Ms: secondP95[s]))
            }
        }
        return SimulationResult(
            policy: policy.name, requests: all.count, meanMs: all.mean ?? 0, p50Ms: all.percentile(50) ?? 0,
            p95Ms: all.percentile(95) ?? 0, p99Ms: all.percentile(99) ?? 0, sloMs: slo, sloViolationSeconds: violations,
            serverSeconds: serverSeconds, oracleServerSeconds: oracle, scaleUps: scaleUps, scaleDowns: scaleDowns, flaps: flaps,
            maxActive: maxServing, failed: failed, timeline: timeline, decisions: decisions)
    }

    /// The pool as `show servers state` would show it at a resync.
    static func observations(_ backend: Inventory.Backend, _ state: [ServerState], _ servers: [ProcessorSharingServer]) -> [ServerObservation] {
        backend.servers.indices.map { i in
            let admin: ServerObservation.Admin = switch state[i] {
            case .serving, .warming: .ready
            case .draining: .drain
            case .spare: .maint
            }
            return ServerObservation(backend: backend.name.value, server: backend.servers[i].name.value, admin: admin,
                                     weight: state[i] == .spare ? 0 : 1, sessions: servers[i].inFlight)
        }
    }
}
