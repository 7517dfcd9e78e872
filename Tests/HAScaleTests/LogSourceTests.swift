import HAScale
import Testing

@Suite("Log sources and IP addresses")
struct LogSourceTests {
    @Test(arguments: [
        ("/var/log/haproxy.log", LogSource.file("/var/log/haproxy.log")),
        ("journal", .journal(unit: "haproxy.service")),
        ("journal:haproxy-edge", .journal(unit: "haproxy-edge.service")),
        ("journal:haproxy@a.service", .journal(unit: "haproxy@a.service")),
        ("udp://127.0.0.1:5140", .udp(.v4(0x7f00_0001), port: 5140)),
        ("udp://:5140", .udp(.v4(0x7f00_0001), port: 5140)),
        ("udp://[::1]:5140", .udp(.v6(Array(repeating: 0, count: 15) + [1]), port: 5140)),
        ("unix:/run/hascale/haproxy.sock", .unixDatagram("/run/hascale/haproxy.sock")),
        ("-", .standardInput),
    ])
    func parses(text: String, source: LogSource) throws {
        let parsed = try LogSource(parsing: text)
        #expect(parsed == source)
        // The description reads back as the same source.
        #expect(try LogSource(parsing: parsed.description) == source)
    }

    @Test(arguments: [
        ("", "is empty"),
        ("udp://127.0.0.1", "needs a port"),
        ("udp://127.0.0.1:0", "is not a port"),
        ("udp://localhost:5140", "is not an IP address"),
        ("udp://::1:5140", "goes in brackets"),
        ("unix:run/x.sock", "absolute socket path"),
        ("tcp://127.0.0.1:5140", "is not a log source scheme"),
        ("journal:bad unit", "is not a systemd unit name"),
    ])
    func refuses(text: String, problem: String) {
        #expect(throws: LogSourceError.self) { try LogSource(parsing: text) }
        do { _ = try LogSource(parsing: text) } catch {
            #expect(error.problem.contains(problem), "\(error)")
        }
    }

    @Test func theDefaultIsTheFileWhenItExistsElseTheJournal() {
        #expect(LogSource.detected { _ in true }.source == .file("/var/log/haproxy.log"))
        let (source, why) = LogSource.detected { _ in false }
        #expect(source == .journal(unit: "haproxy.service"))
        #expect(why.contains("does not exist"), "\(why)")
    }

    @Test func addressesParseAndPrintInTheirShortestForm() throws {
        #expect(IPAddress("10.0.0.5")?.description == "10.0.0.5")
        #expect(IPAddress("2001:db8:0:0:0:0:0:1")?.description == "2001:db8::1")
        #expect(IPAddress("::ffff:127.0.0.1")?.isLoopback == true)
        #expect(IPAddress("::1")?.isLoopback == true)
        #expect(IPAddress("127.9.9.9")?.isLoopback == true)
        #expect(IPAddress("10.0.0.5")?.isLoopback == false)
        for bad in ["256.0.0.1", "1.2.3", "01.2.3.4", "1::2::3", "12345::", "host.example", ""] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
    }

    static func inventory(_ top: String) -> String {
        """
        {
          \(top)
          "backends": { "app": { "servers": { "s1": { "active": true } } } }
        }
        """
    }

    @Test func theLoaderChecksTheLogSourceAndWhoMaySend() throws {
        let ok = try InventoryLoader.parse(Self.inventory("""
            "log": "udp://10.0.0.1:5140", "log_sources_allowed": ["10.0.0.7", "fd00::7"], "log_receive_buffer_bytes": 16777216,
            """), file: "servers.json")
        #expect(ok.logSourcesAllowed.map(\.description) == ["10.0.0.7", "fd00::7"])
        #expect(ok.logReceiveBufferBytes == 16_777_216)
        do {
            _ = try InventoryLoader.parse(Self.inventory("""
                "log": "udp://10.0.0.1:5140",
                "log_sources_allowed": ["lb2.example"],
                """), file: "servers.json")
            Issue.record("accepted a host name")
        } catch {
            #expect(error.description == """
                servers.json:2: log: listens beyond loopback: list the HAProxy hosts that may send in "log_sources_allowed" (or bind to 127.0.0.1)
                servers.json:3: log_sources_allowed[0]: "lb2.example" is not an IP address (a literal, no host names)
                """, "\(error)")
        }
        do {
            _ = try InventoryLoader.parse(Self.inventory("\"log\": \"tcp://127.0.0.1:1\","), file: "servers.json")
            Issue.record("accepted tcp://")
        } catch {
            #expect(error.description.hasPrefix("servers.json:2: log: \"tcp\" is not a log source scheme"), "\(error)")
        }
    }
}
