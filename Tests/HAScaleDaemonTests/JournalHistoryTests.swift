import Foundation
import HAScaleTestKit
import Testing

/// The scaling history as operators read it: real journald (started by hand
/// where none runs), `journalctl -o json`, and `hascale history`.
@Suite("journald history", .serialized)
struct JournalHistoryTests {
    static let policy = """
        { "window_requests": 20, "resync_seconds": 1,
          "scale_up": { "threshold_ms": 200, "breaches": 3, "cooldown_seconds": 60 },
          "scale_down": { "after_seconds": 600 } }
        """

    @Test func scalingEventsLandInTheJournalAndReadBack() throws {
        let journald = try JournaldProcess()
        defer { journald.stop() }
        let since = Int(Date().timeIntervalSince1970) - 1
        let scenario = try AutoscaleScenario(policy: Self.policy)
        defer { scenario.stop() }
        let dir = scenario.haproxy.directory.path
        let notify = try NotifySocket(path: "\(dir)/notify.sock")
        defer { notify.close() }
        let hascale = try ChildProcess(CLI.binary, ["run", "--config", scenario.inventoryPath, "--log-target", "journal"],
                                       environment: ["NOTIFY_SOCKET": notify.path])
        defer { hascale.terminate() }
        try waitUntil(30, "READY=1") { notify.assignments.contains { $0.name == "READY" } }
        #expect(hascale.output.isEmpty, "with --log-target journal nothing goes to stderr: \(hascale.output.prefix(3))")

        // Heavy load: one scale-up (the 60 s cooldown holds back a second).
        scenario.load.set(clients: 12, think: 0)
        try waitUntil(60, "a second server in service") { ((try? scenario.inService()) ?? []).count >= 2 }
        scenario.load.set(clients: 0, think: 0)

        // A valid edit is applied live; a broken one is refused and the running inventory stays.
        let original = try String(contentsOfFile: scenario.inventoryPath, encoding: .utf8)
        try original.replacingOccurrences(of: "\"threshold_ms\": 200", with: "\"threshold_ms\": 250")
            .write(toFile: scenario.inventoryPath, atomically: true, encoding: .utf8)
        try waitUntil(10, "config_reloaded") { events(since).contains { $0["HASCALE_EVENT"] == "config_reloaded" } }
        try original.replacingOccurrences(of: "\"window_requests\": 20", with: "\"window_requests\": \"many\"")
            .write(toFile: scenario.inventoryPath, atomically: true, encoding: .utf8)
        try waitUntil(10, "config_rejected") { events(since).contains { $0["HASCALE_EVENT"] == "config_rejected" } }
        #expect(hascale.process.isRunning, "a broken inventory does not stop hascale")
        try original.write(toFile: scenario.inventoryPath, atomically: true, encoding: .utf8)
        #expect(hascale.terminate() == 0)

        // A manual action lands in the same history.
        let down = try CLI.run(["disable", "--config", scenario.inventoryPath, "--drain-timeout", "5", "app/s2"])
        #expect(down.code == 0, "\(down.err)")

        try waitUntil(10, "the manual scale_down") { events(since).contains { $0["HASCALE_EVENT"] == "scale_down" } }
        let all = events(since)
        let story = all.compactMap { $0["HASCALE_EVENT"] }.filter { ["scale_up", "config_reloaded", "config_rejected", "scale_down"].contains($0) }
        #expect(story == ["scale_up", "config_reloaded", "config_rejected", "scale_down"], "\(story)")

        let up = try #require(all.first { $0["HASCALE_EVENT"] == "scale_up" })
        #expect(up["HASCALE_BACKEND"] == "app" && up["HASCALE_SERVER"] == "s2")
        #expect((Int(up["HASCALE_METRIC_MS"] ?? "") ?? 0) > 200, "\(up)")
        #expect(up["HASCALE_THRESHOLD_MS"] == "200" && up["HASCALE_ACTIVE"] == "2")
        #expect(up["PRIORITY"] == "5" && up["MESSAGE_ID"] == "96568f2c2e1147bead7619dfd86302eb")
        #expect(up["MESSAGE"]?.hasPrefix("app/s2 is in service: mean Tr") == true, "\(up["MESSAGE"] ?? "")")
        let rejected = try #require(all.first { $0["HASCALE_EVENT"] == "config_rejected" })
        #expect(rejected["HASCALE_REASON"]?.contains("servers.json:") == true && rejected["HASCALE_REASON"]?.contains("window_requests") == true,
                "\(rejected["HASCALE_REASON"] ?? "")")
        #expect(rejected["PRIORITY"] == "3")
        let manual = try #require(all.last { $0["HASCALE_EVENT"] == "scale_down" })
        #expect(manual["HASCALE_REASON"]?.contains("manual: `hascale disable app/s2` by uid \(getuid())") == true, "\(manual)")

        // The daemon's own log went to the journal too, with levels as priorities.
        let logs = journal(["SYSLOG_IDENTIFIER=hascale", "--since", "@\(since)"])
        #expect(logs.contains { $0["MESSAGE"]?.hasPrefix("decision: app: up s2") == true && $0["PRIORITY"] == "5" })

        // hascale history: the same events, in the same order, as JSON and as a table.
        let json = try CLI.run(["history", "--json", "--since", "2m", "--backend", "app"])
        #expect(json.code == 0, "\(json.err)")
        let objects = json.out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let fromHistory = objects.compactMap { $0["event"] as? String }.filter { ["scale_up", "scale_down"].contains($0) }
        #expect(fromHistory.suffix(2) == ["scale_up", "scale_down"], "\(json.out)")
        let upObject = try #require(objects.last { $0["event"] as? String == "scale_up" })
        #expect(upObject["server"] as? String == "s2" && upObject["threshold_ms"] as? Int == 200)
        let table = try CLI.run(["history", "--since", "2m", "--event", "scale_up"])
        #expect(table.out.hasPrefix("WHEN"), "\(table.out)")
        #expect(table.out.contains("app") && table.out.contains("scale_up") && table.out.contains("ms vs 200"), "\(table.out)")
        #expect(!table.out.contains("scale_down"), "--event filters")
    }

    /// hascale's journal entries carrying HASCALE_EVENT since `since`, in order.
    func events(_ since: Int) -> [[String: String]] {
        journal(["SYSLOG_IDENTIFIER=hascale", "--since", "@\(since)"]).filter { $0["HASCALE_EVENT"] != nil }
    }

    func journal(_ args: [String]) -> [[String: String]] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/journalctl")
        p.arguments = ["-o", "json", "--no-pager"] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return [] }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?.compactMapValues { $0 as? String }
        }
    }

}
