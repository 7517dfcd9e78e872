import HAScale
@testable import HAScaleRuntime
import LogParser
import Testing

/// Whose each request line is, when several HAProxy nodes log to one controller.
@Suite("node attribution")
struct NodeAttributionTests {
    static let inventory = try! InventoryLoader.parse("""
        { "haproxy": { "nodes": { "lb1": "ipv4@10.0.0.1:9999", "lb2": "ipv4@10.0.0.2:9999", "local": "/run/haproxy/admin.sock",
                                  "edge": "ipv6@[fd00::7]:9999" } },
          "log": "udp://0.0.0.0:5140", "log_sources_allowed": ["10.0.0.1", "10.0.0.2", "fd00::7"],
          "backends": { "app": { "servers": { "s1": { "active": true } } } } }
        """, file: "inline")

    static func node(_ a: NodeAttribution, sender: Int, _ line: String) -> Int {
        let bytes = Array(line.utf8)
        return bytes.withUnsafeBytes { buf in
            guard case .record(let r) = LogLineScanner.scan(buf) else { return -2 }
            return a.node(sender: sender, r, line: buf)
        }
    }

    static let request = "haproxy[1]: 10.9.9.9:40000 [22/Nov/2026:21:00:00.000] fe app/s1 0/0/0/20/21 200 512 - - ---- 4/4/4/4/0 0/0 \"GET / HTTP/1.1\""

    @Test func eachNodeLogsFromItsSocketsAddressAndALocalOneFromLoopback() throws {
        let a = NodeAttribution(nodes: Self.inventory.nodes)
        let names = Self.inventory.nodes.map(\.name.value)
        #expect(a.names.map(\.value) == names)
        let byAddress = Dictionary(uniqueKeysWithValues: a.senders.enumerated().map { ($1.description, $0) })
        #expect(Set(byAddress.keys) == ["10.0.0.1", "10.0.0.2", "127.0.0.1", "::1", "fd00::7"])
        for (address, node) in [("10.0.0.1", "lb1"), ("10.0.0.2", "lb2"), ("127.0.0.1", "local"), ("::1", "local"), ("fd00::7", "edge")] {
            let i = try #require(byAddress[address])
            #expect(Self.node(a, sender: i, "<134>Nov 22 21:10:58 " + Self.request) == names.firstIndex(of: node), "\(address)")
        }
    }

    @Test func withoutAKnownSenderTheHostnameTells() {
        let a = NodeAttribution(nodes: Self.inventory.nodes)
        let lb2 = Self.inventory.nodes.firstIndex { $0.name.value == "lb2" }
        #expect(Self.node(a, sender: -1, "<134>Nov 22 21:10:58 LB2 " + Self.request) == lb2)
        #expect(Self.node(a, sender: -1, "Nov 22 21:10:58 lb2.example.com " + Self.request) == lb2)
        #expect(Self.node(a, sender: -1, "<134>Nov 22 21:10:58 lb22 " + Self.request) == -1)
        #expect(Self.node(a, sender: -1, "<134>Nov 22 21:10:58 " + Self.request) == -1)
    }

    @Test func anAddressTwoNodesShareTellsNeither() {
        let shared = try! InventoryLoader.parse("""
            { "haproxy": { "nodes": { "a": "/run/haproxy/a.sock", "b": "/run/haproxy/b.sock", "c": "ipv4@10.0.0.3:9999" } },
              "backends": { "app": { "servers": { "s1": { "active": true } } } } }
            """, file: "inline")
        let a = NodeAttribution(nodes: shared.nodes)
        #expect(a.senders.map(\.description) == ["10.0.0.3"])
        #expect(Set(a.ambiguous.map(\.description)) == ["127.0.0.1", "::1"])
        #expect(Self.node(a, sender: -1, "<134>Nov 22 21:10:58 b " + Self.request) == 1)
    }

    @Test func aNodeWhoseLogStopsWhileTheOthersGoOnIsWarnedOfOnceAndWhenItIsBack() throws {
        let two = try InventoryLoader.parse("""
            { "haproxy": { "nodes": { "lb1": "ipv4@10.0.0.1:9999", "lb2": "ipv4@10.0.0.2:9999" } },
              "backends": { "app": { "servers": { "s1": { "active": true } } } } }
            """, file: "inline")
        var log = NodeLog(NodeAttribution(nodes: two.nodes))
        let bytes = Array(("<134>Nov 22 21:10:58 " + Self.request).utf8)
        try bytes.withUnsafeBytes { buf in
            guard case .record(let r) = LogLineScanner.scan(buf) else { throw ScanFailed() }
            func send(_ node: Int, _ n: Int, from t: Duration) {
                for k in 0..<n { _ = log.attribute(sender: node, r, line: buf, at: t + .milliseconds(k)) }
            }
            send(0, 50, from: .seconds(1))
            send(1, 50, from: .seconds(1))
            #expect(log.quietNodes(at: .seconds(2)) == ([], []))
            // lb2 goes quiet; lb1 logs on, but not yet for 30 s.
            send(0, 200, from: .seconds(10))
            #expect(log.quietNodes(at: .seconds(20)) == ([], []))
            #expect(log.quietNodes(at: .seconds(32)) == (["lb2"], []))
            #expect(log.quietNodes(at: .seconds(40)) == ([], []), "warned once")
            send(1, 1, from: .seconds(41))
            #expect(log.quietNodes(at: .seconds(42)) == ([], ["lb2"]))
            #expect(log.requests == [250, 51])
            #expect(log.unattributed == 0)
            _ = log.attribute(sender: -1, r, line: buf, at: .seconds(43))
            #expect(log.unattributed == 1)
        }
    }

    struct ScanFailed: Error {}
}
