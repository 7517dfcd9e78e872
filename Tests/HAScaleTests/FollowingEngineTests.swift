import HAProxyNames
@testable import HAScale
import Testing

/// The engine of the standby of a pair (``BackendAutoscaler/following``) and of
/// one that takes over, in virtual time.
@Suite("Engine: following another controller, taking over")
struct FollowingEngineTests {
    static let n = BackendAutoscalerTests.name
    static let t = BackendAutoscalerTests.t
    static func obs(_ s: String, _ admin: ServerObservation.Admin = .ready, _ op: ServerObservation.Operational = .up) -> ServerObservation {
        HealthRulesTests.obs(s, admin, op)
    }

    static func standby(_ configure: (inout Inventory.Policy) -> Void = { _ in }) -> BackendAutoscaler {
        var e = HealthRulesTests.serving2(configure)
        e.following = true
        return e
    }

    @Test func onStandbyTheMetricIsJudgedButNothingIsDecided() {
        var e = Self.standby { $0.scaleUpBreaches = 1; $0.scaleDownAfterSeconds = 10 }
        let slow = BackendAutoscalerTests.feed(&e, 900, times: 6, at: 1)
        #expect(slow.isEmpty, "no scale-up, no suppression: \(slow)")
        #expect(e.lastMetric == 900 && e.breaches == 0 && e.lastBreachAt == Self.t(1), "judged, but breaches are the acting one's")
        #expect(e.inFlight == nil)
        // Quiet for long enough, and a server DOWN: still nothing, and nothing owed.
        _ = BackendAutoscalerTests.feed(&e, 10, times: 3, at: 2)
        let down = e.reconcile([Self.obs("s1"), Self.obs("s2", .ready, .down), Self.obs("s3", .maint, .down), Self.obs("s4", .maint, .down)], at: Self.t(3))
        #expect(down.isEmpty && e.owed.isEmpty, "the active one replaces it: \(down)")
        #expect(BackendAutoscalerTests.feed(&e, 10, at: 60).isEmpty)
        #expect(e.quietSince == Self.t(2), "the quiet period runs on standby too")
    }

    @Test func theOtherControllersActionsAreMirroredNotDrift() {
        var e = Self.standby()
        // It brought s3 up and took s2 down: HAProxy's state, no drift, and it spaces this one's actions.
        let events = e.reconcile([Self.obs("s1"), Self.obs("s2", .maint, .down), Self.obs("s3"), Self.obs("s4", .maint, .down)], at: Self.t(5))
        #expect(events.isEmpty, "\(events)")
        #expect(e.servers.map(\.phase) == [.inService, .spare, .inService, .spare])
        #expect(e.lastScaleUpAt == Self.t(5) && e.lastScaleDownAt == Self.t(5) && e.lastActionAt == Self.t(5))
        // A spare seen serving in the log: the same.
        e.observe(server: 3, value: 10, status: 200, at: Self.t(20))
        #expect(e.servers[3].phase == .inService && e.lastScaleUpAt == Self.t(20))
        #expect(e.evaluate(at: Self.t(20)).isEmpty, "no servedWhileSpare drift")
        // A new HAProxy process is the active one's to re-apply.
        let restarted = e.reconcile([Self.obs("s1"), Self.obs("s2"), Self.obs("s3", .maint, .down), Self.obs("s4")], at: Self.t(21), newProcess: true)
        #expect(restarted.isEmpty && e.reapply.isEmpty, "\(restarted)")
        #expect(e.servers.map(\.phase) == [.inService, .inService, .spare, .inService])
    }

    @Test func takingOverFinishesADrainLeftBehindOrBringsItBack() throws {
        // s2 left in drain; the pool without it has s1: enough for min_active 1, so the drain is finished.
        var e = Self.standby()
        _ = e.reconcile([Self.obs("s1"), Self.obs("s2", .drain), Self.obs("s3", .maint, .down), Self.obs("s4", .maint, .down)], at: Self.t(1))
        e.following = false
        _ = e.reconcile([Self.obs("s1"), Self.obs("s2", .drain), Self.obs("s3", .maint, .down), Self.obs("s4", .maint, .down)], at: Self.t(2), takingOver: true)
        let finish = try #require(BackendAutoscalerTests.decisions(e.evaluate(at: Self.t(2))).first)
        #expect(finish.direction == .down && finish.servers == [Self.n("s2")] && finish.cause == .leftDraining(back: nil))
        // Its drain cannot be finished (HAProxy refused): it is still out of service, not back in it.
        e.finished(finish, failures: [Self.n("s2")], at: Self.t(3))
        #expect(e.servers[1].phase == .spare)
        #expect(BackendAutoscalerTests.decisions(e.evaluate(at: Self.t(3))).isEmpty, "noted once, settled once")

        // The same with min_active 2: s2 comes back.
        var m = Self.standby { $0.minActive = 2 }
        _ = m.reconcile([Self.obs("s1"), Self.obs("s2", .drain), Self.obs("s3", .maint, .down), Self.obs("s4", .maint, .down)], at: Self.t(2), takingOver: true)
        m.following = false
        let back = try #require(BackendAutoscalerTests.decisions(m.evaluate(at: Self.t(2))).first)
        #expect(back.direction == .up && back.servers == [Self.n("s2")] && back.cause == .leftDraining(back: .belowMinActive(2)))

        // And with a slow window: the backend needs its capacity.
        var s = HealthRulesTests.serving2 { $0.scaleUpBreaches = 100 }
        _ = BackendAutoscalerTests.feed(&s, 900, times: 3, at: 1)
        _ = s.reconcile([Self.obs("s1"), Self.obs("s2", .drain), Self.obs("s3", .maint, .down), Self.obs("s4", .maint, .down)], at: Self.t(2), takingOver: true)
        let needed = try #require(BackendAutoscalerTests.decisions(s.evaluate(at: Self.t(2))).first)
        guard case .leftDraining(back: .aboveThreshold(let r)) = needed.cause else { Issue.record("\(needed.cause)"); return }
        #expect(needed.direction == .up && r.valueMs == 900)
    }

    @Test func anAlwaysUpServerLeftDrainingComesBack() throws {
        var e = HealthRulesTests.serving2()
        _ = e.reconcile([Self.obs("s1", .drain), Self.obs("s2"), Self.obs("s3", .maint, .down), Self.obs("s4", .maint, .down)], at: Self.t(1), takingOver: true)
        let back = try #require(BackendAutoscalerTests.decisions(e.evaluate(at: Self.t(1))).first)
        #expect(back.servers == [Self.n("s1")] && back.cause == .leftDraining(back: .alwaysUp))
    }
}
