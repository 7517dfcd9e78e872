import Foundation
import HAProxyNames
import HAProxySocket
import Synchronization

/// The closed loop the end-to-end test and the demo share: a real HAProxy in
/// front of app servers whose latency grows with their concurrency, a load
/// generator, an inventory, and the log HAProxy writes — all on 127.0.0.1.
public final class AutoscaleScenario: @unchecked Sendable {
    public let apps: [HTTPTestBackend]
    public private(set) var haproxy: HAProxyProcess
    let haproxyConfig: String
    let masterWorker: Bool
    let extraGlobal: String
    public let port: Int
    public let logPath: String
    public let inventoryPath: String
    public let load: LoadGenerator
    public let api: RuntimeAPIClient

    /// `policy` is the inventory's JSON policy object for backend `app`.
    /// Server s1 is active and always_up; s2 … s`active` are active too; the others start in
    /// maintenance with a warm-up URL. `serverOptions` go on every `server` line
    /// (`check inter 300 fall 2 rise 2`), `backendOptions` into the backend (`option httpchk GET /health`).
    /// `extraGlobal`: more `global` lines, such as a second `log` target for hascale's receiver.
    public init(servers: Int = 4, base: Duration = .milliseconds(5), perRequest: Duration = .milliseconds(40), policy: String,
                active: Int = 1, serverOptions: String = "", backendOptions: String = "", masterWorker: Bool = false,
                extraGlobal: String = "") throws {
        apps = try (1...servers).map { try HTTPTestBackend(name: "s\($0)", behaviour: .loadDependent(base: base, perRequest: perRequest)) }
        port = try FreePort.next()
        let dir = try HAProxyProcess.makeTemporaryDirectory("hascale-scenario")
        logPath = dir.appendingPathComponent("haproxy.log").path
        inventoryPath = dir.appendingPathComponent("servers.json").path
        let lines = apps.enumerated().map { i, a in "  server \(a.name) \(a.address) \(serverOptions)\(i < active ? "" : " disabled")" }
        haproxyConfig = """
            frontend web
              bind 127.0.0.1:\(port)
              default_backend app
            backend app
              balance leastconn
              \(backendOptions)
            \(lines.joined(separator: "\n"))
            """
        self.masterWorker = masterWorker
        self.extraGlobal = extraGlobal
        haproxy = try HAProxyProcess(configBody: haproxyConfig, logFile: logPath, directory: dir, extraGlobal: extraGlobal, masterWorker: masterWorker)
        let servers = apps.enumerated().map { i, a in
            i == 0 ? "\"\(a.name)\": { \"active\": true, \"always_up\": true }"
                : "\"\(a.name)\": { \"active\": \(i < active), \"warmup_url\": \"http://\(a.address)/warm\" }"
        }
        try """
            {
              "haproxy": { "socket": "\(haproxy.socketPath)" },
              "log": "\(logPath)",
              "backends": {
                "app": {
                  "policy": \(policy),
                  "servers": { \(servers.joined(separator: ", ")) }
                }
              }
            }
            """.write(toFile: inventoryPath, atomically: true, encoding: .utf8)
        load = LoadGenerator(port: port)
        api = RuntimeAPIClient(address: .unix(path: haproxy.socketPath))
    }

    /// Servers of `app` that take traffic now, by HAProxy's own `show servers state`.
    public func inService() throws -> [String] {
        try ServerStateRow.parse(try api.send(.showServersState(try ProxyName("app"))), address: api.address.description).filter(\.inService).map(\.server)
    }

    /// Stops HAProxy and starts it again from the same haproxy.cfg, socket and log:
    /// a new process whose servers are as the configuration has them.
    public func restartHAProxy() throws {
        haproxy.stop()
        haproxy = try HAProxyProcess(configBody: haproxyConfig, logFile: logPath, directory: haproxy.directory, extraGlobal: extraGlobal, masterWorker: masterWorker)
    }

    /// Every server of `app` with its admin and operational state, as `show servers state` has it.
    public func states() throws -> [ServerStateRow] {
        try ServerStateRow.parse(try api.send(.showServersState(try ProxyName("app"))), address: api.address.description)
    }

    public func stop() {
        load.stop()
        haproxy.stop()
        for a in apps { a.shutdown() }
    }
}
