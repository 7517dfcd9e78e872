import HAProxyNames
@testable import HAScale
import LogParser
import Testing

/// The health rules of the engine in virtual time: each test fails without its rule.
@Suite("Engine health rules")
struct HealthRulesTests {
    static let n = BackendAutoscalerTests.name
    static let t = BackendAutoscalerTests.t

    static func obs(_ s: String, _ admin: ServerObservation.Admin = .ready, _ op: ServerObservation.Operational = .up) -> ServerObservation {
        ServerObservation(backend: "app", server: s, admin: admin, operational: op, weight: 1)
    }

    /// s1 (always up) and s2 serving, s3 and s4 spares.
    static func serving2(_ configure: (inout Inventory.Policy) -> Void = { _ in }) -> BackendAutoscaler {
        var e = BackendAutoscaler(backend: BackendAutoscalerTests.backend(spares: 3, configure: configure), at: .zero)
        _ = e.reconcile([obs("s1"), obs("s2"), obs("s3", .maint, .down), obs("s4", .maint, .down)], at: .zero, reportDrift: false)
        return e
    }

    static func decisions(_ e: [EngineEvent]) -> [ScaleDecision] { BackendAutoscalerTests.decisions(e) }

    @Test func aServerThatGoesDownIsReplacedAtOnceDespiteTheCooldown() throws {
        var e = Self.serving2 { $0.scaleUpCooldownSeconds = 600; $0.scaleUpBreaches = 10 }
        // A scale-up just happened: the cooldown runs for 10 minutes.
        let up = try #require(Self.decisions(BackendAutoscalerTests.feed(&e, 900, times: 12, at: 1)).first)
        e.finished(up, at: Self.t(2))
        let events = e.reconcile([Self.obs("s1"), Self.obs("s2", .ready, .down), Self.obs("s3"), Self.obs("s4", .maint, .down)], at: Self.t(3))
        #expect(events == [.health(HealthChange(backend: Self.n("app"), server: Self.n("s2"), kind: .down(alwaysUp: false)))])
        #expect(e.activeCount == 2, "a DOWN server is not serving")
        let replace = Self.decisions(e.evaluate(at: Self.t(3)))
        #expect(replace.map(\.cause) == [.replacing([Self.n("s2")])], "no breach count, no cooldown")
        #expect(replace.first?.servers == [Self.n("s4")])
    }

    @Test func aRecoveredServerCountsAgainAndThePoolShrinksOnlyByTheQuietRule() throws {
        var e = Self.serving2 { $0.scaleDownAfterSeconds = 300 }
        _ = e.reconcile([Self.obs("s1"), Self.obs("s2", .ready, .down), Self.obs("s3", .maint, .down), Self.obs("s4", .maint, .down)], at: Self.t(10))
        let replace = try #require(Self.decisions(e.evaluate(at: Self.t(10))).first)
        e.finished(replace, at: Self.t(12))
        let back = e.reconcile([Self.obs("s1"), Self.obs("s2"), Self.obs("s3"), Self.obs("s4", .maint, .down)], at: Self.t(20))
        #expect(back == [.health(HealthChange(backend: Self.n("app"), server: Self.n("s2"), kind: .up))])
        #expect(e.activeCount == 3)
        // Quiet requests from 20 s (the window of 3 is full, so judged, at 30 s): nothing
        // goes before the quiet period has passed.
        for s in stride(from: 20.0, to: 330, by: 5) {
            #expect(Self.decisions(BackendAutoscalerTests.feed(&e, 10, at: s)).isEmpty, "no flap at \(s) s")
        }
        #expect(Self.decisions(BackendAutoscalerTests.feed(&e, 10, at: 330)).map(\.direction) == [.down])
    }

    @Test func aRecoveryBeforeAReplacementCancelsIt() {
        var e = Self.serving2 { $0.maxActive = 2 }
        // At max_active the replacement waits for room; the server comes back first.
        _ = e.reconcile([Self.obs("s1"), Self.obs("s2", .ready, .down), Self.obs("s3", .maint, .down), Self.obs("s4", .maint, .down)], at: Self.t(1))
        #expect(e.owed == [Self.n("s2")])
        _ = e.reconcile([Self.obs("s1"), Self.obs("s2"), Self.obs("s3", .maint, .down), Self.obs("s4", .maint, .down)], at: Self.t(2))
        #expect(e.owed.isEmpty)
        #expect(Self.decisions(e.evaluate(at: Self.t(3))).isEmpty)
    }

