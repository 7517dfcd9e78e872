import HAProxySocket

/// The scaling state machine of one backend: requests and clock ticks go in,
/// decisions come out. No I/O and no clock of its own — time is whatever the
/// caller says it is — so it can be tested, replayed and simulated.
///
/// Scale up early, scale down slowly: a scale-up needs `breaches` consecutive
/// evaluations above the threshold; a scale-down needs the metric to stay below
/// a lower threshold (hysteresis) for `after_seconds`, or no requests at all for
/// that long. A scale-down cooldown never delays a scale-up.
public struct BackendAutoscaler: Sendable {
    /// Where a managed server stands, as far as the engine knows.
    public enum Phase: String, Sendable {
        case inService = "up", spare, warming, draining
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
        /// A failed warm-up: not picked again until a cooldown has passed.
        var failedAt: Duration?
        let nameBytes: [UInt8]

        public var name: ProxyName { inventory.name }
    }

    /// Log evidence for a server is ignored this long after it left service:
    /// requests that were in flight during its drain are logged when they end.
    static let leftServiceGrace = Duration.seconds(5)
    /// A held-back scale-up with the same cause is explained again after this long.
    static let suppressionRepeat = Duration.seconds(10)

    public let name: ProxyName
    public internal(set) var policy: Inventory.Policy
    public internal(set) var servers: [ManagedServer]
    /// In-service servers of the backend that the inventory does not manage.
    public private(set) var unmanagedInService = 0
    var window: RollingWindow
    var newSamples = 0
    public private(set) var breaches = 0
    /// Since when every evaluation stayed below the scale-down threshold.
    public private(set) var quietSince: Duration?
    public private(set) var lastRequestAt: Duration?
    /// The end of the last action (or the start): scale-downs are spaced from it.
    public private(set) var lastActionAt: Duration
    public private(set) var lastScaleUpAt: Duration?
    /// The one action allowed in flight.
    public internal(set) var inFlight: ScaleDecision?
    var lastSuppression: (cause: Suppression.Cause, at: Duration)?
    public private(set) var lastMetric: Double?
    public private(set) var requests: UInt64 = 0
    public private(set) var serverErrors: UInt64 = 0
    var pending: [EngineEvent] = []

    public init(backend: Inventory.Backend, at now: Duration) {
        name = backend.name
        policy = backend.policy
        servers = backend.servers.map {
            ManagedServer(inventory: $0, phase: $0.active ? .inService : .spare, since: now, nameBytes: Array($0.name.value.utf8))
        }
        window = RollingWindow(policy: backend.policy)
        lastActionAt = now
    }

    public var activeCount: Int { servers.count { $0.phase == .inService } + unmanagedInService }
    public var maxActive: Int { policy.maxActive ?? (servers.count + unmanagedInService) }
    var upThreshold: Double { policy.scaleUpThresholdMs }
    var downThreshold: Double { policy.effectiveScaleDownThresholdMs }

    public func index(of server: String) -> Int? { servers.firstIndex { $0.name.value == server } }

    func index(bytes: UnsafeRawBufferPointer) -> Int? {
        servers.firstIndex { s in
            s.nameBytes.count == bytes.count && s.nameBytes.withUnsafeBytes { $0.elementsEqual(bytes) }
        }
    }

    // MARK: inputs

    /// One logged request: `value` is the policy's metric (`-1`: the phase never
    /// happened, not counted); `server` is the index of a managed server, if any.
    public mutating func observe(server: Int?, value: Int32, status: Int16, at now: Duration) {
        requests &+= 1
        lastRequestAt = now
        if status >= 500 { serverErrors &+= 1 }
        if let i = server, servers[i].phase == .spare, now - servers[i].since > Self.leftServiceGrace {
            servers[i].phase = .inService
            servers[i].since = now
            pending.append(.drift(backend: name, server: servers[i].name,
                                  detail: "served a request while hascale counted it spare; now counted in service"))
        }
        if value >= 0 {
            window.add(value, at: now)
            newSamples += 1
        }
    }

