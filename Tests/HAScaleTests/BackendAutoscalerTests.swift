import HAProxyNames
@testable import HAScale
import Testing

/// The decision engine driven by hand: every time is chosen by the test.
@Suite("Decision engine")
struct BackendAutoscalerTests {
    static func name(_ s: String) -> ProxyName { try! ProxyName(s) }

    /// s1 always up and active, s2..sN spares; a small window for short tests.
    static func backend(spares: Int = 3, configure: (inout Inventory.Policy) -> Void = { _ in }) -> Inventory.Backend {
        var policy = Inventory.Policy()
        policy.windowRequests = 3
        policy.scaleUpCooldownSeconds = 30
        policy.scaleDownAfterSeconds = 300
        configure(&policy)
        var servers = [Inventory.Server(name: name("s1"), active: true, alwaysUp: true)]
        for i in 0..<spares { servers.append(Inventory.Server(name: name("s\(i + 2)"), active: false)) }
        return Inventory.Backend(name: name("app"), policy: policy, servers: servers)
    }

    static func t(_ s: Double) -> Duration { Duration.seconds(s) }

    /// Feeds `n` requests of `ms` served by s1 at time `at`, then evaluates once per request.
    static func feed(_ e: inout BackendAutoscaler, _ ms: Int32, times n: Int = 1, at: Double) -> [EngineEvent] {
        var out: [EngineEvent] = []
        for _ in 0..<n {
            e.observe(server: 0, value: ms, status: 200, at: t(at))
            out += e.evaluate(at: t(at))
        }
        return out
    }

    static func decisions(_ events: [EngineEvent]) -> [ScaleDecision] {
        events.compactMap { if case .scale(let d) = $0 { d } else { nil } }
    }

    static func suppressions(_ events: [EngineEvent]) -> [Suppression] {
        events.compactMap { if case .suppressed(let s) = $0 { s } else { nil } }
    }

    @Test func lightLoadNeverScalesUp() {
        var e = BackendAutoscaler(backend: Self.backend(), at: .zero)
        let events = Self.feed(&e, 100, times: 500, at: 1)
        #expect(events.isEmpty)
        #expect(e.activeCount == 1)
    }

    @Test func consecutiveMeansConsecutive() {
        var e = BackendAutoscaler(backend: Self.backend { $0.windowRequests = 1 }, at: .zero)
        #expect(Self.decisions(Self.feed(&e, 900, times: 2, at: 1)).isEmpty)
        #expect(e.breaches == 2)
        _ = Self.feed(&e, 10, at: 2)
        #expect(e.breaches == 0, "a good evaluation resets the count")
        #expect(Self.decisions(Self.feed(&e, 2000, times: 2, at: 3)).isEmpty, "two breaches after a reset are not three")
        let d = try! #require(Self.decisions(Self.feed(&e, 2000, at: 3)).first)
        #expect(d.direction == .up && d.servers == [Self.name("s2")])
        #expect(d.cause == .aboveThreshold(MetricReading(metric: .Tr, aggregate: .mean, valueMs: 2000, thresholdMs: 500), breaches: 3, model: .fallback(.fewLevels(0))))
        #expect(d.pick == .restingLongest([Self.t(3)]), "s2 rested since the start")
    }

    @Test func scaleUpPicksTheSpareRestingLongestThenCoolsDown() {
        var e = BackendAutoscaler(backend: Self.backend(), at: .zero)
        // s3 rested since 0; s2 was up until 50 and came down then: s3 has rested longer.
        e.servers[1].since = Self.t(50)
        let up = Self.decisions(Self.feed(&e, 900, times: 5, at: 100))
        #expect(up.map(\.servers) == [[Self.name("s3")]])
        #expect(e.servers[2].phase == .warming)
        #expect(e.activeCount == 1, "a warming server is not counted before it serves")
        // While it warms, breaches are explained, not acted on.
        let held = Self.suppressions(Self.feed(&e, 900, times: 5, at: 101))
        #expect(held.map(\.cause) == [.actionInFlight(.up, [Self.name("s3")])], "one explanation, not one per request")
        e.finished(up[0], at: Self.t(105))
        #expect(e.activeCount == 2)
        // Within the cooldown: held back with the time left.
        let cool = Self.suppressions(Self.feed(&e, 900, times: 3, at: 120))
        #expect(cool.first?.cause == .cooldown(left: Self.t(15)), "30 s cooldown from 105, judged at 120")
        // After it: the next spare.
        let next = Self.decisions(Self.feed(&e, 900, times: 3, at: 136))
        #expect(next.map(\.servers) == [[Self.name("s4")]], "s4 rested since 0, s2 only since 50")
    }

