import Foundation
import HAProxyNames
import HAProxySocket
import Synchronization

/// The closed loop the end-to-end test and the demo share: a real HAProxy in
/// front of app servers whose latency grows with their concurrency, a load
/// generator, an inventory, and the log HAProxy writes — all on 127.0.0.1.
public final class AutoscaleScenario: @unchecked Sendable {
    public let apps: [HTTPTestBackend]
    public let haproxy: HAProxyProcess
    public let port: Int
    public let logPath: String
    public let inventoryPath: String
    public let load: LoadGenerator
    public let api: RuntimeAPIClient

    /// `policy` is the inventory's JSON policy object for backend `app`.
    /// Server s1 is active and always_up; the others start in maintenance with a warm-up URL.
    public init(servers: Int = 4, base: Duration = .milliseconds(5), perRequest: Duration = .milliseconds(40), policy: String) throws {
        apps = try (1...servers).map { try HTTPTestBackend(name: "s\($0)", behaviour: .loadDependent(base: base, perRequest: perRequest)) }
        port = try FreePort.next()
        let dir = try HAProxyProcess.makeTemporaryDirectory("hascale-scenario")
        logPath = dir.appendingPathComponent("haproxy.log").path
        inventoryPath = dir.appendingPathComponent("servers.json").path
        let lines = apps.enumerated().map { i, a in "  server \(a.name) \(a.address)\(i == 0 ? "" : " disabled")" }
        haproxy = try HAProxyProcess(configBody: """
            frontend web
              bind 127.0.0.1:\(port)
              default_backend app
            backend app
              balance leastconn
            \(lines.joined(separator: "\n"))
            """, logFile: logPath, directory: dir)
        let servers = apps.enumerated().map { i, a in
            i == 0 ? "\"\(a.name)\": { \"active\": true, \"always_up\": true }"
                : "\"\(a.name)\": { \"active\": false, \"warmup_url\": \"http://\(a.address)/warm\" }"
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

    public func stop() {
        load.stop()
        haproxy.stop()
        for a in apps { a.shutdown() }
    }
}