    @Test func alwaysUpServersThatGoDownAreReportedNeverTouchedAndTheirCapacityIsReplaced() {
        var e = Self.serving2()
        let events = e.reconcile([Self.obs("s1", .ready, .down), Self.obs("s2"), Self.obs("s3", .maint, .down), Self.obs("s4", .maint, .down)], at: Self.t(1))
        #expect(events == [.health(HealthChange(backend: Self.n("app"), server: Self.n("s1"), kind: .down(alwaysUp: true)))])
        let d = Self.decisions(e.evaluate(at: Self.t(1)))
        #expect(d.map(\.direction) == [.up] && !d.contains { $0.servers.contains(Self.n("s1")) })
    }

    @Test func belowMinActiveASpareComesUp() {
        var e = Self.serving2 { $0.minActive = 3 }
        let d = Self.decisions(e.evaluate(at: Self.t(1)))
        #expect(d.map(\.cause) == [.belowMinActive(3)])
    }

    @Test func errorsAreNotIdleCapacity() throws {
        var e = Self.serving2 { $0.scaleDownAfterSeconds = 60 }
        // Every request answers 500 in 2 ms, for far longer than the quiet period.
        var held: [Suppression] = []
        for s in stride(from: 0.0, through: 600, by: 1) {
            e.observe(server: 1, value: 2, status: 500, at: Self.t(s))
            let events = e.evaluate(at: Self.t(s))
            #expect(Self.decisions(events).isEmpty, "no scale-down during the outage (at \(s) s)")
            held += events.compactMap { if case .suppressed(let x) = $0 { x } else { nil } }
        }
        #expect(e.activeCount == 2)
        #expect(e.lastMetric == nil, "fast errors are not latency samples")
        let first = try #require(held.first)
        #expect(first.direction == .down && first.cause == .errorRate(1, limit: 0.05))
        #expect(held.count <= 600 / 10 + 1, "explained at most every 10 s")
        #expect(e.status(at: Self.t(600)).next == .errorsHoldScaleDown(1))
        // Errors stop. The error rate is over the last after_seconds (60 s): it falls under
        // 5 % once the errors have aged out, and only then does the quiet period start.
        var downAt: Double?
        for s in stride(from: 601.0, through: 900, by: 1) where downAt == nil {
            if !Self.decisions(BackendAutoscalerTests.feed(&e, 10, at: s)).isEmpty { downAt = s }
        }
        let at = try #require(downAt, "the pool shrinks once the errors are over")
        #expect(at >= 600 + 57 + 60, "errors aged out (3 of 60 left is under 5 %), then a whole quiet period: at \(at) s")
    }

    @Test func oneErrorAmongManyRequestsHoldsNothing() {
        var e = Self.serving2 { $0.scaleDownAfterSeconds = 60 }
        for s in 0..<100 { e.observe(server: 1, value: 10, status: s == 50 ? 500 : 200, at: Self.t(Double(s) * 0.5)) }
        #expect(e.errorRate < 0.05, "1 in 100")
        var e2 = Self.serving2 { $0.scaleDownAfterSeconds = 60 }
        e2.observe(server: 1, value: 10, status: 500, at: Self.t(1))
        #expect(e2.errorRate == 0, "a rate is not judged on a handful of requests")
    }

    @Test func errorsAloneDoNotScaleUp() {
        var e = Self.serving2 { $0.scaleUpBreaches = 1 }
        for _ in 0..<50 { e.observe(server: 1, value: 900, status: 503, at: Self.t(1)) }
        #expect(Self.decisions(e.evaluate(at: Self.t(1))).isEmpty)
        #expect(e.errorRate == 1)
    }

