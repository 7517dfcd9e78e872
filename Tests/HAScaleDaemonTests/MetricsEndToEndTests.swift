import Foundation
import HAScaleTestKit
import Testing

/// `/metrics` and `hascale status` against the real closed loop: HAProxy, app
/// servers, load, a real Prometheus scraping hascale every second.
@Suite("Metrics and status end to end", .serialized)
struct MetricsEndToEndTests {
    static let root = "/" + #filePath.split(separator: "/").dropLast(3).joined(separator: "/")

    /// `promtool check metrics` on `text`: its exit status and what it said.
    static func promtoolCheckMetrics(_ text: String) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/promtool")
        p.arguments = ["check", "metrics"]
        let out = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = input
        try p.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let said = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, said)
    }

    /// `hascale status --json`'s object.
    static func status(_ state: String, config: String? = nil) throws -> (code: Int32, json: [String: Any]) {
        let r = try CLI.run(["status", "--json", "--state-file", state] + (config.map { ["--config", $0] } ?? []))
        let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any] ?? [:]
        return (r.code, json)
    }

    @Test func prometheusAndStatusSeeThePoolHAProxyHas() throws {
        let scenario = try AutoscaleScenario(policy: AutoscaleEndToEndTests.policy)
        defer { scenario.stop() }
        let port = try FreePort.next()
        let state = scenario.haproxy.directory.appendingPathComponent("state.json").path
        let hascale = try launchRun(scenario, ["--metrics", "127.0.0.1:\(port)", "--state-file", state, "--log-target", "stderr"])
        defer { hascale.terminate() }
        #expect(hascale.output.contains { $0.contains("serving Prometheus metrics on http://127.0.0.1:\(port)/metrics") }, "\(hascale.output.suffix(10))")
        let prometheus = try PrometheusProcess(scraping: "127.0.0.1:\(port)", ruleFiles: ["\(Self.root)/examples/prometheus/hascale-rules.yml"])
        defer { prometheus.stop() }

        scenario.load.set(clients: 12, think: 0)
        try waitUntil(60, "three servers in service under load", hascale) { ((try? scenario.inService().count) ?? 0) >= 3 }

        // A scrape taken now, mid-scenario, passes Prometheus' own linter.
        let scrape = try HTTPProbe.request(port: port, path: "/metrics")
        #expect(scrape.status == 200)
        let (linted, said) = try Self.promtoolCheckMetrics(scrape.body)
        #expect(linted == 0, "promtool check metrics: \(said)\n\(scrape.body)")
        #expect(scrape.body.contains(#"hascale_decisions_total{backend="app",kind="up"}"#), "\(scrape.body)")

        // Prometheus' query API returns the pool size `show servers state` has.
        var seen = ""
        try waitUntil(40, "Prometheus to return the pool HAProxy has (last: \(seen))", hascale) {
            guard let haproxy = try? scenario.inService(),
                  let series = try? prometheus.query(#"hascale_servers{backend="app",state="serving"}"#) else { return false }
            seen = "HAProxy \(haproxy), Prometheus \(series.map(\.value))"
            return series.count == 1 && series[0].value == Double(haproxy.count) && haproxy.count >= 3
        }
        let ups = try prometheus.query(#"hascale_decisions_total{backend="app",kind="up"}"#)
        #expect((ups.first?.value ?? 0) >= 1, "the scale-up was counted: \(ups)")
        let threshold = try prometheus.query(#"hascale_threshold_seconds{backend="app",direction="up"}"#)
        #expect(threshold.first?.value == 0.2, "the scenario's 200 ms threshold, in seconds: \(threshold)")
        let lag = try prometheus.query("hascale_log_lag_seconds")
        #expect(lag.count == 1 && lag[0].value >= 0 && lag[0].value < 10, "the log is read as it is written: \(lag)")
        // The alert rules load and evaluate without error against hascale's real series.
        try waitUntil(10, "both alert rules to be evaluated") { ((try? prometheus.ruleHealth()) ?? [:]).count == 2 && ((try? prometheus.ruleHealth()) ?? [:]).values.allSatisfy { $0 != "unknown" } }
        let health = try prometheus.ruleHealth()
        #expect(health == ["HAScaleBackendAtMaxActive": "ok", "HAScaleLogSourceSilentOrDropping": "ok"], "\(health); \(prometheus.output.suffix(5))")

        // `hascale status --json` agrees with HAProxy: the pool and which servers serve.
        var disagreement = ""
        try waitUntil(20, "hascale status --json to agree with show servers state (last: \(disagreement))", hascale) {
            guard let haproxy = try? scenario.inService(), let (code, json) = try? Self.status(state, config: scenario.inventoryPath),
                  code == 0, json["running"] as? Bool == true, let s = json["state"] as? [String: Any],
                  let backend = (s["backends"] as? [[String: Any]])?.first, let servers = s["servers"] as? [[String: Any]] else { return false }
            let up = servers.filter { $0["phase"] as? String == "up" }.compactMap { $0["server"] as? String }
            disagreement = "HAProxy \(haproxy); hascale active \(backend["active"] ?? "?"), up \(up)"
            return backend["active"] as? Int == haproxy.count && Set(up) == Set(haproxy)
        }
        let text = try CLI.run(["status", "--state-file", state, "--config", scenario.inventoryPath])
        #expect(text.code == 0, "\(text.err)")
        #expect(text.out.contains("of 4 serving (max_active 4)") && text.out.contains("up above 200 ms, down below 100 ms"), "\(text.out)")
        #expect(text.out.contains("last decisions, newest first:") && text.out.contains("> 200 ms"), "the decision and its reason: \(text.out)")
        #expect(!text.out.contains("note:"), "the daemon runs the inventory named: \(text.out)")

        // The daemon stops: status says so, and exits non-zero.
        #expect(hascale.terminate() == 0)
        let after = try CLI.run(["status", "--state-file", state])
        #expect(after.code == 2, "\(after)")
        #expect(after.err.contains("no hascale daemon is running") && after.err.contains("has exited"), "\(after.err)")
        let json = try Self.status(state)
        #expect(json.code == 2 && json.json["running"] as? Bool == false && (json.json["reason"] as? String)?.contains("has exited") == true)
    }

    @Test func statusWithNoDaemonSaysSoAndExitsNonZero() throws {
        let missing = "/tmp/hascale-no-daemon-\(UUID().uuidString.prefix(8))/state.json"
        let r = try CLI.run(["status", "--state-file", missing])
        #expect(r.code == 2)
        #expect(r.err.contains("no hascale daemon is running: \(missing) does not exist"), "\(r.err)")
        #expect(r.out.isEmpty)
        let json = try Self.status(missing)
        #expect(json.code == 2 && json.json["running"] as? Bool == false, "\(json.json)")
    }

    @Test func watchRedrawsEverySecondUntilInterrupted() throws {
        let missing = "/tmp/hascale-no-daemon-\(UUID().uuidString.prefix(8))/state.json"
        let watch = try ChildProcess(CLI.binary, ["status", "--watch", "--json", "--state-file", missing])
        defer { watch.terminate() }
        try watch.waitForLine("the first frame", timeout: 5) { $0.contains(#""running":false"#) }
        Thread.sleep(forTimeInterval: 2.4)
        let frames = watch.output.filter { $0.contains(#""running":false"#) }.count
        #expect((3...4).contains(frames), "one frame a second, and it keeps going without a daemon: \(frames) in 2.4 s")
        #expect(watch.process.isRunning, "it runs until interrupted")
    }

    @Test func statusCallsAStaleFileNoDaemon() throws {
        let dir = try HAProxyProcess.makeTemporaryDirectory("hascale-stale")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("state.json").path
        // Written by a live process (this one) a minute ago: a stuck daemon, not a running one.
        let old = Date().timeIntervalSince1970 - 60
        try """
            {"schema":1,"pid":\(getpid()),"written_at":\(old),"started_at":\(old),"dry_run":false,"haproxy_answers":true,"api_errors":0,
             "log":{"source":"-","lines":0,"managed":0,"unmanaged":0,"rejected":0,"dropped":0},"backends":[],"servers":[]}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try CLI.run(["status", "--state-file", path])
        #expect(r.code == 2 && r.err.contains("has not rewritten") && r.err.contains("1m0s"), "\(r)")
        try #"{"schema":9}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let newer = try CLI.run(["status", "--state-file", path])
        #expect(newer.code == 2 && newer.err.contains("newer hascale"), "\(newer)")
    }

    @Test func aBadOrTakenMetricsAddressStopsTheDaemonAtStart() throws {
        let bad = try CLI.run(["run", "--config", "/nonexistent.json", "--metrics", "localhost:9101"])
        #expect(bad.code == 64 && bad.err.contains("\"localhost\" is not an IP address"), "\(bad)")
        // A port another process listens on: exit 2 with what to do, before anything else starts.
        let app = try HTTPTestBackend(name: "taken", behaviour: .ok())
        defer { app.shutdown() }
        let dir = try HAProxyProcess.makeTemporaryDirectory("hascale-taken")
        defer { try? FileManager.default.removeItem(at: dir) }
        let inventory = dir.appendingPathComponent("servers.json").path
        let log = dir.appendingPathComponent("haproxy.log").path
        FileManager.default.createFile(atPath: log, contents: nil)
        try """
            { "haproxy": { "socket": "\(dir.path)/none.sock" }, "log": "\(log)", "metrics": "127.0.0.1:\(app.port)",
              "backends": { "app": { "servers": { "s1": { "active": true } } } } }
            """.write(toFile: inventory, atomically: true, encoding: .utf8)
        let taken = try CLI.run(["run", "--config", inventory, "--log-target", "stderr"])
        #expect(taken.code == 2, "\(taken)")
        #expect(taken.err.contains("cannot serve /metrics on 127.0.0.1:\(app.port)") && taken.err.contains("choose a free port"), "\(taken.err)")
    }
}