    /// An evaluation: new requests are judged against the thresholds, timers
    /// (quiet period, cooldown) are checked. Call it after each batch of
    /// requests and on every clock tick.
    public mutating func evaluate(at now: Duration) -> [EngineEvent] {
        var events = pending
        pending.removeAll()
        window.expire(at: now)
        let metric = window.aggregate(policy.aggregate)
        lastMetric = metric
        let judged = policy.windowSeconds > 0 || window.isFull
        if newSamples > 0, judged, let m = metric {
            newSamples = 0
            if m > upThreshold {
                breaches += 1
                quietSince = nil
                if breaches >= policy.scaleUpBreaches, let e = scaleUp(metric: m, at: now) { events.append(e) }
            } else {
                breaches = 0
                lastSuppression = nil
                if m >= downThreshold { quietSince = nil } else if quietSince == nil { quietSince = now }
            }
        }
        if let e = scaleDown(at: now) { events.append(e) }
        return events
    }

    /// HAProxy's real state wins over memory, except for servers an action is
    /// working on. `sessions` maps server names to their current sessions.
    public mutating func reconcile(rows: [ServerStateRow], sessions: [String: Int], at now: Duration,
                                   reportDrift: Bool = true) -> [EngineEvent] {
        var events: [EngineEvent] = []
        var unmanaged = 0
        var seen = Array(repeating: false, count: servers.count)
        for row in rows where row.backend == name.value {
            guard let i = index(of: row.server) else {
                if row.inService { unmanaged += 1 }
                continue
            }
            seen[i] = true
            servers[i].knownToHAProxy = true
            servers[i].sessions = sessions[row.server] ?? 0
            switch servers[i].phase {
            case .warming, .draining: continue
            case .spare where row.inService:
                servers[i].phase = .inService
                servers[i].since = now
                if reportDrift {
                    events.append(.drift(backend: name, server: servers[i].name,
                                         detail: "HAProxy has it in service (weight \(row.weight)) while hascale counted it spare; HAProxy wins"))
                }
            case .inService where !row.inService:
                servers[i].phase = .spare
                servers[i].since = now
                if reportDrift {
                    events.append(.drift(backend: name, server: servers[i].name,
                                         detail: "HAProxy has it in \(row.adminDescription) (weight \(row.weight)) while hascale counted it in service; HAProxy wins"))
                }
            default: break
            }
        }
        for i in servers.indices where !seen[i] && servers[i].knownToHAProxy {
            servers[i].knownToHAProxy = false
            if servers[i].phase == .inService { servers[i].phase = .spare }
            events.append(.drift(backend: name, server: servers[i].name,
                                 detail: "HAProxy has no such server; it is left alone until haproxy.cfg has it"))
        }
        unmanagedInService = unmanaged
        return events
    }

    /// What start-up must do so HAProxy matches the inventory's `active` flags:
    /// bring-ups first, so the pool never shrinks below what it was.
    public func startupPlan() -> [ScaleDecision] {
        var ups: [ScaleDecision] = []
        var downs: [ScaleDecision] = []
        var active = activeCount
        for s in servers where s.knownToHAProxy {
            if s.inventory.active && s.phase == .spare {
                ups.append(ScaleDecision(backend: name, direction: .up, servers: [s.name], metricMs: nil, thresholdMs: upThreshold,
                                         activeBefore: active, reason: "the inventory has \(s.name) active; HAProxy has it out of service"))
                active += 1
            }
        }
        for s in servers where s.knownToHAProxy && !s.inventory.active && !s.inventory.alwaysUp && s.phase == .inService {
            guard active > max(1, policy.minActive) else { break }
            downs.append(ScaleDecision(backend: name, direction: .down, servers: [s.name], metricMs: nil, thresholdMs: downThreshold,
                                       activeBefore: active, reason: "the inventory has \(s.name) inactive; HAProxy has it in service"))
            active -= 1
        }
        return ups + downs
    }