    @Test func maxActiveAndNoSpareHoldBack() {
        var e = BackendAutoscaler(backend: Self.backend(spares: 1) { $0.maxActive = 1 }, at: .zero)
        let held = Self.suppressions(Self.feed(&e, 900, times: 5, at: 1))
        #expect(held.first?.cause == .maxActive(1))
        #expect(held.first?.active == 1 && held.first?.reading.valueMs == 900)

        var f = BackendAutoscaler(backend: Self.backend(spares: 0) { $0.maxActive = 5 }, at: .zero)
        let none = Self.suppressions(Self.feed(&f, 900, times: 5, at: 1))
        #expect(none.first?.cause == .noSpare)
    }

    @Test func farAboveTargetTakesTheConfiguredStep() {
        var e = BackendAutoscaler(backend: Self.backend { $0.scaleUpStep = 2 }, at: .zero)
        let d = Self.decisions(Self.feed(&e, 1500, times: 5, at: 1))
        #expect(d.first?.servers.count == 2, "3x the threshold: step 2")
        var f = BackendAutoscaler(backend: Self.backend { $0.scaleUpStep = 2 }, at: .zero)
        let g = Self.decisions(Self.feed(&f, 700, times: 5, at: 1))
        #expect(g.first?.servers.count == 1, "just above the threshold: one server")
    }

    @Test func failedWarmupReturnsTheServerToSparesAndAnotherIsTried() {
        var e = BackendAutoscaler(backend: Self.backend(), at: .zero)
        let d = Self.decisions(Self.feed(&e, 900, times: 5, at: 1))[0]
        e.finished(d, failures: [d.servers[0]], at: Self.t(2))
        #expect(e.servers[1].phase == .spare)
        #expect(e.lastScaleUpAt == nil, "no cooldown: nothing came up")
        let next = Self.decisions(Self.feed(&e, 900, times: 3, at: 3))
        #expect(next.first?.servers == [Self.name("s3")], "the failed one is not picked again right away")
    }

    @Test func scaleDownNeedsAQuietPeriodBelowTheLowerThreshold() {
        var e = BackendAutoscaler(backend: Self.backend(), at: .zero)
        e.servers[1].phase = .inService
        e.servers[2].phase = .inService
        e.servers[1].sessions = 4
        e.servers[2].sessions = 1
        // 300 ms: under the up threshold, above the down one (250): hysteresis, no scale-down ever.
        for s in stride(from: 0.0, through: 1000, by: 10) {
            #expect(Self.decisions(Self.feed(&e, 300, at: s)).isEmpty, "at \(s) s")
        }
        // 100 ms from 1000 s on: the scale-down comes 300 s later, not before.
        for s in stride(from: 1000.0, to: 1300, by: 10) {
            #expect(Self.decisions(Self.feed(&e, 100, at: s)).isEmpty, "at \(s) s")
        }
        let d = Self.decisions(Self.feed(&e, 100, at: 1300))
        #expect(d.map(\.servers) == [[Self.name("s3")]], "fewest sessions goes first")
        let reading = MetricReading(metric: .Tr, aggregate: .mean, valueMs: 100, thresholdMs: 250)
        // 3 in service, floor 100: one fewer keeps 100 ms.
        #expect(d.first?.cause == .belowThreshold(reading, quietFor: Self.t(300), projectedMs: 100, model: .fallback(.fewLevels(0))))
        #expect(d.first?.pick == .fewestSessions(1))
        #expect(Self.decisions(Self.feed(&e, 100, at: 1301)).isEmpty, "one action at a time")
        e.finished(d[0], at: Self.t(1305))
        // The next one waits another quiet period after the last action.
        #expect(Self.decisions(Self.feed(&e, 100, at: 1500)).isEmpty)
        let d2 = Self.decisions(Self.feed(&e, 100, at: 1606))
        #expect(d2.map(\.servers) == [[Self.name("s2")]])
        #expect(d2.first?.pick == .lastInPoolOrder, "the step down to min_active (1) takes the last in the inventory's order")
        e.finished(d2[0], at: Self.t(1607))
        // s1 is always_up and the last one: nothing more, ever.
        #expect(Self.decisions(Self.feed(&e, 100, at: 5000)).isEmpty)
        #expect(e.activeCount == 1)
    }

