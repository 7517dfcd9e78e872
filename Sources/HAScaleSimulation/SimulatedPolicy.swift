import HAScale

/// A scaling policy the simulator can run in closed loop: requests and ticks
/// in, actions out, each action reported back when the simulated pool has
/// carried it out. hascale's own engine is one; the script it replaces another.
protocol SimulatedPolicy {
    var name: String { get }
    /// A request finished on `server` (the inventory's index) after `ms`, logged with `conns` on its
    /// server and `beconn` on the backend (itself included, as HAProxy counts it).
    mutating func observe(server: Int, ms: Int32, conns: Int32, beconn: Int32, acceptedAt: Double, at t: Double)
    /// A request no server could take (none serving).
    mutating func observeFailure(at t: Double)
    /// The actions begun now.
    mutating func evaluate(at t: Double) -> [SimulatedAction]
    mutating func finished(_ action: SimulatedAction, at t: Double)
    /// HAProxy's state, as the daemon reads it at every resync.
    mutating func resync(_ observations: [ServerObservation], at t: Double)
}

struct SimulatedAction {
    var up: Bool
    var servers: [Int]
    /// The engine's decision, to report back; nil for the script's actions.
    var decision: ScaleDecision?
}

@inline(__always)
func duration(_ t: Double) -> Duration { .nanoseconds(Int64(t * 1e9)) }

/// The daemon's own engine, unchanged: ``BackendAutoscaler`` as ``ScalingLoop`` drives it.
struct EnginePolicy: SimulatedPolicy {
    var engine: BackendAutoscaler
    let indexOfName: [String: Int]
    /// Engine index → inventory index (the engine may keep its servers in another order).
    var name: String { "hascale" }

    init(backend: Inventory.Backend) {
        engine = BackendAutoscaler(backend: backend, at: .zero)
        var map: [String: Int] = [:]
        for (i, s) in backend.servers.enumerated() { map[s.name.value] = i }
        indexOfName = map
    }

    mutating func observe(server: Int, ms: Int32, conns: Int32, beconn: Int32, acceptedAt: Double, at t: Double) {
        engine.observe(server: server, value: ms, status: 200, conns: conns, beconn: beconn, acceptedAt: duration(acceptedAt), at: duration(t))
    }

    mutating func observeFailure(at t: Double) {
        engine.observe(server: nil, value: -1, status: 503, reachedServer: false, at: duration(t))
    }

    mutating func evaluate(at t: Double) -> [SimulatedAction] {
        engine.evaluate(at: duration(t)).compactMap { event in
            guard case .scale(let d) = event else { return nil }
            return SimulatedAction(up: d.direction == .up, servers: d.servers.compactMap { indexOfName[$0.value] }, decision: d)
        }
    }

    mutating func finished(_ action: SimulatedAction, at t: Double) {
        if let d = action.decision { engine.finished(d, at: duration(t)) }
    }

    mutating func resync(_ observations: [ServerObservation], at t: Double) {
        _ = engine.reconcile(observations, at: duration(t), reportDrift: false)
    }
}

/// The original script's rules, as ORIGINS.md tells them: the mean of the last
/// 15 response times; a breach for each request that finds it above the
/// threshold, never reset by a good one; one random spare at the third breach;
/// one timer of `scale_down.after_seconds`, restarted by every action, that
/// takes a random server that is not `always_up` down when it fires.
struct SeedPolicy: SimulatedPolicy {
    var name: String { "seed" }
    let thresholdMs: Double
    let after: Double
    let alwaysUp: [Bool]
    var serving: [Bool]
    var ring = [Int32](repeating: 0, count: 15)
    var filled = 0
    var next = 0
    var sum: Int64 = 0
    var breaches = 0
    var busy = false
    var timerStart = 0.0
    var random: SimulationRandom

    init(backend: Inventory.Backend, seed: UInt64) {
        thresholdMs = backend.policy.scaleUpThresholdMs
        after = backend.policy.scaleDownAfterSeconds
        alwaysUp = backend.servers.map(\.alwaysUp)
        serving = backend.servers.map(\.active)
        random = SimulationRandom(seed: seed ^ 0x5EED)
    }

    mutating func observe(server: Int, ms: Int32, conns: Int32, beconn: Int32, acceptedAt: Double, at t: Double) {
        if filled == 15 { sum -= Int64(ring[next]) } else { filled += 1 }
        ring[next] = ms
        sum += Int64(ms)
        next = next == 14 ? 0 : next + 1
        if Double(sum) / Double(filled) > thresholdMs { breaches += 1 }
    }

    mutating func observeFailure(at t: Double) {}

    mutating func evaluate(at t: Double) -> [SimulatedAction] {
        guard !busy else { return [] }
        if breaches >= 3 {
            breaches = 0
            let spares = serving.indices.filter { !serving[$0] }
            if !spares.isEmpty {
                let s = spares[random.index(spares.count)]
                busy = true
                timerStart = t
                return [SimulatedAction(up: true, servers: [s], decision: nil)]
            }
        }
        if t - timerStart >= after {
            timerStart = t
            let candidates = serving.indices.filter { serving[$0] && !alwaysUp[$0] }
            if !candidates.isEmpty {
                let s = candidates[random.index(candidates.count)]
                busy = true
                serving[s] = false
                return [SimulatedAction(up: false, servers: [s], decision: nil)]
            }
        }
        return []
    }

    mutating func finished(_ action: SimulatedAction, at t: Double) {
        busy = false
        timerStart = t
        if action.up { for s in action.servers { serving[s] = true } }
    }

    mutating func resync(_ observations: [ServerObservation], at t: Double) {}
}