    /// Marks `decision`'s servers as being worked on.
    public mutating func begin(_ decision: ScaleDecision, at now: Duration) {
        inFlight = decision
        for s in decision.servers {
            guard let i = index(of: s.value) else { continue }
            servers[i].phase = decision.direction == .up ? .warming : .draining
            servers[i].since = now
        }
    }

    /// The outcome of `decision`: `failures` names the servers it could not move.
    public mutating func finished(_ decision: ScaleDecision, failures: [ProxyName: String] = [:], at now: Duration) {
        if inFlight == decision { inFlight = nil }
        lastActionAt = now
        var anyUp = false
        for s in decision.servers {
            guard let i = index(of: s.value) else { continue }
            servers[i].since = now
            switch (decision.direction, failures[s] != nil) {
            case (.up, false):
                servers[i].phase = .inService
                anyUp = true
            case (.up, true):
                servers[i].phase = .spare
                servers[i].failedAt = now
            case (.down, false):
                servers[i].phase = .spare
            case (.down, true):
                servers[i].phase = .inService
            }
        }
        if anyUp { lastScaleUpAt = now }
    }

    // MARK: decisions

    mutating func scaleUp(metric m: Double, at now: Duration) -> EngineEvent? {
        let active = activeCount
        let numbers = "\(policy.aggregate.rawValue) \(policy.metric.rawValue) \(formatMs(m)) > \(formatMs(upThreshold)) for \(breaches) evaluation\(breaches == 1 ? "" : "s")"
        func hold(_ cause: Suppression.Cause, _ why: String) -> EngineEvent? {
            if let last = lastSuppression, last.cause == cause, now - last.at < Self.suppressionRepeat { return nil }
            lastSuppression = (cause, now)
            return .suppressed(Suppression(backend: name, cause: cause, metricMs: m, thresholdMs: upThreshold, active: active,
                                           reason: "\(numbers); \(why)"))
        }
        if let f = inFlight {
            let what = f.direction == .up ? "warm-up" : "drain"
            return hold(.actionInFlight, "\(what) of \(f.servers.map(\.value).joined(separator: ",")) still in progress")
        }
        let cooldown = Duration.seconds(policy.scaleUpCooldownSeconds)
        if let t = lastScaleUpAt, now - t < cooldown {
            return hold(.cooldown, "cooldown after the last scale-up, \(formatSeconds(cooldown - (now - t))) left")
        }
        if active >= maxActive {
            return hold(.maxActive, "\(active) in service already, max_active \(maxActive)")
        }
        let retryAfter = max(cooldown, .seconds(30))
        let spares = servers.indices.filter { i in
            servers[i].phase == .spare && servers[i].knownToHAProxy && (servers[i].failedAt.map { now - $0 >= retryAfter } ?? true)
        }.sorted { a, b in
            (servers[a].since, servers[a].inventory.priority, a) < (servers[b].since, servers[b].inventory.priority, b)
        }
        guard !spares.isEmpty else { return hold(.noSpare, "no spare server left to bring up") }
        let step = m >= 2 * upThreshold ? max(1, policy.scaleUpStep) : 1
        let chosen = Array(spares.prefix(min(step, maxActive - active)))
        let names = chosen.map { servers[$0].name }
        let resting = chosen.map { "\(servers[$0].name) spare for \(formatSeconds(now - servers[$0].since))" }.joined(separator: ", ")
        let decision = ScaleDecision(
            backend: name, direction: .up, servers: names, metricMs: m, thresholdMs: upThreshold, activeBefore: active,
            reason: "\(numbers) with \(active) in service; bringing up \(resting) (resting longest)")
        begin(decision, at: now)
        breaches = 0
        lastSuppression = nil
        return .scale(decision)
    }