    @Test func minActiveIsAFloor() {
        var e = BackendAutoscaler(backend: Self.backend { $0.minActive = 2 }, at: .zero)
        e.servers[1].phase = .inService
        e.servers[2].phase = .inService
        e.servers[1].sessions = 0
        e.servers[2].sessions = 5
        let d = Self.decisions(e.evaluate(at: Self.t(400)))
        #expect(d.count == 1, "no requests for 400 s: one goes")
        // The step down to min_active: the last in the inventory's order (s3), though s2 is idler,
        // so that two controllers acting at once drain the same one.
        #expect(d.first?.servers == [Self.name("s3")])
        #expect(d.first?.pick == .lastInPoolOrder)
        #expect(d.first?.cause == .idleSinceStart(Self.t(400)))
        e.finished(d[0], at: Self.t(401))
        #expect(Self.decisions(e.evaluate(at: Self.t(10_000))).isEmpty, "min_active 2 holds")
    }

    @Test func aScaleDownDoesNotDelayAScaleUp() {
        var e = BackendAutoscaler(backend: Self.backend(), at: .zero)
        e.servers[1].phase = .inService
        let d = Self.decisions(e.evaluate(at: Self.t(400)))
        e.finished(d[0], at: Self.t(401))
        let up = Self.decisions(Self.feed(&e, 900, times: 5, at: 402))
        #expect(up.count == 1, "a scale-up right after a scale-down")
        #expect(up.first?.servers != [Self.name("s2")], "the server that just left rests; another comes up")
    }

    @Test func haproxyStateWinsOverMemory() {
        var e = BackendAutoscaler(backend: Self.backend(), at: .zero)
        func row(_ s: String, _ admin: ServerObservation.Admin, sessions: Int = 0) -> ServerObservation {
            ServerObservation(backend: "app", server: s, admin: admin, weight: 1, sessions: sessions)
        }
        let rows = [row("s1", .ready), row("s2", .ready, sessions: 3), row("s3", .maint), row("other", .ready)]
        let drift = e.reconcile(rows, at: Self.t(1))
        #expect(e.servers[1].phase == .inService && e.servers[1].sessions == 3)
        #expect(e.unmanagedInService == 1)
        #expect(e.activeCount == 3)
        #expect(drift == [.drift(Drift(backend: Self.name("app"), server: Self.name("s2"), cause: .inServiceInHAProxy(weight: 1))),
                          .drift(Drift(backend: Self.name("app"), server: Self.name("s4"), cause: .unknownToHAProxy))],
                "s2 enabled by hand; s4 missing in HAProxy")
        #expect(e.servers[3].knownToHAProxy == false)
        // A server seen serving in the log counts as active.
        e.servers[2].since = .zero
        e.observe(server: 2, value: 10, status: 200, at: Self.t(60))
        #expect(e.servers[2].phase == .inService)
        #expect(e.evaluate(at: Self.t(60)).contains(.drift(Drift(backend: Self.name("app"), server: Self.name("s3"), cause: .servedWhileSpare))))
    }

    @Test func startupBringsHAProxyInLineWithTheInventory() throws {
        var inv = Self.backend()
        inv.servers[1].active = true
        var e = BackendAutoscaler(backend: inv, at: .zero)
        func row(_ s: String, _ admin: ServerObservation.Admin) -> ServerObservation {
            ServerObservation(backend: "app", server: s, admin: admin, weight: 1)
        }
        _ = e.reconcile([row("s1", .ready), row("s2", .maint), row("s3", .ready), row("s4", .maint)], at: .zero, reportDrift: false)
        // One at a time, each begun by the engine, bring-ups first.
        let first = e.nextStartupDecision(at: .zero)
        let up = try #require(first)
        #expect(up.direction == .up && up.servers == [Self.name("s2")] && up.cause == .inventoryActive)
        #expect(e.servers[1].phase == .warming && e.inFlight == up)
        let none = e.nextStartupDecision(at: .zero)
        #expect(none == nil, "one action in flight")
        e.finished(up, failures: [Self.name("s2")], at: Self.t(1))
        let second = e.nextStartupDecision(at: Self.t(1))
        let down = try #require(second)
        #expect(down.direction == .down && down.servers == [Self.name("s3")] && down.cause == .inventoryInactive)
        e.finished(down, at: Self.t(2))
        let third = e.nextStartupDecision(at: Self.t(2))
        #expect(third == nil, "each server is looked at once: the failed s2 is not retried by start-up")
    }

    @Test func timeWindowAndPercentiles() {
        var e = BackendAutoscaler(backend: Self.backend {
            $0.windowRequests = 0
            $0.windowSeconds = 10
            $0.aggregate = .p90
            $0.scaleUpBreaches = 1
        }, at: .zero)
        // 9 fast and 1 slow: p90 is fast.
        _ = Self.feed(&e, 50, times: 9, at: 1)
        #expect(Self.decisions(Self.feed(&e, 3000, at: 1)).isEmpty)
        #expect(e.lastMetric == 50)
        // 20 s later the old ones have aged out; two slow ones make p90 slow.
        let d = Self.decisions(Self.feed(&e, 800, times: 2, at: 21))
        #expect(d.count == 1)
        #expect(e.window.count == 2, "the aged samples are gone")
    }

    @Test func statusTellsWhatComesNext() {
        var e = BackendAutoscaler(backend: Self.backend(), at: .zero)
        e.servers[1].phase = .inService
        _ = Self.feed(&e, 100, times: 3, at: 10)
        let s = e.status(at: Self.t(60))
        #expect(s.active == 2 && s.total == 4 && s.metricMs == 100 && s.downThresholdMs == 250)
        #expect(s.next == .scaleDownIn(Self.t(250)), "quiet since 10 s, due at 310 s")
    }
}

