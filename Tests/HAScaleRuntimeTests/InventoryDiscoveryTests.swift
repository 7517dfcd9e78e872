import HAProxyNames
import HAProxySocket
import HAScale
@testable import HAScaleRuntime
import Testing

/// What `hascale init` makes of HAProxy's answers, without a HAProxy: the rows are as
/// `show servers state` and `show stat` give them (HAProxySocketTests pins those parsers).
@Suite("Inventory discovery (hascale init)")
struct InventoryDiscoveryTests {
    static func row(_ backend: String, _ server: String, _ address: String = "127.0.0.1", port: Int? = 8080,
                    op: ServerStateRow.Operational = .running, admin: Int = 0, weight: Int = 10, initial: Int = 10) -> ServerStateRow {
        ServerStateRow(backend: backend, server: server, address: address, operational: op, adminBits: admin, weight: weight, initialWeight: initial, port: port)
    }

    static func stat(_ proxy: String, _ service: String) -> StatRow {
        StatRow(proxy: proxy, service: service, currentSessions: 0, queued: 0, status: "UP", weight: 0, active: false, checkStatus: "")
    }

    static let states = [
        row("app", "up"),
        row("app", "maint", admin: 0x01 | 0x04),
        row("app", "drain", admin: 0x08),
        row("app", "zero", weight: 0),
        row("app", "down", op: .stopped),
        row("app", "reweighted", "::1", port: 9090, weight: 3),
        row("app", "noport", port: 0),
        row("api", "only", port: nil, admin: 0x01),
    ]
    static let stats = [stat("fe", "FRONTEND"), stat("app", "BACKEND"), stat("api", "BACKEND"), stat("empty", "BACKEND")]

    static func discover(_ states: [ServerStateRow] = states, only: [String] = []) throws(InventoryDiscovery.Failure) -> InventoryDiscovery {
        try InventoryDiscovery(states: states, stats: stats, only: only.map { try! ProxyName($0) }, socket: "/s.sock", log: "/l.log", address: "/s.sock")
    }

    @Test func serversAsHAProxyHasThemNow() throws {
        let d = try Self.discover()
        #expect(d.inventory.backends.map(\.name.value) == ["app", "api"], "HAProxy's order; no frontend, no backend without servers")
        let app = try #require(d.inventory.backend(named: "app"))
        #expect(app.servers.map(\.name.value) == ["up", "maint", "drain", "zero", "down", "reweighted", "noport"])
        #expect(app.servers.map(\.active) == [true, false, false, false, true, true, true],
                "in service by admin state and weight; DOWN by its checks stays active, as `hascale servers` judges it")
        #expect(app.servers.map(\.weight) == [nil, nil, nil, nil, nil, 3, nil], "only a weight set since the configuration's")
        #expect(app.servers.map(\.warmupURL) == [
            "http://127.0.0.1:8080/", "http://127.0.0.1:8080/", "http://127.0.0.1:8080/", "http://127.0.0.1:8080/",
            "http://127.0.0.1:8080/", "http://[::1]:9090/", "http://127.0.0.1/",
        ])
        #expect(d.inventory.socket == "/s.sock" && d.inventory.log == "/l.log")
        var policy = Inventory.Policy()
        policy.maxActive = 7
        #expect(app.policy == policy, "the loader's defaults, max_active the number of servers")
        #expect(d.notes.contains { $0.hasPrefix("app/noport: no port in haproxy.cfg") && $0.contains("assumes port 80") }, "\(d.notes)")
        #expect(d.notes.contains { $0.hasPrefix("api/only: HAProxy gives no port") }, "\(d.notes)")
        #expect(d.notes.contains("api: no server is in service now; `hascale run` brings one up to meet min_active 1"), "\(d.notes)")
        #expect(d.inventory.backend(named: "api")?.servers.first?.warmupURL == nil)
    }

    @Test func theTextPassesTheLoaderAndReadsBackTheSame() throws {
        let d = try Self.discover()
        let text = try d.text(file: "servers.json")
        #expect(InventoryFile.checkSocket("/s.sock") == nil)
        #expect(try InventoryLoader.parse(text, file: "servers.json") == d.inventory)
    }

    @Test func onlyTheBackendsAskedFor() throws {
        let d = try Self.discover(only: ["api"])
        #expect(d.inventory.backends.map(\.name.value) == ["api"])
    }

    @Test func anUnknownBackendNamesTheOnesThatExist() {
        #expect(throws: InventoryDiscovery.Failure.unknownBackends(["nope", "empty"], address: "/s.sock", withServers: ["app", "api"], withoutServers: ["empty"])) {
            try Self.discover(only: ["app", "nope", "empty"])
        }
        let text = InventoryDiscovery.Failure.unknownBackends(["nope", "empty"], address: "/s.sock", withServers: ["app", "api"], withoutServers: ["empty"]).description
        #expect(text == "HAProxy has no backend nope; backend empty has no servers (HAProxy at /s.sock); its backends with servers: app, api; without servers, which hascale cannot manage: empty")
    }

    @Test func namesHAProxyShouldNotHaveAreSkippedWithANote() throws {
        let d = try Self.discover([Self.row("app", "ok"), Self.row("app", "bad name"), Self.row("b;x", "s")])
        #expect(d.inventory.backends.map(\.name.value) == ["app"])
        #expect(d.inventory.backends[0].servers.map(\.name.value) == ["ok"])
        #expect(d.notes.contains { $0.hasPrefix("skipped server app/\"bad name\": it holds \" \"") }, "\(d.notes)")
        #expect(d.notes.contains { $0.hasPrefix("skipped backend \"b;x\": it holds \";\"") }, "\(d.notes)")
    }

    @Test func nothingToManageIsAnError() {
        #expect(throws: InventoryDiscovery.Failure.nothingToManage(address: "/s.sock", filtered: false)) { try Self.discover([]) }
    }

    @Test func aSingleServerBackendStillPassesTheLoader() throws {
        let d = try Self.discover([Self.row("one", "s", admin: 0x01)])
        #expect(d.inventory.backends[0].policy.minActive == 1 && d.inventory.backends[0].policy.maxActive == 1)
        _ = try d.text(file: "servers.json")
    }

    @Test func theLogSourceFollowsTheProbe() {
        var asked: [String] = []
        #expect(InventoryDiscovery.detectedLogSource { asked.append($0); return true } == "/var/log/haproxy.log")
        #expect(asked == ["/var/log/haproxy.log"])
        #expect(InventoryDiscovery.detectedLogSource { _ in false } == "journal:haproxy.service")
    }

    @Test func warmupURLs() {
        #expect(InventoryDiscovery.warmupURL(address: "10.0.0.1", port: 443).url == "http://10.0.0.1:443/")
        #expect(InventoryDiscovery.warmupURL(address: "fe80::1", port: 80).url == "http://[fe80::1]:80/")
        #expect(InventoryDiscovery.warmupURL(address: "-", port: 80).url == nil)
        #expect(InventoryDiscovery.warmupURL(address: "10.0.0.1", port: 80).note == nil)
    }
}
