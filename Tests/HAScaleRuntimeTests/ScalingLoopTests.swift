#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HAProxyNames
import HAScale
@testable import HAScaleRuntime
import HAScaleTestKit
import Logging
import SystemPackage
import Testing

/// The daemon's loop in-process: a real log file and follower, an in-memory
/// HAProxy, a hand-driven clock. Every wait is for an event (a command sent,
/// a history entry, a sleep begun), bounded, and named in its failure.
@Suite("Scaling loop in-process", .serialized)
struct ScalingLoopTests {
    /// One loop under test and everything it talks to.
    final class Rig: Sendable {
        let dir: String
        let logPath: String
        let haproxy: InMemoryHAProxy
        let clock = ManualClock()
        let history = EventLog<HistoryEvent>()
        let logs = EventLog<String>()
        let ready = EventLog<Bool>()
        /// The clock's reading at each turn of the loop.
        let turns = EventLog<Duration>()
        /// Every status hook call's lines.
        let statuses = EventLog<[String]>()
        let loop: ScalingLoop
        let inventory: Inventory

        init(policy: (inout Inventory.Policy) -> Void = { _ in }, servers: [(String, Bool)] = [("s1", true), ("s2", false), ("s3", false)],
             ready haproxyReady: Set<String> = ["s1"], weight: Int = 1, warmupURL: String? = nil,
             leadership: (any LeadershipCheck)? = nil,
             configure: (inout ScalingLoop.Options, inout ScalingLoop.Hooks) -> Void = { _, _ in }) throws {
            var template = Array("/tmp/hascale-loop-XXXXXX".utf8CString)
            dir = String(cString: mkdtemp(&template)!)
            logPath = "\(dir)/haproxy.log"
            FileManager.default.createFile(atPath: logPath, contents: nil)
            haproxy = InMemoryHAProxy([("app", servers.map(\.0))], ready: haproxyReady, weight: weight)
            var p = Inventory.Policy()
            p.windowRequests = 3
            p.scaleUpBreaches = 1
            p.scaleUpThresholdMs = 200
            p.scaleUpCooldownSeconds = 0
            p.scaleDownThresholdMs = 100
            p.scaleDownAfterSeconds = 5
            p.resyncSeconds = 1
            policy(&p)
            inventory = Inventory(socket: nil, log: logPath, backends: [Inventory.Backend(
                name: try ProxyName("app"), policy: p,
                servers: servers.enumerated().map { i, s in
                    Inventory.Server(name: try! ProxyName(s.0), active: s.1, alwaysUp: i == 0, warmupURL: i == 1 ? warmupURL : nil)
                })])
            var options = ScalingLoop.Options(logPath: FilePath(logPath))
            options.tick = .milliseconds(20)
            options.shutdownGrace = .seconds(2)
            options.leadership = leadership
            options.leadershipCheckEvery = .zero  // every turn: a flip is seen at the next one
            var hooks = ScalingLoop.Hooks()
            let statuses = self.statuses
            hooks.status = { statuses.append($0) }
            let (history, ready) = (self.history, self.ready)
            hooks.history = { history.append($0) }
            hooks.ready = { ready.append(true) }
            let (turns, clock) = (self.turns, self.clock)
            hooks.progress = { turns.append(clock.now) }
            let logs = self.logs
            var logger = Logger(label: "loop-test") { _ in CapturingLogHandler(logs: logs) }
            logger.logLevel = .info
            configure(&options, &hooks)
            loop = try ScalingLoop(inventory: inventory, api: haproxy, clock: clock, options: options, hooks: hooks, logger: logger)
        }

        /// Appends requests to the log as HAProxy writes them.
        func log(_ n: Int, server: String = "s1", tr: Int) {
            let line = "127.0.0.1:1 [22/Nov/2026:21:10:58.882] fe app/\(server) 0/0/1/\(tr)/\(tr + 1) 200 10 - - ---- 1/1/1/1/0 0/0 \"GET / HTTP/1.1\"\n"
            let fd = open(logPath, O_WRONLY | O_APPEND)
            defer { close(fd) }
            let text = String(repeating: line, count: n)
            _ = text.withCString { write(fd, $0, strlen($0)) }
        }

