import Foundation
import HAProxyNames
import HAProxySocket
import HAScale
import HAScaleTestKit
import Testing

/// `hascale init` against a real HAProxy, as an operator runs it on a new host: the file
/// it writes passes `check-config` as it stands, and `hascale servers` finds no drift.
@Suite("hascale init", .serialized)
struct InitCommandTests {
    /// Two backends and one without servers; a server `disabled`, one drained and one
    /// re-weighted at run time, one at `weight 0`, one on ::1, one with no port. Nothing
    /// connects to the servers (no checks, no traffic), so their ports need no listener.
    static func haproxy() throws -> HAProxyProcess {
        let haproxy = try HAProxyProcess(configBody: """
            frontend fe
              bind 127.0.0.1:\(try FreePort.next())
              default_backend app
            backend app
              server a 127.0.0.1:18081 weight 10
              server b 127.0.0.1:18082 weight 5 disabled
              server c [::1]:18083
              server d 127.0.0.1:18084 weight 0
            backend api
              server x 127.0.0.1:18085
              server noport 127.0.0.1
            backend empty
            """)
        let client = RuntimeAPIClient(address: .unix(path: haproxy.socketPath))
        try client.send(.setWeight(try .init(backend: "app", server: "a"), .absolute(7)))
        try client.send(.setServerState(try .init(backend: "api", server: "x"), .drain))
        return haproxy
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func servers(_ root: [String: Any], _ backend: String) -> [String: [String: Any]] {
        ((root["backends"] as? [String: Any])?[backend] as? [String: Any])?["servers"] as? [String: [String: Any]] ?? [:]
    }

    /// What init must find on this machine: Debian's rsyslog file, else HAProxy's unit in the journal.
    static var expectedLog: String {
        FileManager.default.fileExists(atPath: "/var/log/haproxy.log") ? "/var/log/haproxy.log" : "journal:haproxy.service"
    }

    @Test func writesAnInventoryThatCheckConfigAcceptsAndServersFindsNoDriftIn() throws {
        let haproxy = try Self.haproxy()
        defer { haproxy.stop() }
        let file = "\(haproxy.directory.path)/servers.json"
        let r = try CLI.run(["init", "--socket", haproxy.socketPath, "--output", file])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.isEmpty, "with --output nothing goes to stdout: \(r.out)")
        #expect(r.err.contains("wrote \(file): 2 backend(s), 6 server(s)"), "\(r.err)")
        #expect(r.err.contains("note: api/noport: no port in haproxy.cfg"), "\(r.err)")

        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.hasSuffix("}\n"))
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? Int) == 0o640)
        let order = ["\"haproxy\"", "\"log\"", "\"backends\"", "\"app\"", "\"policy\"", "\"servers\"", "\"api\""].map { text.range(of: $0)?.lowerBound }
        #expect(!order.contains(nil) && order == order.sorted { $0! < $1! }, "key order: \(text)")

        let root = try Self.json(text)
        #expect((root["haproxy"] as? [String: Any])?["socket"] as? String == haproxy.socketPath)
        #expect(root["log"] as? String == Self.expectedLog)
        #expect(Set((root["backends"] as? [String: Any])?.keys.map { $0 } ?? []) == ["app", "api"], "no frontend, no backend without servers")
        let app = Self.servers(root, "app"), api = Self.servers(root, "api")
        #expect(app["a"]?["active"] as? Bool == true && app["a"]?["weight"] as? Int == 7, "re-weighted at run time: \(app)")
        #expect(app["a"]?["warmup_url"] as? String == "http://127.0.0.1:18081/")
        #expect(app["b"]?["active"] as? Bool == false && app["b"]?["weight"] == nil, "disabled in haproxy.cfg: \(app)")
        #expect(app["c"]?["active"] as? Bool == true && app["c"]?["warmup_url"] as? String == "http://[::1]:18083/", "\(app)")
        #expect(app["d"]?["active"] as? Bool == false, "weight 0 serves nothing: \(app)")
        #expect(api["x"]?["active"] as? Bool == false, "drained: \(api)")
        #expect(api["noport"]?["active"] as? Bool == true && api["noport"]?["warmup_url"] as? String == "http://127.0.0.1/", "\(api)")

        // The policy is the loader's own defaults, every one written out, with max_active the server count.
        let inventory = try InventoryLoader.parse(text, file: file)
        var policy = Inventory.Policy()
        policy.maxActive = 4
        #expect(inventory.backend(named: "app")?.policy == policy)
        #expect(text.contains("\"threshold_ms\": 500") && text.contains("\"outliers\""), "\(text)")

        let check = try CLI.run(["check-config", file])
        #expect(check.code == 0, "\(check.err)")
        #expect(check.out.contains("app: 4 servers, 2 active at start, min_active 1, max_active 4"), "\(check.out)")
        let servers = try CLI.run(["servers", "--config", file])
        #expect(servers.code == 0, "\(servers.err)")
        #expect(servers.out.contains("no drift: HAProxy matches the inventory") && !servers.out.contains("drift (inventory vs HAProxy)"), "\(servers.out)")
    }

    @Test func stdoutWithoutOutputAndALevelUserSocketIsEnough() throws {
        let dir = try HAProxyProcess.makeTemporaryDirectory("hascale-init")
        let user = dir.appendingPathComponent("user.sock").path
        let haproxy = try HAProxyProcess(configBody: """
            backend app
              server a 127.0.0.1:18081
            """, directory: dir, extraGlobal: "  stats socket \(user) mode 600 level user")
        defer { haproxy.stop() }
        #expect(throws: RuntimeAPIError.self, "the second socket really is level user") {
            try RuntimeAPIClient(address: .unix(path: user)).send(.setWeight(try .init(backend: "app", server: "a"), .absolute(5)))
        }
        let r = try CLI.run(["init", "--socket", user])
        #expect(r.code == 0, "\(r.err)")
        let root = try Self.json(r.out)
        #expect(Self.servers(root, "app")["a"]?["active"] as? Bool == true, "\(r.out)")
        #expect((root["haproxy"] as? [String: Any])?["socket"] as? String == user)
    }

    @Test func anExistingFileNeedsForce() throws {
        let haproxy = try Self.haproxy()
        defer { haproxy.stop() }
        let file = "\(haproxy.directory.path)/servers.json"
        try "keep me\n".write(toFile: file, atomically: true, encoding: .utf8)
        let refused = try CLI.run(["init", "--socket", haproxy.socketPath, "--output", file])
        #expect(refused.code == 64, "\(refused.err)")
        #expect(refused.err.contains("\(file) exists; give --force to replace it"), "\(refused.err)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep me\n")

        let printed = try CLI.run(["init", "--socket", haproxy.socketPath])
        #expect(printed.code == 0, "\(printed.err)")
        let forced = try CLI.run(["init", "--socket", haproxy.socketPath, "--output", file, "--force"])
        #expect(forced.code == 0, "\(forced.err)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == printed.out, "the file holds what init prints")
        let left = try FileManager.default.contentsOfDirectory(atPath: haproxy.directory.path).filter { $0.hasSuffix(".tmp") }
        #expect(left.isEmpty, "no temporary file left behind: \(left)")

        let noOutput = try CLI.run(["init", "--socket", haproxy.socketPath, "--force"])
        #expect(noOutput.code == 64 && noOutput.err.contains("--force goes with --output"), "\(noOutput.err)")
    }

    @Test func backendRestrictsAndAnUnknownOneNamesTheOthers() throws {
        let haproxy = try Self.haproxy()
        defer { haproxy.stop() }
        let only = try CLI.run(["init", "--socket", haproxy.socketPath, "--backend", "api"])
        #expect(only.code == 0, "\(only.err)")
        #expect(Set((try Self.json(only.out)["backends"] as? [String: Any])?.keys.map { $0 } ?? []) == ["api"], "\(only.out)")

        let unknown = try CLI.run(["init", "--socket", haproxy.socketPath, "--backend", "app", "--backend", "nope", "--backend", "empty"])
        #expect(unknown.code == 64, "\(unknown.err)")
        #expect(unknown.out.isEmpty)
        #expect(unknown.err.contains("HAProxy has no backend nope; backend empty has no servers"), "\(unknown.err)")
        #expect(unknown.err.contains("its backends with servers: app, api"), "\(unknown.err)")

        let bad = try CLI.run(["init", "--socket", haproxy.socketPath, "--backend", "a;b"])
        #expect(bad.code == 64 && bad.err.contains("invalid name \"a;b\""), "\(bad.err)")
    }

    @Test func anUnreachableHAProxyNamesTheSocket() throws {
        let dir = try HAProxyProcess.makeTemporaryDirectory("hascale-init")
        let socket = dir.appendingPathComponent("missing.sock").path
        let file = dir.appendingPathComponent("servers.json").path
        let r = try CLI.run(["init", "--socket", socket, "--output", file])
        #expect(r.code == 2, "\(r.err)")
        #expect(r.err.contains("cannot reach HAProxy's runtime API at \(socket)") && r.err.contains("stats socket"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: file), "nothing written")
    }
}
