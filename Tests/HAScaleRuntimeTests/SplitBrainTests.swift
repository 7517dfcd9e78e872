#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HAProxyNames
import HAProxySocket
import HAScale
@testable import HAScaleRuntime
import HAScaleTestKit
import Logging
import Synchronization
import SystemPackage
import Testing

/// Both controllers of a pair active at once (keepalived's split brain): the
/// guards read HAProxy before (and after) each drain, so the worst case is a
/// repeated command, never a pool below `min_active`.
@Suite("Split brain: two active controllers, one HAProxy", .serialized)
struct SplitBrainTests {
    /// Lets each caller read HAProxy, then holds its first command that changes
    /// something until every party has read: the widest race there is, on purpose.
    final class RaceGate: Sendable {
        let parties: Int
        let arrived = Mutex(0)

        init(parties: Int) { self.parties = parties }

        func arrive() async {
            arrived.withLock { $0 += 1 }
            let deadline = ContinuousClock.now + .seconds(10)
            while arrived.withLock({ $0 }) < parties, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(1)) }
        }
    }

    /// One controller's socket: its first action command waits at the gate.
    final class GatedAPI: RuntimeAPI {
        let inner: any RuntimeAPI
        let gate: RaceGate
        let first = Mutex(true)
        var addressDescription: String { inner.addressDescription }

        init(_ inner: any RuntimeAPI, _ gate: RaceGate) {
            self.inner = inner
            self.gate = gate
        }

        func send(_ command: RuntimeCommand) async throws(RuntimeAPIError) -> String {
            if command.expectsEmptyAnswer, first.withLock({ let f = $0; $0 = false; return f }) { await gate.arrive() }
            return try await inner.send(command)
        }
    }

    static func drain(_ exec: ScaleExecutor, _ server: String) async -> ScaleError? {
        do {
            try await exec.scaleDown(try! ServerRef(backend: "app", server: server), server: nil, drainTimeout: .seconds(1), minActive: 2)
            return nil
        } catch {
            return error
        }
    }

    /// Two executors, each past its check before either sends, drain `first` and `second`
    /// of s1, s2, s3 serving (s4 in maintenance) with min_active 2.
    static func race(_ first: String, _ second: String) async -> (InMemoryHAProxy, [ScaleError?]) {
        let haproxy = InMemoryHAProxy([("app", ["s1", "s2", "s3", "s4"])], ready: ["s1", "s2", "s3"])
        let gate = RaceGate(parties: 2)
        let a = ScaleExecutor(api: GatedAPI(haproxy, gate)), b = ScaleExecutor(api: GatedAPI(haproxy, gate))
        async let x = drain(a, first)
        async let y = drain(b, second)
        return (haproxy, await [x, y])
    }

    @Test func twoDrainsOfDifferentServersBothPastTheirCheckEndAtMinActive() async throws {
        // Each read three serving servers with min_active 2, so each may take one; together they would leave one.
        let (haproxy, errors) = await Self.race("s2", "s3")
        let serving = haproxy.inService("app")
        #expect(serving.count >= 2, "never left below min_active: \(serving); \(haproxy.commands.all)")
        let raced = errors.compactMap { $0 }
        #expect(!raced.isEmpty, "at least one drain saw the other and was undone: \(haproxy.commands.all)")
        for e in raced {
            guard case .drainRaced(let s, minActive: 2, serving: 1) = e else { Issue.record("unexpected \(e)"); continue }
            #expect(e.description == "while \(s) was set to drain, other servers left service too (another controller acting at the same time, or an operator), leaving 1 serving, below min_active 2; \(s) was put back in service")
        }
        let maint = ["s2", "s3"].filter { haproxy.server("app", $0)?.admin == .maint }
        #expect(maint.count <= 1, "at most one went on to maintenance: \(maint)")
        #expect(maint.count + raced.count == 2, "each drain either finished or was undone")
    }

    @Test func twoDrainsOfTheSameServerRepeatItsCommandsAndNoMore() async throws {
        let (haproxy, errors) = await Self.race("s3", "s3")
        #expect(errors.allSatisfy { $0 == nil }, "\(errors)")
        #expect(haproxy.inService("app") == ["s1", "s2"])
        let sets = haproxy.commands.all.filter { $0.hasPrefix("set ") }
        #expect(sets.sorted() == ["set server app/s3 state drain", "set server app/s3 state drain", "set server app/s3 state maint",
                                  "set server app/s3 state maint", "set weight app/s3 0", "set weight app/s3 0"], "\(sets)")
    }

    @Test func theMinActiveGuardReadsHAProxyNotMemory() async throws {
        let haproxy = try Self.realHAProxy()
        defer { haproxy.stop() }
        let api = RuntimeAPIClient(address: .unix(path: haproxy.socketPath))
        let exec = ScaleExecutor(api: OffloadedRuntimeAPI(api))
        let s3 = try ServerRef(backend: "app", server: "s3")
        await #expect(throws: ScaleError.belowMinActive("app/s3", minActive: 3, serving: 2)) {
            try await exec.scaleDown(s3, server: nil, drainTimeout: .seconds(1), minActive: 3)
        }
        #expect(try Self.inService(api) == ["s1", "s2", "s3"], "refused before any command")
        // A server already out of service may always be taken on to maintenance: it lowers nothing.
        try await exec.scaleDown(try ServerRef(backend: "app", server: "s4"), server: nil, drainTimeout: .seconds(1), minActive: 3)
        try await exec.scaleDown(s3, server: nil, drainTimeout: .seconds(1), minActive: 2)
        #expect(try Self.inService(api) == ["s1", "s2"])
    }

    // MARK: two loops, one real HAProxy

    /// s1 … s4 with no health checks (up while ready); s4 starts in maintenance.
    static func realHAProxy() throws -> HAProxyProcess {
        try HAProxyProcess(configBody: """
            backend app
              server s1 127.0.0.1:9 weight 1
              server s2 127.0.0.1:9 weight 1
              server s3 127.0.0.1:9 weight 1
              server s4 127.0.0.1:9 weight 1 disabled
            """)
    }

    static func inService(_ api: RuntimeAPIClient) throws -> [String] {
        try ServerStateRow.parse(api.send(.showServersState(try ProxyName("app"))), address: "test").filter(\.inService).map(\.server)
    }

    /// A loop that takes a server down after 1 s without requests, min_active 2; `first` is the
    /// server it picks (highest priority). Its engine reads HAProxy only at start before
    /// that (resync 30 s), so when the other loop acts first it decides on a stale view.
    static func loop(_ haproxy: HAProxyProcess, log: String, first: String, logs: EventLog<String>) throws -> ScalingLoop {
        var p = Inventory.Policy()
        p.minActive = 2
        p.scaleDownAfterSeconds = 1
        p.resyncSeconds = 30
        let inventory = Inventory(socket: haproxy.socketPath, log: log, backends: [Inventory.Backend(
            name: try ProxyName("app"), policy: p,
            servers: try ["s1", "s2", "s3", "s4"].map { s in
                Inventory.Server(name: try ProxyName(s), active: s != "s4", alwaysUp: s == "s1", priority: s == first ? 10 : 0)
            })])
        var options = ScalingLoop.Options(logPath: FilePath(log))
        options.tick = .milliseconds(20)
        var logger = Logger(label: "split-brain") { _ in ScalingLoopTests.CapturingLogHandler(logs: logs) }
        logger.logLevel = .info
        return try ScalingLoop(inventory: inventory, api: OffloadedRuntimeAPI(RuntimeAPIClient(address: .unix(path: haproxy.socketPath))),
                               options: options, logger: logger)
    }

    struct Run {
        var a: [String], b: [String]
        /// The fewest servers ever seen in service, and every change, sampled every 5 ms.
        var minimum: Int
        var changes: [StateTimeline.Change]
        var api: RuntimeAPIClient
        var haproxy: HAProxyProcess
        var both: [String] { a + b }
    }

    /// Runs two loops, both acting, for `seconds`; with `settled`, until it holds of the servers
    /// in service (at most 15 s), then `seconds` more.
    static func runBoth(firstPicks: (String, String), seconds: Double, settled: (@Sendable ([String]) -> Bool)? = nil) async throws -> Run {
        let haproxy = try realHAProxy()
        let log = haproxy.directory.appendingPathComponent("haproxy.log").path
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let (logsA, logsB) = (EventLog<String>(), EventLog<String>())
        let a = try loop(haproxy, log: log, first: firstPicks.0, logs: logsA)
        let b = try loop(haproxy, log: log, first: firstPicks.1, logs: logsB)
        let api = RuntimeAPIClient(address: .unix(path: haproxy.socketPath))
        let timeline = StateTimeline(interval: 0.005) { try inService(api) }
        defer { timeline.stop() }
        let ta = Task { try await a.run() }, tb = Task { try await b.run() }
        if let settled {
            let deadline = ContinuousClock.now + .seconds(15)
            while !settled(timeline.current.sorted()), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        }
        try await Task.sleep(for: .seconds(seconds))
        a.stop()
        b.stop()
        _ = try? await ta.value
        _ = try? await tb.value
        return Run(a: logsA.all, b: logsB.all, minimum: timeline.minimum, changes: timeline.changes, api: api, haproxy: haproxy)
    }

    /// How long each stretch below `bound` servers in service lasted, from the changes of a pool that started as `start`.
    static func stretchesBelow(_ bound: Int, start: Set<String>, _ changes: [StateTimeline.Change]) -> [Double] {
        var current = start, below: Double?, stretches: [Double] = []
        for c in changes {
            if c.up { current.insert(c.server) } else { current.remove(c.server) }
            if current.count < bound, below == nil { below = c.at }
            if current.count >= bound, let b = below { stretches.append(c.at - b); below = nil }
        }
        if below != nil { stretches.append(.infinity) }  // still below at the end
        return stretches
    }

    @Test func twoLoopsPickingTheSameServerRepeatACommandAtWorst() async throws {
        let run = try await Self.runBoth(firstPicks: ("s3", "s3"), seconds: 3)
        defer { run.haproxy.stop() }
        #expect(run.minimum >= 2, "the pool never went below min_active")
        #expect(try Self.inService(run.api) == ["s1", "s2"])
        let maints = run.both.filter { $0.contains("send: set server app/s3 state maint") }
        #expect((1...2).contains(maints.count), "s3 went to maintenance once, or twice (a repeated command): \(maints)")
        #expect(!run.both.contains { $0.contains("app/s2 state") }, "s2 stayed untouched")
    }

    @Test func twoLoopsWhoseOwnPicksDifferTakeTheSameServerOnTheStepToMinActive() async throws {
        // Each loop's priorities would have it drain another server (s2, s3). On the step that
        // reaches min_active both take the last one in the inventory's order instead, and the
        // executor refuses any other: from the same HAProxy state they drain the same server,
        // so the pool is never below min_active, not even for the moment of a post-check.
        let run = try await Self.runBoth(firstPicks: ("s2", "s3"), seconds: 1.5) { $0.count == 2 }
        defer { run.haproxy.stop() }
        let stretches = Self.stretchesBelow(2, start: ["s1", "s2", "s3"], run.changes)
        #expect(stretches.isEmpty, "never below min_active: \(stretches); \(run.changes)")
        #expect(run.minimum >= 2, "the pool never went below min_active (sampled every 5 ms)")
        #expect(try Self.inService(run.api) == ["s1", "s2"], "s3, the last in the inventory's order, went; s2 stayed")
        #expect(!run.both.contains { $0.contains("send: set server app/s2 state") || $0.contains("send: set weight app/s2") },
                "nothing was sent for s2: \(run.both.filter { $0.contains("send:") })")
        let picked = run.both.filter { $0.contains("the last in the inventory's order") }
        #expect(!picked.isEmpty, "the decision says why s3: \(run.both.filter { $0.contains("decision") || $0.contains("scale_down") })")
    }

    @Test func aDrainToMinActiveOfAnyButTheLastInPoolOrderIsRefusedBeforeAnyCommand() async throws {
        // Both past the count check at once, as in the widest race; only the last of the pool's order may go.
        let haproxy = InMemoryHAProxy([("app", ["s1", "s2", "s3", "s4"])], ready: ["s1", "s2", "s3"])
        let gate = RaceGate(parties: 1)
        let exec = ScaleExecutor(api: GatedAPI(haproxy, gate))
        let order = try ["s2", "s3", "s4"].map { try ProxyName($0) }
        await #expect(throws: ScaleError.notLastInPoolOrder("app/s2", last: "s3", minActive: 2)) {
            try await exec.scaleDown(try ServerRef(backend: "app", server: "s2"), server: nil, drainTimeout: .seconds(1), minActive: 2, poolOrder: order)
        }
        #expect(!haproxy.commands.all.contains { $0.hasPrefix("set ") }, "refused before any command: \(haproxy.commands.all)")
        try await exec.scaleDown(try ServerRef(backend: "app", server: "s3"), server: nil, drainTimeout: .seconds(1), minActive: 2, poolOrder: order)
        #expect(haproxy.inService("app") == ["s1", "s2"])
        // Above the step to min_active the order does not matter: any server may go.
        let wide = InMemoryHAProxy([("app", ["s1", "s2", "s3", "s4"])], ready: ["s1", "s2", "s3", "s4"])
        try await ScaleExecutor(api: wide).scaleDown(try ServerRef(backend: "app", server: "s2"), server: nil, drainTimeout: .seconds(1),
                                                    minActive: 2, poolOrder: order)
        #expect(wide.inService("app") == ["s1", "s3", "s4"])
    }
}