        func advance(by d: Duration) { clock.advance(by: d) }

        /// Moves the clock on a second at a time until HAProxy receives `command`
        /// (at most `seconds` steps): the loop judges time as it reads it, so
        /// a test need not know on which turn the log was read.
        func advance(untilSent command: String, seconds: Int = 30) async throws {
            for _ in 0..<seconds {
                if haproxy.commands.all.contains(command) { return }
                advance(by: .seconds(1))
                _ = try? await haproxy.commands.first(command, timeout: .milliseconds(200)) { $0 == command }
            }
            try await haproxy.commands.first(command, timeout: .zero) { $0 == command }
        }

        func commands(_ prefix: String) -> [String] { haproxy.commands.all.filter { $0.hasPrefix(prefix) } }

        deinit { try? FileManager.default.removeItem(atPath: dir) }
    }

    struct CapturingLogHandler: LogHandler {
        let logs: EventLog<String>
        var logLevel: Logger.Level = .info
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { logs.append("\(event.level): \(event.message)") }
    }

    /// Starts the loop and waits until it is ready.
    static func start(_ rig: Rig) async throws -> Task<Void, any Error> {
        let task = Task { try await rig.loop.run() }
        try await rig.ready.first("the loop to be ready") { $0 }
        return task
    }

    /// Stops the loop and waits (bounded) for ``ScalingLoop/run()`` to return.
    static func stop(_ rig: Rig, _ task: Task<Void, any Error>, advancing: Duration = .zero) async throws {
        rig.loop.stop()
        if advancing > .zero {
            try await rig.logs.first("the loop to start its shutdown") { $0.contains("stopping:") }
            rig.advance(by: advancing)
        }
        let ended = EventLog<Bool>()
        Task { _ = try? await task.value; ended.append(true) }
        try await ended.first("run() to return after stop()", timeout: .seconds(10)) { $0 }
    }

    @Test func scaleUpWarmsThenRampsThenDrainsWhenQuiet() async throws {
        let app = try HTTPTestBackend(name: "s2", behaviour: .ok())
        defer { app.shutdown() }
        let rig = try Rig(policy: { $0.rampSeconds = 4 }, weight: 10, warmupURL: "http://\(app.address)/warm")
        let task = try await Self.start(rig)

        rig.log(3, tr: 900)
        try await rig.haproxy.commands.first("s2 set ready") { $0 == "set server app/s2 state ready" }
        #expect(app.requests.first?.path == "/warm", "warmed before any weight or state was set")
        #expect(rig.commands("set weight app/s2") == ["set weight app/s2 2"], "a fifth of weight 10 first")
        // The ramp: four more steps, one per second of the injected clock.
        for k in 1...4 {
            try await rig.clock.sleeps.nth(k, "ramp step \(k) to sleep") { $0 == .seconds(1) }
            rig.advance(by: .seconds(1))
        }
        let up = try await rig.history.first("scale_up of s2") { $0.kind == .scaleUp && $0.server == "s2" }
        #expect(rig.commands("set weight app/s2") == ["2", "4", "6", "8", "10"].map { "set weight app/s2 \($0)" })
        #expect(up.active == 2 && up.metricMs == 900 && up.thresholdMs == 200)
        #expect(rig.haproxy.inService("app") == ["s1", "s2"])

        // Quiet: fast requests, then the quiet period passes on the clock. s2 has open sessions.
        rig.haproxy.update("app", "s2") { $0.sessions = 2 }
        rig.log(3, tr: 10)
        try await rig.advance(untilSent: "set server app/s2 state drain")
        #expect(rig.commands("set weight app/s2").last == "set weight app/s2 0")
        #expect(rig.haproxy.server("app", "s2")?.admin == .drain, "draining while its sessions are open")
        try await rig.clock.sleeps.first("the drain to wait for sessions") { $0 == .milliseconds(100) }
        rig.haproxy.update("app", "s2") { $0.sessions = 0 }
        rig.advance(by: .milliseconds(100))
        let down = try await rig.history.first("scale_down of s2") { $0.kind == .scaleDown && $0.server == "s2" }
        #expect(down.active == 1)
        #expect(rig.haproxy.server("app", "s2")?.admin == .maint)
        #expect(rig.history.all.map(\.kind).filter { $0 != .decisionSuppressed } == [.scaleUp, .drainStarted, .scaleDown])
        try await Self.stop(rig, task)
    }

