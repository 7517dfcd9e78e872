import Foundation
import HAProxySocket
import HAScaleTestKit
import Testing

/// Health against a real HAProxy 2.6 with health checks and real traffic: a dead
/// app is replaced, an error storm is not idle capacity, a reload or a restart is
/// not an operator's edit.
@Suite("Health end to end", .serialized)
struct HealthEndToEndTests {
    static let policy = """
        { "window_requests": 20, "min_active": 1, "resync_seconds": 2,
          "scale_up": { "threshold_ms": 200, "breaches": 3, "cooldown_seconds": 30 },
          "scale_down": { "threshold_ms": 100, "after_seconds": 4 },
          "drain_timeout_seconds": 5 }
        """

    func launch(_ scenario: AutoscaleScenario, _ extra: [String] = []) throws -> ChildProcess {
        try launchRun(scenario, ["--log-target", "stderr"] + extra)
    }

    /// Polls HAProxy every 20 ms until `condition` holds on its server rows; answers when.
    @discardableResult
    func waitFor(_ seconds: TimeInterval, _ what: String, _ scenario: AutoscaleScenario, _ hascale: ChildProcess?,
                 _ condition: ([ServerStateRow]) -> Bool) throws -> Date {
        try waitUntil(seconds, what, hascale) { (try? scenario.states()).map(condition) ?? false }
    }


    static func serving(_ rows: [ServerStateRow]) -> [String] {
        rows.filter { $0.inService && $0.operational == .running }.map(\.server)
    }

