#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HAProxyNames
import HAScale
@testable import HAScaleRuntime
import HAScaleTestKit
import Testing

/// What the loop publishes for `/metrics` and `hascale status`: its counters,
/// the engine's view and its decisions, in-process against an in-memory HAProxy,
/// a hand-driven clock and a fixed wall clock.
@Suite("The loop's snapshot", .serialized)
struct LoopSnapshotTests {
    /// The rig's request lines are accepted at 22/Nov/2026:21:10:58.882, local time.
    static let accepted = 1_795_381_858.882 - Double(WallClock.utcOffsetSeconds(at: 1_795_381_858))

    static func rig(_ snapshots: EventLog<LoopSnapshot>) throws -> ScalingLoopTests.Rig {
        try ScalingLoopTests.Rig(configure: { options, hooks in
            options.wallClock = { accepted + 2.5 }
            hooks.snapshot = { snapshots.append($0) }
        })
    }

    func append(_ rig: ScalingLoopTests.Rig, _ text: String) {
        let fd = open(rig.logPath, O_WRONLY | O_APPEND)
        defer { close(fd) }
        _ = text.withCString { write(fd, $0, strlen($0)) }
    }

    @Test func countsLinesDecisionsAndLagAndShowsTheEngine() async throws {
        let snapshots = EventLog<LoopSnapshot>()
        let rig = try Self.rig(snapshots)
        let task = try await ScalingLoopTests.start(rig)
        let first = try await snapshots.first("a first snapshot after start-up") { _ in true }
        #expect(first.log.lagSeconds == nil && first.backends.first?.metricMs == nil, "no request yet")
        #expect(first.pid == getpid() && first.writtenAt == Self.accepted + 2.5)

        append(rig, "127.0.0.1:1 [22/Nov/2026:21:10:58.000] fe other/x 0/0/1/5/6 200 10 - - ---- 1/1/1/1/0 0/0 \"GET / HTTP/1.1\"\n")
        append(rig, "this is no request line\n")
        rig.log(3, tr: 900)
        try await rig.history.first("the scale-up of s2") { $0.kind == .scaleUp && $0.server == "s2" }
        // The action's outcome reaches the engine at a later turn than its history entry:
        // two more turns of the loop (real time, bounded), then the clock moves on.
        let turns = rig.turns.all.count
        _ = try await rig.turns.nth(turns + 2, "two loop turns after the scale-up") { _ in true }
        rig.advance(by: .seconds(1))
        let done: @Sendable (LoopSnapshot) -> Bool = { x in
            x.backends.first?.decisions[.up] == 1 && x.servers.contains { $0.server.value == "s2" && $0.phase == "up" }
        }
        let s = try await snapshots.first("a snapshot with the decision and s2 up", where: done)
        #expect(s.log.lines == 5)
        #expect(s.log.managed == 3 && s.log.unmanaged == 1 && s.log.rejected == 1)
        let lag = try #require(s.log.lagSeconds)
        #expect(abs(lag - 2.5) < 0.001, "now less the newest accept date: \(lag)")
        let app = try #require(s.backends.first)
        #expect(app.name.value == "app" && app.active == 2 && app.upThresholdMs == 200 && app.downThresholdMs == 100)
        #expect(app.metricMs == 900)
        let d = try #require(app.recent.last)
        #expect(d.kind == .up && d.servers.map(\.value) == ["s2"] && d.metricMs == 900 && d.thresholdMs == 200)
        #expect(d.reason.contains("900 ms > 200 ms"), "\(d.reason)")
        #expect(d.at == Self.accepted + 2.5)
        #expect(s.servers.map { "\($0.server):\($0.phase)" } == ["s1:up", "s2:up", "s3:spare"])
        #expect(s.haproxyAnswers && s.apiErrors == 0)

        // HAProxy stops answering: every failed command counts, and the view says so.
        rig.haproxy.unreachable = true
        rig.advance(by: .seconds(2))
        let down = try await snapshots.first("a snapshot with HAProxy unreachable") { !$0.haproxyAnswers }
        #expect(down.apiErrors >= 1)
        try await ScalingLoopTests.stop(rig, task)
    }

    @Test func theLedgerKeepsFiveAndFoldsARunOfTheSameHoldBack() throws {
        var ledger = DecisionLedger()
        let app = try ProxyName("app")
        let reading = MetricReading(metric: .Tr, aggregate: .mean, valueMs: 300, thresholdMs: 200)
        let held = Suppression(backend: app, cause: .cooldown(left: .seconds(5)), reading: reading, breaches: 3, active: 2)
        ledger.heldBack(held, at: 1)
        ledger.heldBack(held, at: 2)
        #expect(ledger.counts[app]?[.heldCooldown] == 2, "each explanation counts")
        #expect(ledger.recent[app]?.map(\.at) == [2], "a run of the same one is one entry, kept current")
        for i in 0..<6 {
            let d = ScaleDecision(backend: app, direction: i % 2 == 0 ? .up : .down, servers: [try ProxyName("s\(i)")], cause: .idle(for: .seconds(60)),
                                  pick: .named, activeBefore: 2, minActive: 1, thresholdMs: 100)
            ledger.decided(d, at: Double(10 + i))
        }
        #expect(ledger.recent[app]?.map(\.at) == [11, 12, 13, 14, 15], "the last five, oldest first")
        #expect(ledger.counts[app]?[.up] == 3 && ledger.counts[app]?[.down] == 3)
        let replace = ScaleDecision(backend: app, direction: .up, servers: [try ProxyName("s9")], cause: .replacing([try ProxyName("s1")]),
                                    pick: .named, activeBefore: 1, minActive: 1, thresholdMs: 200)
        ledger.decided(replace, at: 20)
        ledger.failed(replace, servers: 1)
        #expect(ledger.counts[app]?[.replaced] == 1 && ledger.failures[app]?[.replaced] == 1)
    }

    @Test func theSnapshotReadsBackFromItsJSON() throws {
        var s = LoopSnapshot(pid: 7, writtenAt: 10, startedAt: 1, dryRun: true, haproxyAnswers: false,
                             log: LoopSnapshot.Log(source: "-", lines: 3, managed: 1, unmanaged: 1, rejected: 1, dropped: 0, newestAcceptedAt: nil, lagSeconds: nil),
                             apiErrors: 4, backends: [], servers: [])
        s.servers = [LoopSnapshot.Server(backend: try ProxyName("app"), server: try ProxyName("s1"), phase: "up", ejectedSeconds: 5, metricMs: 1.5)]
        let data = try JSONEncoder().encode(s)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""ejected_seconds":5"#) && text.contains(#""written_at":10"#), "snake_case keys: \(text)")
        #expect(try JSONDecoder().decode(LoopSnapshot.self, from: data) == s)
        // A name a ProxyName refuses makes the whole document unreadable.
        let bad = text.replacingOccurrences(of: #""server":"s1""#, with: #""server":"s 1;x""#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LoopSnapshot.self, from: Data(bad.utf8)) }
    }
}
