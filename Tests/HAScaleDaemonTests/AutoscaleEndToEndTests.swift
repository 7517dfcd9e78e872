import Foundation
import HAScaleTestKit
import Testing

/// `hascale run` in a closed loop with a real HAProxy, four app servers whose
/// latency grows with their concurrency, and real traffic.
@Suite("hascale run end to end", .serialized)
struct AutoscaleEndToEndTests {
    /// Short periods so the whole story takes well under a minute.
    static let policy = """
        { "window_requests": 20, "min_active": 1, "resync_seconds": 1,
          "scale_up": { "threshold_ms": 200, "breaches": 3, "cooldown_seconds": 3 },
          "scale_down": { "threshold_ms": 100, "after_seconds": 5 },
          "drain_timeout_seconds": 5 }
        """

    @Test func scalesUpUnderLoadAndBackDownWhenItPasses() throws {
        let scenario = try AutoscaleScenario(policy: Self.policy)
        defer { scenario.stop() }
        let hascale = try launch(scenario, ["--status-every", "2"])
        defer { hascale.terminate() }
        let timeline = StateTimeline(scenario)
        defer { timeline.stop() }

        // Light load: one client, pausing between requests: ~45 ms, the pool stays at s1.
        scenario.load.set(clients: 1, think: 0.05)
        Thread.sleep(forTimeInterval: 4)
        #expect(timeline.current == ["s1"], "light load keeps the minimum: \(timeline.changes)")

        // A few clients more, one server still enough (45 to 125 ms): hascale learns from
        // the log how latency grows with the connections each server carries.
        for clients in [2, 3] {
            scenario.load.set(clients: clients, think: 0)
            Thread.sleep(forTimeInterval: 3)
        }
        #expect(timeline.current == ["s1"], "up to three clients keep the minimum: \(timeline.changes)")

        // A flash crowd: 12 clients at once. s1 alone answers in ~500 ms; three servers are
        // needed (about 190 ms), and they come in one decision, not one per cooldown.
        let crowd = Date()
        scenario.load.set(clients: 12, think: 0)
        let sized = try waitUntil(60, "three servers in service under heavy load", hascale) { timeline.current.count >= 3 }
        let heavyUps = timeline.changes.filter(\.up)
        #expect(!timeline.changes.contains { !$0.up }, "no scale-down under heavy load: \(timeline.changes)")
        let decisions = hascale.output.filter { $0.contains("decision: app: up") }
        let first = try #require(decisions.first, "\(hascale.output.suffix(20))")
        #expect(first.contains("; needs ") && first.contains("conns/server"), "the model sized the crowd: \(first)")
        #expect(first.contains("up s2,s3"), "two servers or more in one decision: \(first)")
        // Within one decision plus the warm-up: the breaches, a warm-up each in parallel.
        let reached = try #require(heavyUps.dropFirst().first).at
        #expect(reached - heavyUps[0].at < 2.5, "the servers of one decision arrive together: \(heavyUps)")
        #expect(sized.timeIntervalSince(crowd) < 10, "the pool reached its size within one decision and its warm-up")
        // Each server was warmed before it got traffic.
        for app in scenario.apps.dropFirst() where !app.requests.isEmpty {
            #expect(app.requests.first?.path == "/warm", "\(app.name) saw \(app.requests.prefix(2)) first")
        }
        Thread.sleep(forTimeInterval: 4)
        let settled = timeline.current.count

        // Light again: after the quiet period servers are drained back to the minimum.
        scenario.load.set(clients: 1, think: 0.05)
        try waitUntil(90, "the pool back to s1 alone", hascale) { timeline.current == ["s1"] }
        Thread.sleep(forTimeInterval: 2)
        #expect(timeline.current == ["s1"], "s1, never below: \(timeline.changes)")
        #expect(timeline.minimum >= 1)
        #expect(!timeline.changes.contains { $0.server == "s1" && !$0.up }, "always_up s1 was never touched")
        // No flapping: nothing goes down and comes back up within one quiet period (5 s).
        let changes = timeline.changes
        for (i, c) in changes.enumerated() where !c.up {
            #expect(!changes[(i + 1)...].contains { $0.server == c.server && $0.up && $0.at - c.at < 5 }, "flapping: \(changes)")
        }
        #expect(settled >= 3)
        // hascale explained itself: each action has a logged reason with numbers.
        let out = hascale.output
        #expect(out.contains { $0.contains("decision: app: up") && $0.contains("> 200 ms") }, "\(out.suffix(20))")
        #expect(out.contains { $0.contains("decision: app: down") && $0.contains("< 100 ms") })
        // Graceful stop on SIGTERM.
        #expect(hascale.terminate() == 0, "\(hascale.output.suffix(10))")
    }

