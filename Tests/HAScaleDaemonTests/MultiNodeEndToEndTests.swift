import Foundation
import HAProxyNames
import HAProxySocket
import HAScaleTestKit
import Synchronization
import Testing

/// One `hascale run` controlling three real HAProxy nodes, each in a network namespace of
/// its own (``NetworkNamespaces``) as on three hosts, balancing the same app servers: one
/// pool, the same on every node, and a node restarted mid-run brought back to the pool's
/// state while the others go on untouched.
///
/// Each node is reached as a remote one is: its runtime API on TCP at its own address, its
/// frontend there, and its log sent by UDP to the controller's receiver on a root-side
/// address, so each node's datagrams come from its own source address, and only the nodes'
/// addresses are allowed to send (`"log_sources_allowed"`, which a receiver bound beyond
/// loopback requires).
@Suite("several HAProxy nodes end to end", .serialized)
struct MultiNodeEndToEndTests {
    /// Skipped, with the reason printed, where the machine cannot create namespaces or its
    /// HAProxy cannot reach the app servers from one (`server … namespace`).
    /// A missing HAProxy is not a reason: the test fails then, as every HAProxy test does.
    static let canRun: Bool = {
        guard let why = NetworkNamespaces.unavailable ?? namespacelessHAProxy else { return true }
        print("MultiNodeEndToEndTests skipped: \(why)")
        return false
    }()

    static var namespacelessHAProxy: String? {
        guard let exe = HAProxyProcess.executable, let vv = try? ChildProcess.run(exe, ["-vv"]).output,
              !vv.contains("Built with network namespace support") else { return nil }
        return "\(exe) -vv: not built with network namespace support (`server … namespace`)"
    }

    /// The same port on every node: each namespace has its own.
    static let frontendPort = 8080, adminPort = 9999

    final class Pool: @unchecked Sendable {
        let network: NetworkNamespaces
        let links: [NetworkNamespaces.RootLink]
        let apps: [HTTPTestBackend]
        let dirs: [URL]
        let config: [String]
        let logLine: String
        let inventory: String
        let loads: [LoadGenerator]
        /// Behind a lock: the sampler reads the nodes while the test restarts one.
        private let running = Locked([HAProxyProcess]())

        /// App servers on the root namespace's 127.0.0.1, as in every other end-to-end test:
        /// each node reaches them through `server … namespace`, the root namespace named for
        /// HAProxy, and the controller warms them up from where it runs. No route to loopback
        /// is needed, and nothing of the apps moves off loopback.
        init(_ network: NetworkNamespaces) throws {
            self.network = network
            let count = network.names.count
            links = try (0..<count).map { try network.connectToRoot($0) }
            let root = try network.nameRoot()
            apps = try (1...4).map { try HTTPTestBackend(name: "s\($0)", behaviour: .loadDependent(base: .milliseconds(5), perRequest: .milliseconds(40))) }
            // The receiver on the first node's root-side address: every namespace reaches it by its default route.
            let receiver = "\(links[0].rootAddress):\(try FreePort.next())"
            dirs = try (1...count).map { try HAProxyProcess.makeTemporaryDirectory("hascale-lb\($0)") }
            let servers = apps.enumerated().map { i, a in "  server \(a.name) \(a.address) namespace \(root)\(i == 0 ? "" : " disabled")" }.joined(separator: "\n")
            config = links.map { """
                frontend web
                  bind \($0.address):\(MultiNodeEndToEndTests.frontendPort)
                  default_backend app
                backend app
                  balance leastconn
                \(servers)
                """ }
            logLine = "log \(receiver) len 8192 local0 info"
            inventory = dirs[0].appendingPathComponent("servers.json").path
            let entries = apps.enumerated().map { i, a in
                i == 0 ? "\"\(a.name)\": { \"active\": true, \"always_up\": true }" : "\"\(a.name)\": { \"active\": false, \"warmup_url\": \"http://\(a.address)/warm\" }"
            }
            let nodeList = links.enumerated().map { "\"lb\($0 + 1)\": \"ipv4@\($1.address):\(MultiNodeEndToEndTests.adminPort)\"" }
            try """
                {
                  "haproxy": { "nodes": { \(nodeList.joined(separator: ", ")) } },
                  "log": "udp://\(receiver)",
                  "log_sources_allowed": [\(links.map { "\"\($0.address)\"" }.joined(separator: ", "))],
                  "backends": { "app": {
                    "policy": { "window_requests": 20, "min_active": 1, "resync_seconds": 1,
                                "scale_up": { "threshold_ms": 200, "breaches": 3, "cooldown_seconds": 3 },
                                "scale_down": { "threshold_ms": 100, "after_seconds": 5 }, "drain_timeout_seconds": 5 },
                    "servers": { \(entries.joined(separator: ", ")) } } }
                }
                """.write(toFile: inventory, atomically: true, encoding: .utf8)
            loads = links.map { LoadGenerator(host: $0.address, port: MultiNodeEndToEndTests.frontendPort) }
            for i in 0..<count {
                let node = try start(i)
                running.withLock { $0.append(node) }
            }
        }

