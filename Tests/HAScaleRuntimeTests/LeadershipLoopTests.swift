import HAProxyNames
import HAScale
@testable import HAScaleRuntime
import HAScaleTestKit
import Testing

/// The loop as one of a keepalived pair, with the address flipped by hand
/// (``ManualLeadership``): the standby follows but sends nothing, a takeover
/// reads HAProxy before it acts and settles a drain the previous one left, and a
/// controller that loses the address lets its action finish and starts no other.
@Suite("Scaling loop: a pair of controllers, one active", .serialized)
struct LeadershipLoopTests {
    typealias Rig = ScalingLoopTests.Rig

    /// Moves the clock on by `d` and waits until the loop has turned at the new time.
    static func pass(_ rig: Rig, _ d: Duration) async throws {
        rig.advance(by: d)
        let t = rig.clock.now
        try await rig.turns.first("a loop turn at \(t)") { $0 >= t }
    }

    static func sets(_ rig: Rig) -> [String] { rig.haproxy.commands.all.filter { $0.hasPrefix("set ") } }

    @Test func theStandbyFollowsAndSendsNothingThenTakesOverFromHAProxysState() async throws {
        let leader = ManualLeadership(holds: false)
        // s2 is active in the inventory but in maintenance in HAProxy: a controller acting at its start would bring it up.
        let rig = try Rig(servers: [("s1", true), ("s2", true), ("s3", false)], ready: ["s1"], leadership: leader)
        let task = try await ScalingLoopTests.start(rig)
        #expect(rig.logs.all.contains { $0.contains("standby: 10.213.0.100 held elsewhere") }, "\(rig.logs.all.prefix(5))")
        try await rig.logs.first("the ready line with the role") { $0.contains("ready: standby (10.213.0.100 held elsewhere); app: 1/3 up") }

        // Slow requests (an active controller would scale up), and the other controller brings s3 up meanwhile.
        rig.log(3, tr: 900)
        rig.haproxy.update("app", "s3") { $0.admin = .ready }
        for _ in 0..<4 { try await Self.pass(rig, .seconds(1)) }
        #expect(Self.sets(rig).isEmpty, "the standby sent no command: \(Self.sets(rig))")
        #expect(rig.haproxy.commands.all.filter { $0 == "show info" }.count >= 4, "it still reads HAProxy at each resync")
        let status = try await rig.statuses.first("a standby status with s3 up") {
            $0.first == "standby (10.213.0.100 held elsewhere)" && $0.dropFirst().first?.hasPrefix("app: 2/3 up") == true
        }
        #expect(status.dropFirst().first?.hasPrefix("app: 2/3 up, mean Tr 900 ms") == true,
                "the standby's view follows HAProxy (s3 is up) and the log (900 ms): \(status)")
        #expect(!rig.logs.all.contains { $0.contains("decision:") || $0.contains("drifted") || $0.contains("HAProxy has it in service") },
                "the other controller's action is no drift: \(rig.logs.all.suffix(8))")
        #expect(rig.history.all.isEmpty)

        // keepalived moves the address here: HAProxy is read first, then the slow log acts.
        let before = rig.haproxy.commands.all.count
        leader.holds = true
        try await rig.logs.first("the takeover") { $0.contains("took over from HAProxy's state") }
        rig.log(3, tr: 900)
        try await rig.haproxy.commands.first("a scale-up after the takeover") { $0.hasPrefix("set server") && $0.hasSuffix("state ready") }
        let after = Array(rig.haproxy.commands.all[before...])
        #expect(Array(after.prefix(3)) == ["show info", "show servers state", "show stat"], "HAProxy's truth before any command: \(after)")
        #expect(!after.contains { $0.contains("app/s3") }, "s3, brought up by the other controller, is not brought up again: \(after)")
        #expect(after.contains("set server app/s2 state ready"), "the one spare left comes up: \(after)")
        let changed = try await rig.history.first("the leadership change") { $0.kind == .leadershipChanged }
        #expect(changed.reason == "active: this host holds 10.213.0.100")
        #expect(rig.logs.all.contains { $0.contains("active: this host holds 10.213.0.100; reading HAProxy's state before acting") })
        #expect(rig.logs.all.contains { $0.contains("took over from HAProxy's state: app: 2/3 up") }, "\(rig.logs.all.suffix(8))")
        let up = try await rig.history.first("s2's scale_up") { $0.kind == .scaleUp }
        #expect(up.server == "s2" && up.metricMs == 900, "\(up)")
        try await ScalingLoopTests.stop(rig, task)
    }

    @Test func aDrainThePreviousControllerLeftIsFinishedAndReported() async throws {
        let leader = ManualLeadership(holds: false)
        let rig = try Rig(servers: [("s1", true), ("s2", true), ("s3", false)], ready: ["s1", "s2"], leadership: leader)
        let task = try await ScalingLoopTests.start(rig)
        // The active controller began draining s2 (weight 0, drain, a session open), then lost its node.
        rig.haproxy.update("app", "s2") { $0.admin = .drain; $0.weight = 0; $0.sessions = 1 }
        try await Self.pass(rig, .seconds(1))
        #expect(Self.sets(rig).isEmpty)

        leader.holds = true
        try await rig.haproxy.commands.first("s2's drain taken up") { $0 == "set server app/s2 state drain" }
        try await rig.clock.sleeps.first("the drain to wait for the open session") { $0 == .milliseconds(100) }
        rig.haproxy.update("app", "s2") { $0.sessions = 0 }
        rig.advance(by: .milliseconds(100))
        let done = try await rig.history.first("s2's scale_down") { $0.kind == .scaleDown && $0.server == "s2" }
        #expect(done.reason == "s2 was left draining by the previous controller; finishing its drain to maintenance")
        #expect(done.active == 1, "s1 alone served before and after: \(done)")
        #expect(rig.haproxy.server("app", "s2")?.admin == .maint)
        #expect(rig.logs.all.contains { $0.contains("decision: app: down s2: s2 was left draining by the previous controller") })
        #expect(rig.history.all.map(\.kind) == [.leadershipChanged, .drainStarted, .scaleDown], "\(rig.history.all)")
        #expect(Self.sets(rig) == ["set weight app/s2 0", "set server app/s2 state drain", "set server app/s2 state maint"],
                "the drain's own commands again (idempotent), then maintenance: \(Self.sets(rig))")
        try await ScalingLoopTests.stop(rig, task)
    }

    @Test func aDrainLeftWhileThePoolNeedsTheServerIsUndone() async throws {
        let leader = ManualLeadership(holds: false)
        let rig = try Rig(policy: { $0.minActive = 2 }, servers: [("s1", true), ("s2", true), ("s3", false)], ready: ["s1", "s2"],
                          leadership: leader)
        let task = try await ScalingLoopTests.start(rig)
        rig.haproxy.update("app", "s2") { $0.admin = .drain; $0.weight = 0 }
        try await Self.pass(rig, .seconds(1))

        leader.holds = true
        let back = try await rig.history.first("s2 back in service") { $0.kind == .scaleUp }
        #expect(back.server == "s2")
        #expect(back.reason == "s2 was left draining by the previous controller; bringing it back into service: without it 1 serve, below min_active 2",
                "\(back.reason)")
        #expect(rig.haproxy.inService("app") == ["s1", "s2"])
        #expect(Self.sets(rig) == ["set weight app/s2 1", "set server app/s2 state ready"], "s3 untouched: \(Self.sets(rig))")
        try await ScalingLoopTests.stop(rig, task)
    }

    @Test func losingTheAddressMidActionFinishesItAndStartsNoOther() async throws {
        let leader = ManualLeadership(holds: true)
        let rig = try Rig(policy: { $0.rampSeconds = 2 }, weight: 2, leadership: leader)
        let task = try await ScalingLoopTests.start(rig)
        #expect(rig.logs.all.contains { $0.contains("active: this host holds 10.213.0.100") })
        rig.log(3, tr: 900)
        try await rig.haproxy.commands.first("s2 set ready") { $0 == "set server app/s2 state ready" }
        try await rig.clock.sleeps.first("the ramp to sleep") { $0 == .seconds(2) }

        leader.holds = false
        try await rig.history.first("the standby's record") { $0.kind == .leadershipChanged }
        #expect(rig.logs.all.contains { $0.contains("standby: 10.213.0.100 held elsewhere; the 1 action(s) in flight finish, no new one starts") })
        rig.advance(by: .seconds(2))
        try await rig.history.first("the ramp to end") { $0.kind == .scaleUp && $0.server == "s2" }
        #expect(rig.haproxy.server("app", "s2")?.weight == 2, "the in-flight ramp reached the full weight")
        // Still slow, and a spare is left: on standby nothing more is decided.
        rig.log(3, tr: 900)
        for _ in 0..<3 { try await Self.pass(rig, .seconds(1)) }
        #expect(!rig.haproxy.commands.all.contains { $0.contains("app/s3") }, "\(Self.sets(rig))")
        #expect(rig.history.all.map(\.kind) == [.leadershipChanged, .scaleUp], "\(rig.history.all)")
        #expect(rig.history.all.first?.reason == "standby: 10.213.0.100 held elsewhere")
        try await ScalingLoopTests.stop(rig, task)
    }

    @Test func notKnowingWhetherItHoldsTheAddressIsStandbySaidOnce() async throws {
        let leader = ManualLeadership(holds: true)
        leader.fails = true
        let rig = try Rig(leadership: leader)
        let task = try await ScalingLoopTests.start(rig)
        rig.log(3, tr: 900)
        for _ in 0..<3 { try await Self.pass(rig, .seconds(1)) }
        #expect(Self.sets(rig).isEmpty)
        let warnings = rig.logs.all.filter { $0.contains("cannot read this host's addresses to see whether it holds 10.213.0.100") }
        #expect(warnings.count == 1, "said once, not every turn: \(warnings)")
        #expect(warnings.first?.contains("staying on standby until it can") == true)

        leader.fails = false
        try await rig.logs.first("the takeover once it knows") { $0.contains("took over from HAProxy's state") }
        rig.log(3, tr: 900)
        try await rig.haproxy.commands.first("the scale-up") { $0 == "set server app/s2 state ready" }
        try await ScalingLoopTests.stop(rig, task)
    }

    @Test func aChangedLeaderAddressTakesEffectAtTheNextRestart() async throws {
        let rig = try Rig(leadership: ManualLeadership(holds: true))
        let task = try await ScalingLoopTests.start(rig)
        var new = rig.inventory
        new.leader = Inventory.Leader(vrrpAddress: IPAddress("10.213.0.200")!)
        let change = EventLog<InventoryChange>()
        rig.loop.reload(new) { change.append($0) }
        let applied = try await change.first("the reload to apply") { _ in true }
        #expect(applied.lines.contains("\"leader\" takes effect at the next restart"), "\(applied.lines)")
        try await ScalingLoopTests.stop(rig, task)
    }

    @Test func theOtherControllersScaleUpStartsTheCooldownOfTheOneThatTakesOver() async throws {
        let leader = ManualLeadership(holds: false)
        let rig = try Rig(policy: { $0.scaleUpCooldownSeconds = 10; $0.scaleDownAfterSeconds = 60 }, leadership: leader)
        let task = try await ScalingLoopTests.start(rig)
        // The active controller brings s2 up; the standby sees it at its next resync.
        rig.haproxy.update("app", "s2") { $0.admin = .ready }
        try await Self.pass(rig, .seconds(1))
        try await rig.statuses.first("s2 seen up") { $0.dropFirst().first?.hasPrefix("app: 2/3 up") == true }
        try await Self.pass(rig, .seconds(2))

        leader.holds = true
        try await rig.logs.first("the takeover") { $0.contains("took over from HAProxy's state") }
        rig.log(3, tr: 900)
        let held = try await rig.logs.first("the scale-up held back") { $0.contains("scale-up held back") }
        #expect(held.contains("cooldown after the last scale-up, 8s left"), "the other's scale-up, seen 2 s ago, counts: \(held)")
        #expect(Self.sets(rig).isEmpty)
        // Once the cooldown is over, still slow: s3 comes up.
        for _ in 0..<8 { try await Self.pass(rig, .seconds(1)) }
        rig.log(3, tr: 900)
        try await rig.haproxy.commands.first("s3 up after the cooldown") { $0 == "set server app/s3 state ready" }
        #expect(!Self.sets(rig).contains { $0.contains("app/s2") }, "\(Self.sets(rig)) \(rig.logs.all.filter { $0.contains("decision") })")
        try await ScalingLoopTests.stop(rig, task)
    }
}
