import HAScale
import Testing

/// `ADDR:PORT` as the inventory's `"metrics"` (and `--metrics`) and `udp://` take it.
@Suite("IP endpoints")
struct IPEndpointTests {
    @Test(arguments: [
        ("127.0.0.1:9101", "127.0.0.1:9101", true),
        (":9101", "127.0.0.1:9101", true),
        ("[::1]:9101", "[::1]:9101", true),
        ("0.0.0.0:9101", "0.0.0.0:9101", false),
        ("[fd00::7]:80", "[fd00::7]:80", false),
    ])
    func accepted(text: String, shown: String, loopback: Bool) throws {
        let e = try IPEndpoint(parsing: text, examplePort: 9101)
        #expect(e.description == shown)
        #expect(e.address.isLoopback == loopback)
        #expect(try IPEndpoint(parsing: e.description, examplePort: 9101) == e, "the description reads back")
    }

    @Test(arguments: [
        ("127.0.0.1", "needs a port: 127.0.0.1:9101"),
        ("localhost:9101", "\"localhost\" is not an IP address (a literal, no host names)"),
        ("::1:9101", "is not an IP address and port: an IPv6 address goes in brackets, [::1]:9101"),
        ("[::1]9101", "an IPv6 address goes in brackets with the port after: [::1]:9101"),
        ("127.0.0.1:0", "\"0\" is not a port (1-65535)"),
        ("127.0.0.1:65536", "\"65536\" is not a port (1-65535)"),
    ])
    func refused(text: String, problem: String) {
        #expect(throws: IPEndpointError(problem: problem)) { try IPEndpoint(parsing: text, examplePort: 9101) }
    }

    @Test func theInventoryReadsMetricsAndRefusesABadOneWithItsLine() throws {
        let none = try InventoryLoader.parse(LogSourceTests.inventory(""), file: "servers.json")
        #expect(none.metrics == nil, "off by default")
        let wide = try InventoryLoader.parse(LogSourceTests.inventory(#""metrics": "0.0.0.0:9101","#), file: "servers.json")
        #expect(wide.metrics?.description == "0.0.0.0:9101", "a non-loopback address given explicitly is accepted")
        do {
            _ = try InventoryLoader.parse(LogSourceTests.inventory(#""metrics": "localhost:9101","#), file: "servers.json")
            Issue.record("accepted a host name")
        } catch {
            #expect(error.description == #"servers.json:2: metrics: "localhost:9101" "localhost" is not an IP address (a literal, no host names) (where `hascale run` serves /metrics)"#, "\(error)")
        }
        do {
            _ = try InventoryLoader.parse(LogSourceTests.inventory(#""metrics": 9101,"#), file: "servers.json")
            Issue.record("accepted a number")
        } catch {
            #expect(error.description == "servers.json:2: metrics: must be a string, not a number", "\(error)")
        }
    }
}
