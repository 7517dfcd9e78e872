import HAProxyNames
import HAScale
import HAScaleSimulation
import Testing

/// A recorded log through the engine in the log's own time.
@Suite("hascale replay")
struct LogReplayTests {
    static let inventory = try! InventoryLoader.parse("""
        { "backends": { "app": {
            "policy": { "scale_up": { "threshold_ms": 200 }, "scale_down": { "after_seconds": 60 } },
            "servers": { "s1": { "active": true, "always_up": true }, "s2": { "active": false }, "s3": { "active": false } } } } }
        """, file: "inline")

    /// An `option httplog` line as HAProxy writes it with `log stdout format raw`, accepted `ms` after 21:00:00.
    static func line(_ ms: Int, server: String = "s1", tr: Int, conns: Int = 1) -> [UInt8] {
        let s = ms / 1000, frac = ms % 1000
        let time = "21:\(pad(s / 60 % 60)):\(pad(s % 60)).\(pad(frac, 3))"
        return Array("127.0.0.1:40000 [22/Nov/2026:\(time)] fe app/\(server) 0/0/0/\(tr)/\(tr + 1) 200 512 - - ---- \(conns)/\(conns)/\(conns)/\(conns)/0 0/0 \"GET / HTTP/1.1\"".utf8)
    }

    static func pad(_ v: Int, _ width: Int = 2) -> String {
        let t = String(v)
        return String(repeating: "0", count: max(0, width - t.count)) + t
    }

    @Test func slowRequestsAskForServersAndAQuietHourGivesThemBack() throws {
        var replay = LogReplay(inventory: Self.inventory)
        // 30 s of slow answers at 20 requests a second, then five quiet minutes.
        for k in 0..<600 { Self.line(k * 50, tr: 450, conns: 9).withUnsafeBytes { replay.feed($0) } }
        for k in 0..<3000 { Self.line(30_000 + k * 100, server: k % 2 == 0 ? "s1" : "s2", tr: 20).withUnsafeBytes { replay.feed($0) } }
        Array("not a request line".utf8).withUnsafeBytes { replay.feed($0) }
        let summary = replay.finish()
        #expect(replay.requests == 3600 && replay.skipped == 1)
        let ups = replay.decisions.filter { $0.decision.direction == .up }
        let downs = replay.decisions.filter { $0.decision.direction == .down }
        let firstUp = try #require(ups.first)
        #expect(firstUp.second < 2, "the slow answers are seen within the first seconds: \(firstUp.second)")
        #expect(!downs.isEmpty && downs.allSatisfy { $0.second > 90 }, "down only after the quiet period: \(downs.map(\.second))")
        #expect(downs.allSatisfy { !$0.decision.servers.contains(try! ProxyName("s1")) }, "s1 is always_up")
        let s = try #require(summary.first)
        #expect(s.scaleUps == ups.count && s.scaleDowns == downs.count)
        #expect((29...31).contains(s.secondsAboveThreshold), "\(s)")
        #expect(abs(replay.duration.components.seconds - 330) <= 1)
        // The log shows s1 all along and s2 from 30 s on.
        #expect(abs(s.logServerSeconds - (330 + 300)) <= 12, "\(s)")
        #expect(s.engineServerSeconds > 330, "\(s)")
    }
}