        var nodes: [HAProxyProcess] { running.withLock { $0 } }

        /// Node `i`'s HAProxy, in its namespace, with its TCP admin socket on its own address
        /// (the Unix one HAProxyProcess adds is what the samples read, over the shared filesystem).
        private func start(_ i: Int) throws -> HAProxyProcess {
            try HAProxyProcess(configBody: config[i], directory: dirs[i],
                               extraGlobal: "stats socket ipv4@\(links[i].address):\(MultiNodeEndToEndTests.adminPort) level admin\n\(logLine)",
                               launch: { [network] in network.command(i, $0, $1) })
        }

        func stop(_ i: Int) { nodes[i].stop() }

        func restart(_ i: Int) throws {
            stop(i)
            let node = try start(i)
            running.withLock { $0[i] = node }
        }

        /// The servers in service on node `i`, as its own `show servers state` has them; nil when it does not answer.
        func serving(_ i: Int) -> [String]? {
            let api = RuntimeAPIClient(address: .unix(path: nodes[i].socketPath))
            guard let text = try? api.send(.showServersState(try? ProxyName("app"))),
                  let rows = try? ServerStateRow.parse(text, address: api.address.description) else { return nil }
            return rows.filter(\.inService).map(\.server)
        }

        /// Every node serving what node 0 serves.
        var inStep: Bool {
            let first = serving(0)
            return first != nil && nodes.indices.allSatisfy { serving($0) == first }
        }

        /// Load, nodes, apps; the namespaces are the caller's (``NetworkNamespaces/cleanup()`` after this).
        func stop() {
            for l in loads { l.stop() }
            for n in nodes { n.stop() }
            for a in apps { a.shutdown() }
        }
    }

    /// Samples every node every 100 ms but the one `excluded` (-1: none); a difference among
    /// them that lasts over 1.5 s (commands go to the nodes one after the other) is a divergence.
    final class Sampler: @unchecked Sendable {
        let pool: Pool
        let running = Atomic<Bool>(true)
        let divergences = Locked([String]())
        let excluded = Atomic<Int>(-1)
        let samples = Atomic<Int>(0)
        var thread: Thread?

