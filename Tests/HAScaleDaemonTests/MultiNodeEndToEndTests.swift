import Foundation
import HAProxyNames
import HAProxySocket
import HAScaleTestKit
import Synchronization
import Testing

/// One `hascale run` controlling two real HAProxy nodes that balance the same
/// app servers, each node logging to hascale's UDP receiver: one pool, the same
/// on both nodes, and a node restarted mid-run brought back to the pool's state.
@Suite("several HAProxy nodes end to end", .serialized)
struct MultiNodeEndToEndTests {
    final class Pool: @unchecked Sendable {
        let apps: [HTTPTestBackend]
        let ports: [Int]
        let dirs: [URL]
        let config: [String]
        var nodes: [HAProxyProcess]
        let receiver: Int
        let inventory: String
        let loads: [LoadGenerator]

        init() throws {
            apps = try (1...4).map { try HTTPTestBackend(name: "s\($0)", behaviour: .loadDependent(base: .milliseconds(5), perRequest: .milliseconds(40))) }
            receiver = try FreePort.next()
            ports = try [FreePort.next(), FreePort.next()]
            dirs = try [HAProxyProcess.makeTemporaryDirectory("hascale-lb1"), HAProxyProcess.makeTemporaryDirectory("hascale-lb2")]
            let servers = apps.enumerated().map { i, a in "  server \(a.name) \(a.address)\(i == 0 ? "" : " disabled")" }.joined(separator: "\n")
            config = ports.map { """
                frontend web
                  bind 127.0.0.1:\($0)
                  default_backend app
                backend app
                  balance leastconn
                \(servers)
                """ }
            let logLine = "log 127.0.0.1:\(receiver) len 8192 local0 info"
            let (config, dirs) = (self.config, self.dirs)
            nodes = try (0..<2).map { try HAProxyProcess(configBody: config[$0], directory: dirs[$0], extraGlobal: logLine) }
            inventory = dirs[0].appendingPathComponent("servers.json").path
            let entries = apps.enumerated().map { i, a in
                i == 0 ? "\"\(a.name)\": { \"active\": true, \"always_up\": true }" : "\"\(a.name)\": { \"active\": false, \"warmup_url\": \"http://\(a.address)/warm\" }"
            }
            try """
                {
                  "haproxy": { "nodes": { "lb1": "\(nodes[0].socketPath)", "lb2": "\(nodes[1].socketPath)" } },
                  "log": "udp://127.0.0.1:\(receiver)",
                  "backends": { "app": {
                    "policy": { "window_requests": 20, "min_active": 1, "resync_seconds": 1,
                                "scale_up": { "threshold_ms": 200, "breaches": 3, "cooldown_seconds": 3 },
                                "scale_down": { "threshold_ms": 100, "after_seconds": 5 }, "drain_timeout_seconds": 5 },
                    "servers": { \(entries.joined(separator: ", ")) } } }
                }
                """.write(toFile: inventory, atomically: true, encoding: .utf8)
            loads = ports.map { LoadGenerator(port: $0) }
        }

        func restart(_ i: Int) throws {
            nodes[i].stop()
            nodes[i] = try HAProxyProcess(configBody: config[i], directory: dirs[i], extraGlobal: "log 127.0.0.1:\(receiver) len 8192 local0 info")
        }

        /// The servers in service on node `i`, as its own `show servers state` has them; nil when it does not answer.
        func serving(_ i: Int) -> [String]? {
            let api = RuntimeAPIClient(address: .unix(path: nodes[i].socketPath))
            guard let text = try? api.send(.showServersState(try? ProxyName("app"))),
                  let rows = try? ServerStateRow.parse(text, address: api.address.description) else { return nil }
            return rows.filter(\.inService).map(\.server)
        }

        func stop() {
            for l in loads { l.stop() }
            for n in nodes { n.stop() }
            for a in apps { a.shutdown() }
        }
    }

    /// Samples both nodes every 100 ms; a difference that lasts is a divergence.
    final class Sampler: @unchecked Sendable {
        let pool: Pool
        let running = Atomic<Bool>(true)
        let divergences = Locked([String]())
        let paused = Atomic<Bool>(false)
        var thread: Thread?

        init(_ pool: Pool) {
            self.pool = pool
            let t = Thread { [self] in
                var since: Date?
                while running.load(ordering: .relaxed) {
                    if !paused.load(ordering: .relaxed), let a = pool.serving(0), let b = pool.serving(1) {
                        if a == b {
                            since = nil
                        } else if let s = since, Date().timeIntervalSince(s) > 1.5 {
                            divergences.withLock { $0.append("lb1 \(a) vs lb2 \(b) for over 1.5 s") }
                            since = nil
                        } else if since == nil {
                            since = Date()
                        }
                    } else {
                        since = nil
                    }
                    Thread.sleep(forTimeInterval: 0.1)
                }
            }
            thread = t
            t.start()
        }

        func stop() { running.store(false, ordering: .relaxed) }
    }

    @Test func onePoolOnEveryNodeAndARestartedNodeResynced() throws {
        let pool = try Pool()
        defer { pool.stop() }
        let hascale = try ChildProcess(CLI.binary, ["run", "--config", pool.inventory, "--log-target", "stderr", "--status-every", "2"])
        defer { hascale.terminate() }
        try hascale.waitForLine("hascale to be ready", timeout: 30) { $0.contains("ready:") }
        #expect(hascale.output.contains { $0.contains("one pool across 2 HAProxy nodes") })
        let sampler = Sampler(pool)
        defer { sampler.stop() }

        // Heavy load through both nodes: the pool grows on both.
        for l in pool.loads { l.set(clients: 6, think: 0) }
        try waitUntil(40, "three servers in service on lb1", hascale) { (pool.serving(0)?.count ?? 0) >= 3 }
        try waitUntil(3, "lb2 serving the same servers", hascale) { pool.serving(1) == pool.serving(0) }
        let ups = hascale.output.filter { $0.contains("send: set server app/") && $0.contains("state ready") }.count
        #expect(ups >= 2, "\(hascale.output.suffix(10))")

        // lb2 goes away and comes back as a new process, its servers as haproxy.cfg has them.
        sampler.paused.store(true, ordering: .relaxed)
        pool.nodes[1].stop()
        try hascale.waitForLine("lb2 reported out of step", timeout: 10) { $0.contains("node lb2 is out of step") }
        let lb1During = pool.serving(0)
        try pool.restart(1)
        try hascale.waitForLine("lb2 resynced", timeout: 15) { $0.contains("HAProxy node lb2 resynced to the pool's state") }
        try waitUntil(5, "lb2 back in the pool's state", hascale) { pool.serving(1) == pool.serving(0) }
        #expect(pool.serving(0)?.count ?? 0 >= lb1During?.count ?? 0, "lb1 was not touched by lb2's outage: \(lb1During ?? []) → \(pool.serving(0) ?? [])")
        sampler.paused.store(false, ordering: .relaxed)

        // Load gone: back to s1 alone, on both.
        for l in pool.loads { l.set(clients: 1, think: 0.05) }
        try waitUntil(60, "the pool back to s1 on both nodes", hascale) { pool.serving(0) == ["s1"] && pool.serving(1) == ["s1"] }
        sampler.stop()
        #expect(sampler.divergences.withLock { $0 }.isEmpty, "\(sampler.divergences.withLock { $0 })")
        #expect(hascale.terminate() == 0, "\(hascale.output.suffix(10))")
    }
}