    @Test func shutdownWaitsTheGraceThenReportsAndCancelsAnUnfinishedDrain() async throws {
        let rig = try Rig(servers: [("s1", true), ("s2", true)], ready: ["s1", "s2"])
        rig.haproxy.update("app", "s2") { $0.sessions = 3 }
        let task = try await Self.start(rig)
        // No requests at all: after the quiet period one server goes.
        rig.advance(by: .seconds(6))
        try await rig.haproxy.commands.first("s2 set to drain") { $0 == "set server app/s2 state drain" }
        try await rig.clock.sleeps.first("the drain to wait for sessions") { $0 == .milliseconds(100) }
        // Past the 2 s grace at once: the drain is reported, then cancelled; run() returns.
        try await Self.stop(rig, task, advancing: .seconds(3))
        #expect(rig.logs.all.contains { $0.contains("shutting down with the drain of app/s2 unfinished") && $0.contains("hascale disable app/s2") },
                "\(rig.logs.all.suffix(5))")
        #expect(rig.haproxy.server("app", "s2")?.admin == .drain, "left draining, not cut by maintenance")
        #expect(rig.commands("set server app/s2 state maint").isEmpty)
        #expect(!rig.history.all.contains { $0.kind == .scaleDown }, "no scale_down is recorded for an unfinished drain")
    }

    @Test func aServerRemovedWhileRampingIsDrainedAfterItsAction() async throws {
        let rig = try Rig(policy: { $0.rampSeconds = 2 }, weight: 2)
        let task = try await Self.start(rig)
        rig.log(3, tr: 900)
        try await rig.haproxy.commands.first("s2 set ready") { $0 == "set server app/s2 state ready" }
        try await rig.clock.sleeps.first("the ramp to sleep") { $0 == .seconds(2) }
        // The operator removes s2 while its action is in flight.
        var new = rig.inventory
        new.backends[0].servers.removeAll { $0.name.value == "s2" }
        let change = EventLog<InventoryChange>()
        rig.loop.reload(new) { change.append($0) }
        let applied = try await change.first("the reload to apply") { _ in true }
        #expect(applied.summary == "app: -s2 (drained after its warm-up)")
        #expect(rig.commands("set server app/s2 state drain").isEmpty, "the action in flight is not cut short")
        rig.advance(by: .seconds(2))
        try await rig.history.first("the ramp to end") { $0.kind == .scaleUp && $0.server == "s2" }
        try await rig.haproxy.commands.first("s2 drained after its action") { $0 == "set server app/s2 state maint" }
        let drain = try await rig.history.first("the drain's record") { $0.kind == .scaleDown && $0.server == "s2" }
        #expect(drain.reason == "s2 was removed from the inventory")
        let sent = rig.haproxy.commands.all.filter { $0.contains("app/s2") }
        #expect(sent.firstIndex(of: "set weight app/s2 2")! < sent.firstIndex(of: "set server app/s2 state drain")!, "\(sent)")
        try await Self.stop(rig, task)
    }

    @Test func resyncSeesAHandEditAndReportsTheDriftOnce() async throws {
        let rig = try Rig()
        let task = try await Self.start(rig)
        rig.haproxy.update("app", "s3") { $0.admin = .ready }
        rig.advance(by: .seconds(1))
        let drift = try await rig.history.first("the drift of s3") { $0.kind == .drift && $0.server == "s3" }
        #expect(drift.reason.hasPrefix("HAProxy has it in service (weight 1)"))
        rig.advance(by: .seconds(1))
        try await rig.haproxy.commands.nth(3, "one more resync") { $0 == "show stat" }
        #expect(rig.history.all.filter { $0.kind == .drift }.count == 1, "HAProxy's state is taken once, not reported every resync")
        try await Self.stop(rig, task)
    }

    @Test func startUpBringsHAProxyInLineWithTheInventoryBeforeReady() async throws {
        // The inventory wants s2 up and s3 spare; HAProxy has it the other way round.
        let rig = try Rig(servers: [("s1", true), ("s2", true), ("s3", false)], ready: ["s1", "s3"])
        let task = try await Self.start(rig)
        #expect(rig.haproxy.inService("app") == ["s1", "s2"], "before READY: s2 up, s3 down")
        let order = rig.haproxy.commands.all.filter { $0.hasPrefix("set server") }
        #expect(order == ["set server app/s2 state ready", "set server app/s3 state drain", "set server app/s3 state maint"], "bring-ups first: \(order)")
        try await Self.stop(rig, task)
    }

    @Test func aFailedWarmUpNeverEnablesAndTheNextSpareIsTried() async throws {
        let broken = try HTTPTestBackend(name: "s2", behaviour: .status(500))
        defer { broken.shutdown() }
        let rig = try Rig(policy: { $0.warmupAttempts = 2; $0.warmupBackoffSeconds = 0.5 }, warmupURL: "http://\(broken.address)/warm")
        let task = try await Self.start(rig)
        rig.log(3, tr: 900)
        // The backoff between the two attempts sleeps on the injected clock.
        try await rig.clock.sleeps.first("the warm-up's backoff") { $0 == .milliseconds(500) }
        rig.advance(by: .milliseconds(500))
        let failed = try await rig.history.first("the failed warm-up") { $0.kind == .warmupFailed }
        #expect(failed.server == "s2" && failed.reason.contains("HTTP 500"), "\(failed)")
        #expect(broken.requests.count == 2, "two attempts")
        #expect(rig.commands("set weight app/s2").isEmpty && rig.commands("set server app/s2").isEmpty, "nothing sent for s2")
        // Still slow: the next spare comes up; s2 rests after its failure.
        rig.log(3, tr: 900)
        try await rig.haproxy.commands.first("s3 set ready") { $0 == "set server app/s3 state ready" }
        #expect(rig.haproxy.inService("app") == ["s1", "s3"])
        try await Self.stop(rig, task)
    }

    @Test func cancellingTheTaskStopsTheLoop() async throws {
        let rig = try Rig()
        let task = try await Self.start(rig)
        task.cancel()
        let ended = EventLog<Bool>()
        Task { _ = try? await task.value; ended.append(true) }
        try await ended.first("run() to return after its task was cancelled") { $0 }
        #expect(rig.logs.all.contains { $0.contains("stopping: no action in flight") })
    }

    @Test func anUnreachableHAProxyIsReportedOnceAndNothingIsDecidedUntilItAnswers() async throws {
        let rig = try Rig()
        rig.haproxy.unreachable = true
        let task = try await Self.start(rig)
        rig.log(3, tr: 900)
        // Retried with backoff: 1 s after start-up's try, then 1 s, then 2 s.
        for (k, step) in [1, 1, 2].enumerated() {
            if step == 2 {
                rig.advance(by: .seconds(1))  // t = 3: not yet
                try await rig.turns.first("a turn at 3 s") { $0 >= .seconds(3) }
            }
            rig.advance(by: .seconds(1))
            try await rig.haproxy.commands.nth(k + 2, "retry \(k + 1) to be tried") { $0 == "show info" }
        }
        #expect(rig.haproxy.commands.all.filter { $0 == "show info" }.count == 4, "no try at 3 s: the backoff doubled")
        #expect(rig.logs.all.filter { $0.contains("cannot read HAProxy's state") }.count == 1, "reported once: \(rig.logs.all)")
        #expect(rig.logs.all.allSatisfy { !$0.contains("decision:") }, "no decision on an unconfirmed view")
        rig.haproxy.unreachable = false
        rig.advance(by: .seconds(4))  // the next try, 4 s after the last
        try await rig.logs.first("the recovery to be told") { $0.contains("runtime API answers again") }
        rig.log(3, tr: 900)
        try await rig.haproxy.commands.first("the scale-up once HAProxy answers") { $0 == "set server app/s2 state ready" }
        try await Self.stop(rig, task)
    }
}