    @Test func aNewHAProxyProcessIsReAppliedAHandEditIsNot() throws {
        // hascale had s3 serving and s2 in maintenance; haproxy.cfg says the opposite.
        var e = BackendAutoscaler(backend: BackendAutoscalerTests.backend(spares: 3), at: .zero)
        _ = e.reconcile([Self.obs("s1"), Self.obs("s2", .maint, .down), Self.obs("s3"), Self.obs("s4", .maint, .down)], at: .zero, reportDrift: false)
        let cfg = [Self.obs("s1"), Self.obs("s2"), Self.obs("s3", .maint, .down), Self.obs("s4", .maint, .down)]
        var handEdit = e
        let drift = handEdit.reconcile(cfg, at: Self.t(1))
        #expect(drift.count == 2 && drift.allSatisfy { if case .drift = $0 { true } else { false } }, "same process: HAProxy wins")
        #expect(Self.decisions(handEdit.evaluate(at: Self.t(1))).isEmpty)

        let events = e.reconcile(cfg, at: Self.t(1), newProcess: true)
        #expect(events == [.haproxyRestarted(backend: Self.n("app"), bringUp: [Self.n("s3")], takeDown: [Self.n("s2")])])
        let first = try #require(Self.decisions(e.evaluate(at: Self.t(1))).first)
        #expect(first.direction == .up && first.servers == [Self.n("s3")] && first.cause == .haproxyRestarted, "warm-up first")
        e.finished(first, at: Self.t(2))
        let second = try #require(Self.decisions(e.evaluate(at: Self.t(2))).first)
        #expect(second.direction == .down && second.servers == [Self.n("s2")] && second.cause == .haproxyRestarted)
    }

    @Test func logSignsOfADeadServerAskForAResync() throws {
        var engine = DecisionEngine(inventory: Inventory(socket: nil, log: nil, backends: [BackendAutoscalerTests.backend()]), at: .zero)
        func feed(_ text: String) {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBytes { line in
                if case .record(let r) = LogLineScanner.scan(line) { engine.observe(r, line: line, at: .zero) }
            }
        }
        feed("127.0.0.1:1 [22/Nov/2026:21:10:58.882] fe app/s1 0/0/1/40/41 200 10 - - ---- 1/1/1/1/0 0/0 \"GET / HTTP/1.1\"")
        var signal = engine.takeHealthSignal()
        #expect(!signal, "an ordinary request is no sign")
        feed("127.0.0.1:1 [22/Nov/2026:21:10:58.882] fe app/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 \"GET / HTTP/1.1\"")
        signal = engine.takeHealthSignal()
        #expect(signal)
        signal = engine.takeHealthSignal()
        #expect(!signal, "taken once")
        feed("127.0.0.1:1 [22/Nov/2026:21:10:58.882] fe app/s2 0/0/-1/-1/3001 503 217 - - sC-- 1/1/0/0/3 0/0 \"GET / HTTP/1.1\"")
        signal = engine.takeHealthSignal()
        #expect(signal, "a connect timeout")
        #expect(engine.backends[0].serverErrors == 2, "requests that reached no server are errors")
    }

    @Test func aFlappingHealthCheckDoesNotGrowThePool() throws {
        var e = Self.serving2()
        let down = [Self.obs("s1"), Self.obs("s2", .ready, .down), Self.obs("s3", .maint, .down), Self.obs("s4", .maint, .down)]
        _ = e.reconcile(down, at: Self.t(1))
        let replace = try #require(Self.decisions(e.evaluate(at: Self.t(1))).first)
        e.finished(replace, at: Self.t(2))
        let replacement = replace.servers[0].value
        func with(_ s2: ServerObservation) -> [ServerObservation] {
            [Self.obs("s1"), s2] + ["s3", "s4"].map { $0 == replacement ? Self.obs($0) : Self.obs($0, .maint, .down) }
        }
        for k in 0..<5 {
            _ = e.reconcile(with(Self.obs("s2")), at: Self.t(10 + Double(k) * 10))       // back up
            _ = e.reconcile(with(Self.obs("s2", .ready, .down)), at: Self.t(15 + Double(k) * 10))  // down again
            #expect(Self.decisions(e.evaluate(at: Self.t(15 + Double(k) * 10))).isEmpty, "flap \(k): its capacity was replaced already")
        }
        #expect(e.activeCount == 2)
    }
}
