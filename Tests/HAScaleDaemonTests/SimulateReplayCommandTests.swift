import Foundation
import Testing

/// `hascale simulate` and `hascale replay` as an operator runs them.
@Suite("hascale simulate and replay", .serialized)
struct SimulateReplayCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let servers = "\(root)/examples/traffic/servers.json"

    @Test func simulateJSONHasExactlyTheDocumentedKeys() throws {
        let r = try CLI.run(["simulate", "--config", Self.servers, "--traffic", "\(Self.root)/examples/traffic/flash-crowd.csv",
                             "--compare", "seed", "--json"])
        #expect(r.code == 0, "\(r.err)")
        let objects = r.out.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(objects.count == 2)
        #expect(objects.map { $0["policy"] as? String } == ["hascale", "seed"])
        let keys: Set = ["policy", "requests", "mean_ms", "p50_ms", "p95_ms", "p99_ms", "slo_ms", "slo_violation_seconds",
                         "server_seconds", "oracle_server_seconds", "scale_ups", "scale_downs", "flaps", "max_active"]
        for o in objects { #expect(Set(o.keys) == keys) }
        #expect(objects[0]["requests"] as? Int ?? 0 > 150_000)
        #expect(objects[0]["slo_ms"] as? Int == 200)
    }

    @Test func simulateWritesATimelineAndAPlot() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hascale-sim-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("t.csv").path, svg = dir.appendingPathComponent("p.svg").path
        let r = try CLI.run(["simulate", "--config", Self.servers, "--traffic", "\(Self.root)/examples/traffic/slow-ramp.csv",
                             "--timeline", csv, "--plot", svg, "--decisions", "--slo-ms", "250"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("hascale") && r.out.contains("SLO 250 ms"), "\(r.out)")
        #expect(r.out.contains("app: up"), "decisions printed with their reasons: \(r.out)")
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        #expect(rows.first == "second,policy,rate,serving,mean_ms,p95_ms")
        #expect(rows.count == 2400 + 1)
        let plot = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(plot.hasPrefix("<svg") && plot.contains("servers serving") && plot.contains("250 ms"))
    }

    @Test func badTrafficIsRefusedWithTheLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hascale-bad-\(getpid()).csv").path
        try "seconds,rate\n0,10\n60,lots\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try CLI.run(["simulate", "--config", Self.servers, "--traffic", file])
        #expect(r.code != 0)
        #expect(r.err.contains("\(file):3: expected `seconds,rate`"), "\(r.err)")
    }

    @Test func replayPrintsTheDecisionsItWouldHaveMade() throws {
        var log = ""
        for k in 0..<600 {
            let ms = k * 50
            let t = String(format: "21:%02d:%02d.%03d", ms / 60_000, ms / 1000 % 60, ms % 1000)
            log += "127.0.0.1:40000 [22/Nov/2026:\(t)] fe app/s1 0/0/0/450/451 200 512 - - ---- 9/9/9/9/0 0/0 \"GET / HTTP/1.1\"\n"
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hascale-replay-\(getpid()).log").path
        try log.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try CLI.run(["replay", "--config", Self.servers, file])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("2026-11-22T21:00:0") && r.out.contains("app: up s2"), "\(r.out)")
        #expect(r.out.contains("replayed 600 lines") && r.out.contains("open loop"), "\(r.out)")
        let json = try CLI.run(["replay", "--config", Self.servers, "--json", file])
        let first = try #require(json.out.split(separator: "\n").first)
        let o = try JSONSerialization.jsonObject(with: Data(first.utf8)) as! [String: Any]
        #expect(o["direction"] as? String == "scale_up" && o["backend"] as? String == "app")
        #expect((o["reason"] as? String ?? "").contains("> 200 ms"))
        #expect(json.err.contains("scale-ups"))

        // The same log as traffic: 20 requests a second for 30 s.
        let sim = try CLI.run(["simulate", "--config", Self.servers, "--traffic-from", file, "--json"])
        #expect(sim.code == 0, "\(sim.err)")
        let o2 = try JSONSerialization.jsonObject(with: Data(sim.out.split(separator: "\n")[0].utf8)) as! [String: Any]
        #expect((540...660).contains(o2["requests"] as? Int ?? 0), "\(sim.out)")
    }
}
