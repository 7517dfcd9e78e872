import HAScale
import LogParser
import Testing

/// Several HAProxy nodes: each logs its own share of a server's connections, and the
/// load model must see the pool's.
@Suite("node shares")
struct NodeSharesTests {
    @Test func theCountsOfFreshNodesAreSummedAndAStaleOnesDropped() {
        var s = NodeShares()
        // Another node's share is what it still had open when it logged: its count less the request logged.
        #expect(s.pooled(5, node: 0, of: 3, at: .seconds(10)) == 5)
        #expect(s.pooled(3, node: 1, of: 3, at: .seconds(10.5)) == 3 + 4)
        #expect(s.pooled(4, node: 2, of: 3, at: .seconds(11)) == 4 + 4 + 2)
        // Node 0's own count is replaced, not added to.
        #expect(s.pooled(1, node: 0, of: 3, at: .seconds(11.5)) == 1 + 2 + 3)
        // Node 1 last logged 2.5 s ago: it carries nothing now.
        #expect(s.pooled(1, node: 0, of: 3, at: .seconds(13)) == 1 + 3)
        #expect(s.pooled(2, node: 0, of: 3, at: .seconds(13.1)) == 2)
        // One client per node, moving between servers: each node holds only the request it logs.
        var one = NodeShares()
        #expect(one.pooled(1, node: 0, of: 3, at: .seconds(1)) == 1)
        #expect(one.pooled(1, node: 1, of: 3, at: .seconds(1.1)) == 1)
        #expect(one.pooled(1, node: 2, of: 3, at: .seconds(1.2)) == 1)
    }

    static let inventory = try! InventoryLoader.parse("""
        { "haproxy": { "nodes": { "lb1": "ipv4@10.0.0.1:9999", "lb2": "ipv4@10.0.0.2:9999" } },
          "backends": { "app": {
            "policy": { "scale_up": { "threshold_ms": 200 } },
            "servers": { "s1": { "active": true }, "s2": { "active": true }, "s3": { "active": false } } } } }
        """, file: "inline")

    /// A request of `server` logged with `srv_conn` and `beconn` both `conns`.
    static func line(server: String, conns: Int) -> [UInt8] {
        Array("127.0.0.1:40000 [22/Nov/2026:21:00:00.000] fe app/\(server) 0/0/0/20/21 200 512 - - ---- \(conns)/\(conns)/\(conns)/\(conns)/0 0/0 \"GET / HTTP/1.1\"".utf8)
    }

    static func feed(_ engine: inout DecisionEngine, server: String, conns: Int, node: Int, at t: Duration) {
        line(server: server, conns: conns).withUnsafeBytes { buf in
            guard case .record(let r) = LogLineScanner.scan(buf) else { Issue.record("not scanned"); return }
            engine.observe(r, line: buf, node: node, at: t)
        }
    }

    @Test func theModelSeesThePoolsConnectionsNotOneNodesShare() throws {
        var engine = DecisionEngine(inventory: Self.inventory, at: .zero)
        #expect(engine.nodes == 2)
        // Each node logs 4 connections on each serving server (3 others open as each ends): 4 + 3 per server in all.
        for k in 0..<200 {
            let t = Duration.milliseconds(1000 + k * 10)
            Self.feed(&engine, server: k % 2 == 0 ? "s1" : "s2", conns: 4, node: (k / 2) % 2, at: t)
        }
        let load = try #require(engine.backends[0].model.load(at: .milliseconds(3100)))
        #expect(abs(load.perServer - 7) < 0.5, "\(load)")
        #expect(load.backendConns == nil, "one node's beconn says nothing of the pool's backlog: \(load)")
    }

    @Test func aRequestOfNoKnownNodeCountsNoConnections() {
        var engine = DecisionEngine(inventory: Self.inventory, at: .zero)
        for k in 0..<200 { Self.feed(&engine, server: "s1", conns: 4, node: -1, at: .milliseconds(1000 + k * 10)) }
        #expect(engine.backends[0].model.load(at: .milliseconds(3100)) == nil)
        #expect(engine.backends[0].requests == 200)
    }
}