@Suite("Inventory reload")
struct InventoryReloadTests {
    @Test func anotherMetricForgetsTheLoadModelAndItsRecommendations() throws {
        let old = BackendAutoscalerTests.backend(spares: 2)
        var e = BackendAutoscaler(backend: old, at: .zero)
        var change = InventoryChange()
        for k in 0..<400 {
            e.observe(server: 0, value: Int32(20 + 30 * (k % 8)), status: 200, conns: Int32(k % 8 + 1), at: BackendAutoscalerTests.t(Double(k) / 100))
        }
        _ = e.evaluate(at: BackendAutoscalerTests.t(5))
        #expect(e.model.samples == 400)
        guard case .success = e.model.fit(at: BackendAutoscalerTests.t(5)) else {
            Issue.record("the fit of a clean line is trusted")
            return
        }
        #expect(!e.recommended.isEmpty, "the evaluation recorded the pool the model asks for")
        var same = old
        same.policy.resyncSeconds = 10
        e.apply(same, at: BackendAutoscalerTests.t(6), into: &change)
        guard case .success = e.model.fit(at: BackendAutoscalerTests.t(6)) else {
            Issue.record("an unrelated edit keeps what the model learnt")
            return
        }
        var other = old
        other.policy.metric = .Ta
        e.apply(other, at: BackendAutoscalerTests.t(7), into: &change)
        #expect(e.model.fit(at: BackendAutoscalerTests.t(7)) == .failure(.fewLevels(0)), "Tr milliseconds say nothing about Ta")
        #expect(e.recommended.isEmpty && e.recommendingSince == nil)
    }

    @Test func applyKeepsStateAddsSparesAndDrainsRemovedServers() throws {
        let old = BackendAutoscalerTests.backend(spares: 2)
        var engine = DecisionEngine(inventory: Inventory(socket: nil, log: nil, backends: [old]), at: .zero)
        // s2 is in service by now.
        let rows = ["s1", "s2", "s3"].map { ServerObservation(backend: "app", server: $0, admin: $0 == "s3" ? .maint : .ready, weight: 1) }
        _ = engine.reconcile(rows, at: .zero, reportDrift: false)
        var new = old
        new.servers.removeAll { $0.name.value == "s2" }
        new.servers.append(Inventory.Server(name: try ProxyName("s9"), active: false))
        new.policy.scaleUpThresholdMs = 400
        let change = engine.apply(Inventory(socket: nil, log: nil, backends: [new]), at: BackendAutoscalerTests.t(10))
        #expect(change.summary == "app: +s9, -s2 (draining), policy changed", "\(change.summary)")
        let b = engine.backends[0]
        #expect(b.servers.map(\.name.value) == ["s1", "s3", "s9", "s2"], "s2 stays, retired, until it is drained")
        #expect(b.servers[3].retired)
        #expect(b.servers[0].phase == .inService, "s1 keeps what the engine knew")
        #expect(b.servers[2].phase == .spare)
        #expect(b.policy.scaleUpThresholdMs == 400)
        // Same file again: nothing to say.
        #expect(engine.apply(Inventory(socket: nil, log: nil, backends: [new]), at: BackendAutoscalerTests.t(11)).summary == "no change")
        // The drain is begun by the engine's one rule, at the next evaluation.
        let events = engine.evaluate(at: BackendAutoscalerTests.t(12))
        let drain = try #require(events.compactMap { if case .scale(let d) = $0 { d } else { nil } }.first)
        let s2 = try ProxyName("s2")
        #expect(drain.direction == .down && drain.servers == [s2] && drain.cause == .removedFromInventory)
        engine.finished(drain, at: BackendAutoscalerTests.t(13))
        #expect(engine.backends[0].servers.map(\.name.value) == ["s1", "s3", "s9"], "drained, then no longer managed")
    }