    mutating func scaleDown(at now: Duration) -> EngineEvent? {
        guard inFlight == nil else { return nil }
        let active = activeCount
        guard active > max(1, policy.minActive) else { return nil }
        let after = Duration.seconds(policy.scaleDownAfterSeconds)
        guard now - lastActionAt >= after else { return nil }
        let why: String
        var metric: Double? = nil
        if let q = quietSince, now - q >= after, let m = lastMetric, lastRequestAt.map({ now - $0 < after }) ?? false {
            // Test the pool after the action, not the pool now: the same load on one
            // server fewer must still stay under the lower threshold, or the next
            // evaluation would undo the action (flapping).
            let projected = withOneServerFewer(m)
            guard projected < downThreshold else { return nil }
            why = "\(policy.aggregate.rawValue) \(policy.metric.rawValue) \(formatMs(m)) < \(formatMs(downThreshold)) for \(formatSeconds(now - q)), about \(formatMs(projected)) with one server fewer"
            metric = m
        } else if let last = lastRequestAt, now - last >= after {
            why = "no requests for \(formatSeconds(now - last))"
        } else if lastRequestAt == nil {
            why = "no requests since hascale started \(formatSeconds(now - lastActionAt)) ago"
        } else {
            return nil
        }
        let candidates = servers.indices.filter { servers[$0].phase == .inService && !servers[$0].inventory.alwaysUp }
            .sorted { a, b in
                (servers[a].sessions, -servers[a].inventory.priority, b) < (servers[b].sessions, -servers[b].inventory.priority, a)
            }
        guard let c = candidates.first else { return nil }
        let decision = ScaleDecision(
            backend: name, direction: .down, servers: [servers[c].name], metricMs: metric, thresholdMs: downThreshold, activeBefore: active,
            reason: "\(why) with \(active) in service (min_active \(policy.minActive)); draining \(servers[c].name), the one with the fewest sessions (\(servers[c].sessions))")
        begin(decision, at: now)
        return .scale(decision)
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

    /// One line for `systemctl status`: `app1: 3/5 up, mean Tr 212 ms < 500 ms, scale-down in 4m10s`.
    public func statusLine(at now: Duration) -> String {
        let total = servers.count + unmanagedInService
        var s = "\(name): \(activeCount)/\(total) up"
        if let m = lastMetric {
            let cmp = m > upThreshold ? ">" : m < downThreshold ? "<" : "≤"
            let ref = m < downThreshold ? downThreshold : upThreshold
            s += ", \(policy.aggregate.rawValue) \(policy.metric.rawValue) \(formatMs(m)) \(cmp) \(formatMs(ref))"
        } else {
            s += ", no requests yet"
        }
        s += ", " + nextStep(at: now)
        return s
    }

    func nextStep(at now: Duration) -> String {
        if let f = inFlight {
            return "\(f.direction == .up ? "warming" : "draining") \(f.servers.map(\.value).joined(separator: ","))"
        }
        if breaches > 0 {
            let cooldown = Duration.seconds(policy.scaleUpCooldownSeconds)
            let count = breaches >= policy.scaleUpBreaches ? "above target" : "breach \(breaches)/\(policy.scaleUpBreaches)"
            if let t = lastScaleUpAt, now - t < cooldown { return "\(count), cooldown \(formatSeconds(cooldown - (now - t)))" }
            return "breach \(breaches)/\(policy.scaleUpBreaches)"
        }
        guard activeCount > max(1, policy.minActive),
              servers.contains(where: { $0.phase == .inService && !$0.inventory.alwaysUp }) else { return "at minimum" }
        let after = Duration.seconds(policy.scaleDownAfterSeconds)
        var start: Duration? = quietSince
        if let last = lastRequestAt, now - last >= .seconds(1) { start = min(start ?? last, last) }
        if lastRequestAt == nil { start = lastActionAt }
        guard let q = start else { return "steady" }
        if let m = lastMetric, start == quietSince, case let projected = withOneServerFewer(m), projected >= downThreshold {
            return "steady (about \(formatMs(projected)) with one server fewer)"
        }
        let due = max(q + after, lastActionAt + after)
        return "scale-down in \(formatSeconds(due - now))"
    }
}