    @Test func dryRunDecidesAndExplainsButSendsNothing() throws {
        let scenario = try AutoscaleScenario(policy: Self.policy)
        defer { scenario.stop() }
        let hascale = try launch(scenario, ["--dry-run", "--log-target", "stderr"])
        defer { hascale.terminate() }
        scenario.load.set(clients: 12, think: 0)
        let decision = try hascale.waitForLine("a scale-up decision", timeout: 30) { $0.contains("decision: app: up") }
        #expect(decision.contains("> 200 ms"))
        try hascale.waitForLine("the commands it would send", timeout: 10) { $0.contains("would send: set server app/s") && $0.contains("state ready") }
        #expect(try scenario.inService() == ["s1"], "a dry run leaves HAProxy alone")
        #expect(scenario.apps.dropFirst().allSatisfy { $0.requests.isEmpty }, "no warm-up either")
    }

    @Test func liveInventoryEditDrainsARemovedServerAndAddsASpare() throws {
        let scenario = try AutoscaleScenario(policy: Self.policy)
        defer { scenario.stop() }
        // Start with s4 left out of the inventory.
        let original = try String(contentsOfFile: scenario.inventoryPath, encoding: .utf8)
        let s4 = try #require(original.range(of: #", "s4": \{[^}]*\}"#, options: .regularExpression))
        try original.replacingCharacters(in: s4, with: "").write(toFile: scenario.inventoryPath, atomically: true, encoding: .utf8)
        let hascale = try launch(scenario)
        defer { hascale.terminate() }
        // An operator brings s2 up by hand; the next resync (1 s) counts it in service.
        let up = try CLI.run(["enable", "--config", scenario.inventoryPath, "app/s2"])
        #expect(up.code == 0, "\(up.err)")
        try hascale.waitForLine("the drift to be noticed", timeout: 10) { $0.contains("app/s2: HAProxy has it in service") }

        // The edit: s2 removed (it is in service, so it is drained), s4 added (it joins the spares).
        try original.replacingOccurrences(of: #", "s2": \{[^}]*\}"#, with: "", options: .regularExpression)
            .write(toFile: scenario.inventoryPath, atomically: true, encoding: .utf8)
        let reloaded = try hascale.waitForLine("the reload", timeout: 10) { $0.contains("inventory reloaded:") }
        #expect(reloaded.contains("app: +s4, -s2 (draining)"), "\(reloaded)")
        let deadline = Date().addingTimeInterval(15)
        while (try? scenario.inService()) != ["s1"], Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        #expect(try scenario.inService() == ["s1"], "s2 drained and in maintenance; s4 stays a spare")
        #expect(hascale.output.contains { $0.contains("scale_down app/s2") && $0.contains("removed from the inventory") })
    }

    @Test func aFailedWarmUpNeverEnablesAndAnotherSpareIsTried() throws {
        let scenario = try AutoscaleScenario(policy: Self.policy)
        defer { scenario.stop() }
        scenario.apps[1].behaviour = .status(500)  // s2's app is broken: its warm-up answers 500
        let hascale = try launch(scenario)
        defer { hascale.terminate() }
        let timeline = StateTimeline(scenario)
        defer { timeline.stop() }
        scenario.load.set(clients: 12, think: 0)
        try hascale.waitForLine("the failed warm-up", timeout: 30) { $0.contains("scale-up of app/s2 failed") && $0.contains("HTTP 500") }
        try waitUntil(30, "another spare in service", hascale) { timeline.current.count >= 2 }
        #expect(!timeline.changes.contains { $0.server == "s2" }, "s2 was never enabled: \(timeline.changes)")
        #expect(scenario.apps[1].requests.allSatisfy { $0.path == "/warm" }, "s2 got warm-ups only, never traffic")
    }

    /// The same closed loop with the log from a syslog receiver or the journal
    /// instead of a file: a crowd still brings servers up.
    @Test(arguments: ["udp", "journal"])
    func scalesFromAReceiverOrTheJournal(kind: String) throws {
        let journald = kind == "journal" ? try JournaldProcess() : nil
        defer { journald?.stop() }
        let port = try FreePort.next()
        let (line, source) = kind == "udp"
            ? ("log 127.0.0.1:\(port) len 8192 local0 info", "udp://127.0.0.1:\(port)")
            : ("log /run/systemd/journal/dev-log local0 info", "journal:haproxy.service")
        let scenario = try AutoscaleScenario(policy: Self.policy, extraGlobal: line)
        defer { scenario.stop() }
        let hascale = try launch(scenario, ["--log-target", "stderr", "--log", source])
        defer { hascale.terminate() }
        #expect(hascale.output.contains { $0.contains("following \(source)") }, "\(hascale.output.prefix(10))")
        let timeline = StateTimeline(scenario)
        defer { timeline.stop() }
        scenario.load.set(clients: 12, think: 0)
        try waitUntil(40, "servers brought up from the \(kind) log under heavy load", hascale) { timeline.current.count >= 3 }
        let up = try #require(hascale.output.first { $0.contains("decision: app: up") }, "\(hascale.output.suffix(10))")
        #expect(up.contains("> 200 ms") || up.contains("needs "), "\(up)")
        scenario.load.set(clients: 0, think: 0)
        #expect(hascale.terminate() == 0, "\(hascale.output.suffix(10))")
    }

    func launch(_ scenario: AutoscaleScenario, _ extra: [String] = ["--log-target", "stderr"]) throws -> ChildProcess {
        try launchRun(scenario, extra)
    }

}