    @Test func aServerRemovedWhileWarmingIsWaitedForThenDrained() throws {
        let old = BackendAutoscalerTests.backend(spares: 2)
        var e = BackendAutoscaler(backend: old, at: .zero)
        let warming = try #require(BackendAutoscalerTests.decisions(BackendAutoscalerTests.feed(&e, 900, times: 5, at: 1)).first)
        var new = old
        new.servers.removeAll { $0.name == warming.servers[0] }
        var change = InventoryChange()
        e.apply(new, at: BackendAutoscalerTests.t(2), into: &change)
        #expect(change.summary == "app: -\(warming.servers[0]) (drained after its warm-up)", "\(change.summary)")
        #expect(e.inFlight == warming, "the warm-up in flight is not forgotten")
        #expect(BackendAutoscalerTests.decisions(e.evaluate(at: BackendAutoscalerTests.t(3))).isEmpty, "nothing while it warms")
        e.finished(warming, at: BackendAutoscalerTests.t(4))
        let drain = BackendAutoscalerTests.decisions(e.evaluate(at: BackendAutoscalerTests.t(5)))
        #expect(drain.map(\.cause) == [.removedFromInventory] && drain.first?.servers == warming.servers)
    }
}

@Suite("Inventory reload, failures")
struct InventoryReloadFailureTests {
    @Test func aRemovedServerWhoseDrainFailsIsTriedOnceThenLeftAlone() throws {
        let old = BackendAutoscalerTests.backend(spares: 1)
        var e = BackendAutoscaler(backend: old, at: .zero)
        _ = e.reconcile([ServerObservation(backend: "app", server: "s1", admin: .ready, weight: 1),
                         ServerObservation(backend: "app", server: "s2", admin: .ready, weight: 1)], at: .zero, reportDrift: false)
        var new = old
        new.servers.removeAll { $0.name.value == "s2" }
        var change = InventoryChange()
        e.apply(new, at: BackendAutoscalerTests.t(1), into: &change)
        let drain = try #require(BackendAutoscalerTests.decisions(e.evaluate(at: BackendAutoscalerTests.t(2))).first)
        #expect(drain.cause == .removedFromInventory)
        e.finished(drain, failures: [drain.servers[0]], at: BackendAutoscalerTests.t(3))
        #expect(e.servers.map(\.name.value) == ["s1"], "no longer managed after one failed try")
        #expect(BackendAutoscalerTests.decisions(e.evaluate(at: BackendAutoscalerTests.t(4))).isEmpty, "no second drain, no loop")
    }
}

@Suite("Rolling window")
struct RollingWindowTests {
    @Test func percentileFollowsEveryChangeOfTheSamples() {
        var w = RollingWindow(requests: 0, seconds: 10)
        for v: Int32 in [10, 20, 30, 40] { w.add(v, at: .seconds(1)) }
        #expect(w.aggregate(.p50) == 20)
        #expect(w.aggregate(.p50) == 20, "asked again, unchanged")
        #expect(w.aggregate(.p99) == 40, "another kind is computed, not taken from the last one")
        w.add(100, at: .seconds(12))
        #expect(w.aggregate(.p99) == 100, "a new sample counts: [10, 20, 30, 40, 100]")
        w.expire(at: .seconds(12))
        #expect(w.aggregate(.p99) == 100 && w.aggregate(.p50) == 100, "aged samples are gone: [100]")
        w.add(7, at: .seconds(13))
        #expect(w.aggregate(.p50) == 7, "[100, 7]: the cached 100 is not reused")
        w.removeAll()
        #expect(w.aggregate(.p50) == nil)
    }
}
