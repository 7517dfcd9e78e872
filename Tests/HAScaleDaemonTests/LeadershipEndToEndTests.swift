import Foundation
import HAScaleTestKit
import Testing

/// Two `hascale run` processes, one in each namespace of a real keepalived pair
/// (``KeepalivedPair``), against one real HAProxy on the host: only the holder
/// of the virtual address acts, and stopping keepalived on it hands control to
/// the other within seconds, with no action done twice or lost.
@Suite("Two controllers under keepalived", .serialized)
struct LeadershipEndToEndTests {
    /// Skipped, with the reason printed, where the machine cannot run a pair (not root, no keepalived).
    static let canRun: Bool = {
        guard let why = KeepalivedPair.unavailable else { return true }
        print("LeadershipEndToEndTests skipped: \(why)")
        return false
    }()

    /// One server per decision (`sizing: step`), so there are several actions to count on
    /// both sides of the takeover, and the way down does not wait for the model's stabilization.
    static let policy = """
        { "window_requests": 20, "min_active": 1, "resync_seconds": 1, "sizing": "step",
          "scale_up": { "threshold_ms": 200, "breaches": 3, "cooldown_seconds": 3 },
          "scale_down": { "threshold_ms": 100, "after_seconds": 4 },
          "drain_timeout_seconds": 3 }
        """

