import Foundation
import HAProxyNames
import HAProxySocket
import HAScaleTestKit

/// A real HAProxy for the client and executor tests: one backend of three servers: a warm-up-counting one, one that
/// answers 500, one that never answers.
public final class RuntimeAPILab: @unchecked Sendable {
    public let good: HTTPTestBackend
    public let failing: HTTPTestBackend
    public let hanging: HTTPTestBackend
    public let port: Int
    public let haproxy: HAProxyProcess
    public let api: RuntimeAPIClient

    public init() throws {
        good = try HTTPTestBackend(name: "good", behaviour: .ok())
        failing = try HTTPTestBackend(name: "failing", behaviour: .status(500))
        hanging = try HTTPTestBackend(name: "hanging", behaviour: .hang)
        port = try FreePort.next()
        haproxy = try HAProxyProcess(configBody: """
            frontend web
              bind 127.0.0.1:\(port)
              default_backend app
            backend app
              balance roundrobin
              server s1 \(good.address) weight 10
              server s2 \(failing.address) weight 10 disabled
              server s3 \(hanging.address) weight 10 disabled
              server s4 \(good.address) weight 10 disabled
            """)
        api = RuntimeAPIClient(address: .unix(path: haproxy.socketPath), readTimeout: .seconds(5))
    }

    public struct MissingServer: Error, CustomStringConvertible {
        public var description: String
    }

    /// The server's row in `show servers state`, as HAProxy has it now.
    public func state(_ server: String) throws -> ServerStateRow {
        let rows = try ServerStateRow.parse(api.send(.showServersState(ProxyName("app"))), address: api.address.description)
        guard let row = rows.first(where: { $0.server == server }) else { throw MissingServer(description: "HAProxy has no server app/\(server)") }
        return row
    }

    public func stop() {
        haproxy.stop()
        good.shutdown(); failing.shutdown(); hanging.shutdown()
    }
}
