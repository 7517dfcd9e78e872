import HAProxyNames
import HAScale
import HAScaleRuntime
import Testing

/// The one place decisions become sentences: the texts operators, the journal
/// and `systemctl status` read, held exactly.
@Suite("Event prose")
struct EventProseTests {
    static func n(_ s: String) -> ProxyName { try! ProxyName(s) }
    static let up = MetricReading(metric: .Tr, aggregate: .mean, valueMs: 612.4, thresholdMs: 500)
    static let down = MetricReading(metric: .Tr, aggregate: .p95, valueMs: 42.25, thresholdMs: 250)

    static func decision(_ d: ScaleDecision.Direction, _ servers: [String], _ cause: ScaleDecision.Cause, _ pick: ScaleDecision.Pick) -> ScaleDecision {
        ScaleDecision(backend: n("app"), direction: d, servers: servers.map(n), cause: cause, pick: pick, activeBefore: 2, minActive: 1,
                      thresholdMs: d == .up ? 500 : 250)
    }

    @Test func decisions() {
        #expect(EventProse.describe(Self.decision(.up, ["s3", "s4"], .aboveThreshold(Self.up, breaches: 3, model: .off), .restingLongest([.seconds(100), .seconds(7)])))
                == "app: up s3,s4: mean Tr 612 ms > 500 ms for 3 evaluations with 2 in service; bringing up s3 spare for 1m40s, s4 spare for 7s (resting longest)")
        #expect(EventProse.reason(Self.decision(.down, ["s2"], .belowThreshold(Self.down, quietFor: .seconds(300), projectedMs: 60.04, model: .off), .fewestSessions(1)))
                == "p95 Tr 42.3 ms < 250 ms for 5m0s, about 60.0 ms with one server fewer with 2 in service (min_active 1); draining s2, the one with the fewest sessions (1)")
        #expect(EventProse.reason(Self.decision(.down, ["s3"], .idle(for: .seconds(3601)), .lastInPoolOrder))
                == "no requests for 1h0m with 2 in service (min_active 1); draining s3, the last in the inventory's order (the step down to min_active takes servers in that order)")
        #expect(EventProse.reason(Self.decision(.down, ["s2"], .idle(for: .seconds(3601)), .fewestSessions(0)))
                == "no requests for 1h0m with 2 in service (min_active 1); draining s2, the one with the fewest sessions (0)")
        #expect(EventProse.reason(Self.decision(.down, ["s2"], .idleSinceStart(.seconds(400)), .fewestSessions(0)))
                .hasPrefix("no requests since hascale started 6m40s ago with 2 in service"))
        #expect(EventProse.reason(Self.decision(.up, ["s2"], .inventoryActive, .named)) == "the inventory has s2 active; HAProxy has it out of service")
        #expect(EventProse.reason(Self.decision(.down, ["s3"], .inventoryInactive, .named)) == "the inventory has s3 inactive; HAProxy has it in service")
        #expect(EventProse.reason(Self.decision(.down, ["s3"], .removedFromInventory, .named)) == "s3 was removed from the inventory")
    }

    @Test func heldBack() {
        func text(_ c: Suppression.Cause) -> String {
            EventProse.describe(Suppression(backend: Self.n("app"), cause: c, reading: Self.up, breaches: 1, active: 4))
        }
        #expect(text(.actionInFlight(.up, [Self.n("s3")])) == "app: scale-up held back: mean Tr 612 ms > 500 ms for 1 evaluation; warm-up of s3 still in progress")
        #expect(text(.actionInFlight(.down, [Self.n("s2")])).hasSuffix("; drain of s2 still in progress"))
        #expect(text(.cooldown(left: .seconds(14.2))).hasSuffix("; cooldown after the last scale-up, 15s left"))
        #expect(text(.maxActive(4)).hasSuffix("; 4 in service already, max_active 4"))
        #expect(text(.noSpare).hasSuffix("; no spare server left to bring up"))
    }

    @Test func drift() {
        func text(_ c: Drift.Cause) -> String { EventProse.describe(.drift(Drift(backend: Self.n("app"), server: Self.n("s2"), cause: c))) }
        #expect(text(.inServiceInHAProxy(weight: 10)) == "app/s2: HAProxy has it in service (weight 10) while hascale counted it spare; HAProxy wins")
        #expect(text(.outOfServiceInHAProxy(.maint, weight: 0)) == "app/s2: HAProxy has it in maint (weight 0) while hascale counted it in service; HAProxy wins")
        #expect(text(.servedWhileSpare) == "app/s2: served a request while hascale counted it spare; now counted in service")
        #expect(text(.unknownToHAProxy) == "app/s2: HAProxy has no such server; it is left alone until haproxy.cfg has it")
    }

    @Test func statusLines() {
        func line(_ metric: Double?, _ next: BackendStatus.NextStep) -> String {
            EventProse.statusLine(BackendStatus(backend: Self.n("app"), active: 3, total: 5, metric: .Tr, aggregate: .mean, metricMs: metric,
                                                upThresholdMs: 500, downThresholdMs: 250, next: next))
        }
        #expect(line(212, .scaleDownIn(.seconds(250))) == "app: 3/5 up, mean Tr 212 ms < 250 ms, scale-down in 4m10s")
        #expect(line(300, .steadyProjected(420)) == "app: 3/5 up, mean Tr 300 ms ≤ 500 ms, steady (about 420 ms with one server fewer)")
        #expect(line(900, .breaching(count: 3, needed: 3, cooldownLeft: .seconds(12))) == "app: 3/5 up, mean Tr 900 ms > 500 ms, above target, cooldown 12s")
        #expect(line(900, .breaching(count: 1, needed: 3, cooldownLeft: nil)) == "app: 3/5 up, mean Tr 900 ms > 500 ms, breach 1/3")
        #expect(line(nil, .atMinimum) == "app: 3/5 up, no requests yet, at minimum")
        #expect(line(600, .acting(.up, [Self.n("s4")])) == "app: 3/5 up, mean Tr 600 ms > 500 ms, warming s4")
    }

    @Test func aPoolThatCannotCarryTheLoadIsAnInfinitePredictionNotACrash() {
        let fit = LoadModel.Fit(interceptMs: 5, slopeMs: 40, r2: 0.99, levels: 6, samples: 500)
        let load = LoadModel.Load(perServer: 30, completions: 25, arrivals: 400)
        let sizing = LoadModel.Sizing(fit: fit, load: load, active: 1, servers: 4, predictedMs: .infinity, targetMs: 160)
        let d = Self.decision(.up, ["s2", "s3", "s4"], .aboveThreshold(Self.up, breaches: 3, model: .sized(sizing)), .restingLongest([.seconds(1), .seconds(1), .seconds(1)]))
        #expect(EventProse.describe(d).contains("needs 4: Tr ≈ 5 ms + 40 ms × conns/server (R² 0.99); 30.0 conns/server, 400 req/s with 1 → about ∞ ms over 4, still above 160 ms"),
                "\(EventProse.describe(d))")
    }
}