        init(_ pool: Pool) {
            self.pool = pool
            let t = Thread { [self] in
                var since: Date?
                while running.load(ordering: .relaxed) {
                    let skip = excluded.load(ordering: .relaxed)
                    let seen = pool.nodes.indices.filter { $0 != skip }.map { (name: "lb\($0 + 1)", serving: pool.serving($0)) }
                    if seen.allSatisfy({ $0.serving != nil }) {
                        samples.add(1, ordering: .relaxed)
                        if Set(seen.map(\.serving)).count == 1 {
                            since = nil
                        } else if let s = since, Date().timeIntervalSince(s) > 1.5 {
                            let each = seen.map { "\($0.name) \($0.serving ?? [])" }.joined(separator: " vs ")
                            divergences.withLock { $0.append("\(each) for over 1.5 s") }
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

    @Test(.enabled(if: canRun, "needs root, ip and an HAProxy built with network namespace support"))
    func onePoolOnEveryNodeAndARestartedNodeResynced() throws {
        let began = Date()
        let network = try NetworkNamespaces(["lb1", "lb2", "lb3"])
        defer { network.cleanup() }
        let pool = try Pool(network)
        defer { pool.stop() }
        let stateFile = pool.dirs[0].appendingPathComponent("state.json").path
        let hascale = try ChildProcess(CLI.binary, ["run", "--config", pool.inventory, "--log-target", "stderr", "--status-every", "2",
                                                    "--state-file", stateFile])
        defer { hascale.terminate() }
        try hascale.waitForLine("hascale to be ready", timeout: 30) { $0.contains("ready:") }
        #expect(hascale.output.contains { $0.contains("one pool across 3 HAProxy nodes") }, "\(hascale.output.prefix(10))")
        let sampler = Sampler(pool)
        defer { sampler.stop() }

        // Heavy load through every node (12 clients in all, as with one node): the pool grows on all.
        for l in pool.loads { l.set(clients: 4, think: 0) }
        try waitUntil(40, "three servers in service on lb1", hascale) { (pool.serving(0)?.count ?? 0) >= 3 }
        try waitUntil(3, "every node serving the same servers", hascale) { pool.inStep }
        let ups = hascale.output.filter { $0.contains("send: set server app/") && $0.contains("state ready") }.count
        #expect(ups >= 2, "\(hascale.output.suffix(10))")

        // lb2 goes away and comes back as a new process, its servers as haproxy.cfg has them;
        // lb1 and lb3 are still sampled against each other meanwhile.
        // Its clients pause meanwhile: against a closed port they would only spin.
        sampler.excluded.store(1, ordering: .relaxed)
        pool.loads[1].set(clients: 0, think: 0)
        pool.stop(1)
        try hascale.waitForLine("lb2 reported out of step", timeout: 10) { $0.contains("node lb2 is out of step") }
        let othersDuring = [pool.serving(0), pool.serving(2)]
        try pool.restart(1)
        try hascale.waitForLine("lb2 resynced", timeout: 15) { $0.contains("HAProxy node lb2 resynced to the pool's state") }
        try waitUntil(5, "lb2 back in the pool's state", hascale) { pool.inStep }
        pool.loads[1].set(clients: 4, think: 0)
        for (i, during) in zip([0, 2], othersDuring) {
            #expect(pool.serving(i)?.count ?? 0 >= during?.count ?? 0, "lb\(i + 1) was touched by lb2's outage: \(during ?? []) → \(pool.serving(i) ?? [])")
        }
        sampler.excluded.store(-1, ordering: .relaxed)

        // Load gone: back to s1 alone, on every node.
        for l in pool.loads { l.set(clients: 1, think: 0.05) }
        try waitUntil(60, "the pool back to s1 on every node", hascale) { pool.nodes.indices.allSatisfy { pool.serving($0) == ["s1"] } }
        sampler.stop()
        for l in pool.loads { l.stop() }
        #expect(sampler.divergences.withLock { $0 }.isEmpty, "\(sampler.divergences.withLock { $0 })")
        #expect(sampler.samples.load(ordering: .relaxed) > 50, "the sampler read the nodes \(sampler.samples.load(ordering: .relaxed)) times")

        // Only lb2 was ever out of step, and every node's datagrams came from an allowed address.
        for other in ["lb1", "lb3"] {
            #expect(!hascale.output.contains { $0.contains("node \(other) is out of step") }, "\(other) reported out of step: \(hascale.output.suffix(10))")
        }
        #expect(!hascale.output.contains { $0.contains("from senders not in \"log_sources_allowed\"") },
                "\(hascale.output.filter { $0.contains("log_sources_allowed") })")
        let sent = pool.loads.map(\.sent)
        #expect(sent.allSatisfy { $0 > 100 }, "requests through each node: \(sent)")

        // Each request told to its node by its source address: `hascale status --json`'s per-node counts
        // against what the test sent through each node (its first second's and the in-flight
        // ones aside), and no line told to none.
        try waitUntil(10, "the state file to count every node's requests", hascale) {
            let nodes = (try? Self.attribution(stateFile).0) ?? [:]
            return (0..<sent.count).allSatisfy { Double(nodes["lb\($0 + 1)"] ?? 0) >= Double(pool.loads[$0].sent) * 0.9 }
        }
        let (counted, unattributed) = try Self.attribution(stateFile)
        for i in sent.indices {
            let n = counted["lb\(i + 1)"] ?? 0
            #expect(Double(n) >= Double(pool.loads[i].sent) * 0.9 && Double(n) <= Double(pool.loads[i].sent + pool.loads[i].failed) * 1.1 + 20,
                    "lb\(i + 1): \(n) requests told to it, \(pool.loads[i].sent) sent through it")
        }
        #expect(unattributed == 0, "\(unattributed) requests told to no node")
        #expect(hascale.output.contains { $0.contains("requests are told to their node by sender address") }, "\(hascale.output.prefix(12))")

        #expect(hascale.terminate() == 0, "\(hascale.output.suffix(10))")
        print("multi-node test: \(String(format: "%.1f", Date().timeIntervalSince(began))) s, requests per node \(sent), \(ups) scale-ups on the way up")
    }

    /// `hascale status --json`'s requests per node, and those told to none.
    static func attribution(_ stateFile: String) throws -> ([String: UInt64], UInt64) {
        let state = try MetricsEndToEndTests.status(stateFile).json["state"] as? [String: Any]
        var out: [String: UInt64] = [:]
        for n in state?["nodes"] as? [[String: Any]] ?? [] {
            if let name = n["name"] as? String, let r = n["requests"] as? NSNumber { out[name] = r.uint64Value }
        }
        return (out, (state?["unattributed_requests"] as? NSNumber)?.uint64Value ?? 0)
    }
}