    @Test func theOneServingAppDiesAndASpareServesWithinTwoSeconds() throws {
        // resync_seconds 30: only the log's signs (connect failures, <NOSRV>, HAProxy's own
        // "Server app/s1 is DOWN") can make hascale look in time.
        let scenario = try AutoscaleScenario(policy: Self.policy.replacingOccurrences(of: #""resync_seconds": 2"#, with: #""resync_seconds": 30"#),
                                             serverOptions: "check inter 300 fall 2 rise 2", backendOptions: "option httpchk GET /health")
        defer { scenario.stop() }
        // The spares' checks fail while they are in maintenance; HAProxy needs `rise` checks to
        // call a server up, so wait until s1 serves before starting.
        try waitFor(10, "s1 serving", scenario, nil) { Self.serving($0) == ["s1"] }
        let hascale = try launch(scenario)
        defer { hascale.terminate() }
        scenario.load.set(clients: 1, think: 0.05)
        try waitUntil(10, "requests to flow", hascale) { scenario.apps[0].requests.count > 20 }

        let failedBefore = scenario.load.failed
        scenario.apps[0].shutdown()  // s1's app dies
        let dead = try waitFor(10, "HAProxy to mark s1 DOWN", scenario, hascale) { !Self.serving($0).contains("s1") }
        let replaced = try waitFor(10, "a spare serving", scenario, hascale) { !Self.serving($0).isEmpty }
        let lag = replaced.timeIntervalSince(dead)
        Thread.sleep(forTimeInterval: 0.5)  // requests in flight at the switch finish or fail
        let failed = scenario.load.failed - failedBefore
        print("health: a spare served \(Int(lag * 1000)) ms after HAProxy marked the last server DOWN; \(failed) requests failed in all")
        #expect(failed < 40, "failed requests stay within HAProxy's detection time (fall 2 × inter 300 ms) at ~20 requests/s: \(failed)")
        // HAProxy needs `rise 2` checks at `inter 300` ms before it calls the new server up.
        #expect(lag < 2 + 0.6 + 0.5, "a spare serves \(lag) s after s1 went DOWN (goal: 2 s plus the warm-up and HAProxy's own rise)")
        let out = hascale.output
        #expect(out.contains { $0.contains("app/s1: always_up, enabled but DOWN") }, "\(out.suffix(10))")
        #expect(out.contains { $0.contains("decision: app: up s") && $0.contains("s1 stopped serving") })
        #expect(!out.contains { $0.contains("decision: app: down s1") }, "always_up s1 is never touched")
        // The replacement was warmed before it got traffic.
        let spare = try #require(scenario.apps.dropFirst().first { !$0.requests.filter { $0.path != "/health" }.isEmpty })
        #expect(spare.requests.first { $0.path != "/health" }?.path == "/warm")
    }

    @Test func anErrorStormIsNotIdleCapacity() throws {
        let scenario = try AutoscaleScenario(policy: Self.policy, active: 3)
        defer { scenario.stop() }
        let hascale = try launch(scenario)
        defer { hascale.terminate() }
        #expect(try scenario.inService() == ["s1", "s2", "s3"])
        // Every app answers 500 at once (their database is down), for twice the quiet period.
        for app in scenario.apps { app.behaviour = .status(500) }
        scenario.load.set(clients: 2, think: 0.01)
        try hascale.waitForLine("the scale-down to be held back", timeout: 15) { $0.contains("scale-down held back: errors") }
        let until = Date().addingTimeInterval(8)
        while Date() < until {
            #expect(try scenario.inService() == ["s1", "s2", "s3"], "no server removed during the outage")
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(!hascale.output.contains { $0.contains("decision: app: down") })
        // The app recovers: only then does the quiet period start, and the pool shrinks.
        for app in scenario.apps { app.behaviour = .ok() }
        scenario.load.set(clients: 1, think: 0.05)
        try hascale.waitForLine("a scale-down once the errors are over", timeout: 30) { $0.contains("decision: app: down") }
    }

    @Test func aReloadAndARestartAreReAppliedNotTakenAsHandEdits() throws {
        let scenario = try AutoscaleScenario(policy: Self.policy, masterWorker: true)
        defer { scenario.stop() }
        let hascale = try launch(scenario)
        defer { hascale.terminate() }
        // hascale brings s2 up by hand (as an operator would, through hascale): HAProxy's state, not haproxy.cfg's.
        let up = try CLI.run(["enable", "--config", scenario.inventoryPath, "app/s2"])
        #expect(up.code == 0, "\(up.err)")
        try hascale.waitForLine("the hand edit taken as HAProxy's truth", timeout: 10) { $0.contains("app/s2: HAProxy has it in service") }
        scenario.load.set(clients: 1, think: 0.05)

        // A master-worker reload: the new worker has s2 disabled again, from haproxy.cfg.
        scenario.haproxy.reload()
        try hascale.waitForLine("the new process to be noticed", timeout: 15) { $0.contains("a new HAProxy process reset the servers") }
        try waitFor(15, "s2 re-applied after the reload", scenario, hascale) { $0.first { $0.server == "s2" }?.inService == true }
        #expect(!hascale.output.contains { $0.contains("app/s2: HAProxy has it in maint") }, "not reported as a hand edit")

        // A full restart under load: the socket is gone for a moment, then a new process.
        try scenario.restartHAProxy()
        try waitFor(20, "s2 re-applied after the restart", scenario, hascale) { $0.first { $0.server == "s2" }?.inService == true }
        #expect(hascale.output.filter { $0.contains("a new HAProxy process reset the servers") }.count >= 2)
        #expect(hascale.process.isRunning, "hascale lives through HAProxy's restart")
        #expect(hascale.terminate() == 0)
    }

    @Test func oneOfThreeAppsFortyTimesSlowerIsEjectedAfterASpareCameIn() throws {
        let policy = """
            { "window_requests": 20, "resync_seconds": 2,
              "scale_up": { "threshold_ms": 200, "breaches": 3, "cooldown_seconds": 30 },
              "scale_down": { "threshold_ms": 100, "after_seconds": 300 },
              "outliers": { "min_requests": 5, "consecutive": 3, "factor": 3, "ejection_seconds": 300 } }
            """
        let scenario = try AutoscaleScenario(policy: policy, active: 3)
        defer { scenario.stop() }
        let state = scenario.haproxy.directory.appendingPathComponent("state.json").path
        let hascale = try launch(scenario, ["--state-file", state])
        defer { hascale.terminate() }
        #expect(try scenario.inService() == ["s1", "s2", "s3"])
        scenario.apps[1].behaviour = .ok(latency: .milliseconds(2000))  // s2: 40x its peers' ~50 ms
        scenario.load.set(clients: 3, think: 0.05)
        var fewest = 3
        let detected = try waitUntil(60, "s2 detected as an outlier", hascale) {
            if let serving = try? scenario.inService() { fewest = min(fewest, serving.count) }
            return hascale.output.contains { $0.contains("app/s2: an outlier:") }
        }
        let out_ = try waitUntil(30, "s2 ejected", hascale) {
            if let serving = try? scenario.inService() { fewest = min(fewest, serving.count) }
            return (try? scenario.inService())?.contains("s2") == false
        }
        print("outliers: s2 out of rotation \(Int(out_.timeIntervalSince(detected) * 1000)) ms after it was identified (weight 0 and drain; maintenance once its requests finish)")
        #expect(out_.timeIntervalSince(detected) < 10, "out within 10 s of the evaluations that identify it")
        let out = hascale.output
        let spareIn = try #require(out.firstIndex { $0.contains("decision: app: up s4") && $0.contains("s2 is an outlier") }, "\(out.suffix(15))")
        let ejected = try #require(out.firstIndex { $0.contains("decision: app: down s2") && $0.contains("s2 is an outlier") })
        #expect(spareIn < ejected, "the spare comes in first")
        #expect(out.contains { $0.contains("app/s2: an outlier:") && $0.contains("its requests leave the backend's metric") })
        #expect(fewest >= 3, "capacity never below what it was (saw \(fewest) serving)")
        #expect(try scenario.inService() == ["s1", "s3", "s4"])
        #expect(!out.contains { $0.contains("decision: app: up") && $0.contains("evaluations") }, "the slow server was not read as a need for capacity")
        #expect(out.filter { $0.contains("decision: app: down") }.count == 1, "at most one ejected")
        // `hascale servers` shows the daemon's view beside HAProxy's: s2 ejected, resting.
        try waitUntil(10, "the state file to show the ejection", hascale) {
            guard let data = FileManager.default.contents(atPath: state),
                  let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let servers = root["servers"] as? [[String: Any]] else { return false }
            return servers.contains { $0["server"] as? String == "s2" && $0["phase"] as? String == "spare" && $0["ejected_seconds"] is Int }
        }
        let table = try CLI.run(["servers", "--config", scenario.inventoryPath, "--state-file", state])
        let s2 = try #require(table.out.split(separator: "\n").first { $0.hasPrefix("app ") && $0.split(separator: " ")[1] == "s2" }, "\(table.out)")
        #expect(s2.contains("maint") && (s2.contains(" ejected 4m") || s2.contains(" ejected 5m0s")), "maint in HAProxy, resting about 5 minutes: \(s2)")
        #expect(table.out.split(separator: "\n").first { $0.split(separator: " ").dropFirst().first == "s4" }?.hasSuffix(" up") == true, "\(table.out)")
    }
}
