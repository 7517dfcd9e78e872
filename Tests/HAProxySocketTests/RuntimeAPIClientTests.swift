import HAProxyNames
import HAProxySocket
import HAScaleTestKit
import Testing

@Suite("Runtime API client against a real HAProxy", .serialized)
struct RuntimeAPIClientTests {
    @Test func showServersStateAndStat() throws {
        let lab = try RuntimeAPILab()
        defer { lab.stop() }
        let rows = try ServerStateRow.parse(lab.api.send(.showServersState(nil)), address: "lab")
        #expect(rows.filter { $0.backend == "app" }.map(\.server) == ["s1", "s2", "s3", "s4"])
        #expect(try lab.state("s1").inService)
        #expect(try lab.state("s2").inMaintenance)
        #expect(try lab.state("s2").initialWeight == 10)
        let stats = try StatRow.parse(lab.api.send(.showStat), address: "lab")
        #expect(stats.contains { $0.proxy == "app" && $0.service == "s2" && $0.status == "MAINT" })
        #expect(try lab.api.send(.showInfo).contains("Version:"))
    }

    @Test func serverConnRowsParseByColumnName() throws {
        let answer = """
            # bkname/svname bkid/svid addr port - purge_delay used_cur used_max need_est unsafe_nb safe_nb idle_lim idle_cur idle_per_thr[2]
            app/s1 2/1 127.0.0.1 8080 - 5000 3 7 1 0 2 -1 2 1 1

            """
        #expect(try ServerConnRow.parse(answer, address: "lab") == [ServerConnRow(backend: "app", server: "s1", usedCurrent: 3, usedMax: 7, idleCurrent: 2)])
        #expect(throws: RuntimeAPIError.self) { try ServerConnRow.parse("# bkname/svname used_cur\napp/s1 1\n", address: "lab") }
    }

    @Test(arguments: ["s1;shutdown sessions server app/s1", "s1\nset server app/s1 state maint", "s 1", "", "s1/x", "é"])
    func injectionIsRefusedBeforeSending(name: String) {
        #expect(throws: InvalidProxyName.self) { try ServerRef(backend: "app", server: name) }
        #expect(throws: InvalidProxyName.self) { try ProxyName(name) }
    }

    @Test func haproxyErrorsBecomeTypedErrors() throws {
        let lab = try RuntimeAPILab()
        defer { lab.stop() }
        let missing = try ServerRef(backend: "app", server: "nope")
        #expect {
            try lab.api.send(.setServerState(missing, .ready))
        } throws: { error in
            guard case .refused(_, let cmd, .noSuchServer, _) = error as? RuntimeAPIError else { return false }
            return cmd == "set server app/nope state ready"
        }
        #expect {
            try lab.api.send(.setWeight(try ServerRef(backend: "nobackend", server: "s1"), .absolute(5)))
        } throws: { error in
            guard case .refused(_, _, let kind, _) = error as? RuntimeAPIError else { return false }
            return kind == .noSuchBackend || kind == .noSuchServer
        }
    }

    @Test func missingSocketGivesHelpfulError() {
        let api = RuntimeAPIClient(address: .unix(path: "/nonexistent/hascale/admin.sock"))
        do {
            try api.send(.showInfo)
            Issue.record("must fail")
        } catch {
            let text = error.description
            #expect(text.contains("/nonexistent/hascale/admin.sock"))
            #expect(text.contains("stats socket"))
            #expect(text.contains("level admin"))
        }
    }
}