    /// The scenario's inventory with the leader address, and without warm-up URLs:
    /// from inside a namespace the host's 127.0.0.1, where the apps listen, is out of reach.
    static func inventory(_ scenario: AutoscaleScenario, _ pair: KeepalivedPair) throws -> String {
        let path = scenario.inventoryPath.replacingOccurrences(of: "servers.json", with: "pair.json")
        let servers = scenario.apps.enumerated().map { i, a in
            i == 0 ? "\"\(a.name)\": { \"active\": true, \"always_up\": true }" : "\"\(a.name)\": { \"active\": false }"
        }
        try """
            {
              "haproxy": { "socket": "\(scenario.haproxy.socketPath)" },
              "log": "\(scenario.logPath)",
              "leader": { "vrrp_address": "\(pair.virtualAddress)" },
              "backends": { "app": { "policy": \(policy), "servers": { \(servers.joined(separator: ", ")) } } }
            }
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func lines(_ p: ChildProcess, after marker: String? = nil, _ match: (String) -> Bool) -> [String] {
        var out = p.output
        if let marker, let i = out.firstIndex(where: { $0.contains(marker) }) { out = Array(out[(i + 1)...]) }
        return out.filter(match)
    }

    @Test(.enabled(if: canRun, "needs root, ip and keepalived (scripts/install-deps)"))
    func onlyTheAddressHolderActsAndStoppingItsKeepalivedHandsOver() throws {
        let began = Date()
        let pair = try KeepalivedPair()
        defer { pair.cleanup() }
        let scenario = try AutoscaleScenario(policy: Self.policy)
        defer { scenario.stop() }
        let config = try Self.inventory(scenario, pair)
        func start(_ node: Int) throws -> ChildProcess {
            let (exe, args) = pair.command(node, CLI.binary, ["run", "--config", config, "--log-target", "stderr", "--status-every", "1"])
            return try ChildProcess(exe, args)
        }
        let a = try start(0), b = try start(1)
        defer { a.terminate(); b.terminate() }
        try a.waitForLine("node A ready", timeout: 30) { $0.contains("ready:") }
        try b.waitForLine("node B ready", timeout: 30) { $0.contains("ready:") }
        #expect(a.output.contains { $0.contains("active: this host holds 10.213.0.100") }, "\(a.output.prefix(8))")
        #expect(b.output.contains { $0.contains("standby: 10.213.0.100 held elsewhere") }, "\(b.output.prefix(8))")
        let timeline = StateTimeline(scenario)
        defer { timeline.stop() }

        // A crowd: A, the holder, brings servers up; B follows the same log and sends nothing.
        scenario.load.set(clients: 12, think: 0)
        try waitUntil(40, "A to scale up under load", a) { timeline.current.count >= 3 }
        Thread.sleep(forTimeInterval: 2)
        let sendsOf: (ChildProcess) -> [String] = { p in Self.lines(p) { $0.contains("send: ") } }
        #expect(Self.lines(b) { $0.contains("decision:") }.isEmpty && sendsOf(b).isEmpty, "the standby acted: \(b.output.suffix(10))")
        #expect(b.output.contains { $0.contains("status standby (10.213.0.100 held elsewhere)") }, "\(b.output.suffix(5))")
        let upsByA = Self.lines(a) { $0.contains("scale_up app/") }.count
        #expect(upsByA >= 2)

        // keepalived stops on A: it gives up the address, B's takes it.
        let stopped = Date()
        pair.stop(0)
        #expect(pair.waitForHolder(1, timeout: 10), "the address did not move to B")
        let moved = Date().timeIntervalSince(stopped)
        let active = try b.waitForLine("B to take over", timeout: 5) { $0.contains("active: this host holds 10.213.0.100; reading HAProxy's state before acting") }
        let tookOver = Date().timeIntervalSince(stopped)
        try a.waitForLine("A to stand by", timeout: 5) { $0.contains("standby: 10.213.0.100 held elsewhere") }
        print("keepalived pair: the address moved in \(String(format: "%.2f", moved)) s, B took over \(String(format: "%.2f", tookOver)) s after the stop")
        #expect(moved < 5 && tookOver < 6)
        // B read HAProxy before anything else: its first line after taking over is HAProxy's state, A's servers included.
        let after = Self.lines(b, after: active) { _ in true }
        let took = try #require(after.firstIndex { $0.contains("took over from HAProxy's state: app: ") }, "\(after.prefix(10))")
        #expect(after[took].contains("app: \(timeline.current.count)/4 up"), "\(after[took]) vs \(timeline.current)")
        if let firstDecision = after.firstIndex(where: { $0.contains("decision:") }) { #expect(took < firstDecision) }

        // The crowd goes: B, now the holder, takes the pool back down; A, on standby, does nothing.
        scenario.load.set(clients: 1, think: 0.05)
        try waitUntil(60, "B to drain the pool back to s1", b) { timeline.current == ["s1"] }
        scenario.load.set(clients: 0, think: 0)
        Thread.sleep(forTimeInterval: 1)
        #expect(Self.lines(a, after: "standby: 10.213.0.100 held elsewhere") { $0.contains("decision:") }.isEmpty,
                "A decided on standby: \(a.output.suffix(10))")
        #expect(Self.lines(a) { $0.contains("scale_down app/") }.isEmpty, "A never took a server down")

        // No action twice, none lost: every change HAProxy saw is one logged action of one controller.
        let changes = timeline.changes
        let ups = Self.lines(a) { $0.contains("scale_up app/") } + Self.lines(b) { $0.contains("scale_up app/") }
        let downs = Self.lines(a) { $0.contains("scale_down app/") } + Self.lines(b) { $0.contains("scale_down app/") }
        #expect(ups.count == changes.filter(\.up).count, "ups \(ups) against \(changes)")
        #expect(downs.count == changes.filter { !$0.up }.count, "downs \(downs) against \(changes)")
        for server in ["s2", "s3", "s4"] {
            let upsOf = ups.filter { $0.contains("scale_up app/\(server):") }.count
            #expect(upsOf == changes.filter { $0.server == server && $0.up }.count, "\(server): \(ups) against \(changes)")
        }
        #expect(timeline.minimum >= 1)
        #expect(a.terminate() == 0 && b.terminate() == 0, "a graceful stop: \(a.output.suffix(5)) \(b.output.suffix(5))")
        print("keepalived pair test took \(String(format: "%.1f", Date().timeIntervalSince(began))) s; changes: \(changes)")
    }
}
