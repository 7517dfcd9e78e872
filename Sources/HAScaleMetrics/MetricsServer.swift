import Glibc
import HAScale
import HAScaleRuntime
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// `/metrics` on an HTTP/1 server of its own: SwiftNIO on one event-loop
/// thread, apart from the scaling loop and from the warm-ups' HTTP client, so
/// scrapes and the loop never wait for each other. It serves what the loop
/// last published (``PublishedSnapshot``), nothing else.
public final class MetricsServer: Sendable {
    /// Where it listens (the port the kernel chose when asked for 0).
    public let endpoint: IPEndpoint
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup

    /// Connections served at once at most; more are closed as they come. Each one
    /// left silent is cut off after its request time-out, so a crowd of them
    /// cannot keep Prometheus out for longer than that.
    public static let defaultMaximumConnections = 64

    public init(endpoint: IPEndpoint, snapshot: PublishedSnapshot, version: String, requestTimeout: Duration = .seconds(10),
                maximumConnections: Int = MetricsServer.defaultMaximumConnections) async throws(MetricsServerError) {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let open = ConnectionCount(limit: maximumConnections)
        let timeout = TimeAmount(requestTimeout)
        do {
            let address = try SocketAddress(ipAddress: endpoint.address.description, port: Int(endpoint.port))
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    guard open.admit() else { return channel.close() }
                    channel.closeFuture.whenComplete { _ in open.release() }
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(
                            MetricsRequestHandler(snapshot: snapshot, version: version, requestTimeout: timeout))
                    }
                }
                .bind(to: address).get()
        } catch {
            try? await group.shutdownGracefully()
            throw MetricsServerError(endpoint: endpoint, errno: (error as? IOError)?.errnoCode, detail: "\(error)")
        }
        self.group = group
        self.endpoint = IPEndpoint(address: endpoint.address, port: UInt16(channel.localAddress?.port ?? Int(endpoint.port)))
    }

    /// Stops listening and closes the connections open.
    public func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

/// The endpoint could not listen; the message says what to change.
public struct MetricsServerError: Error, Sendable, CustomStringConvertible {
    public var endpoint: IPEndpoint
    public var errno: Int32?
    public var detail: String

    public var description: String {
        let fix: String = switch errno {
        case EADDRINUSE: "another process listens there (a second hascale?); choose a free port with --metrics or \"metrics\""
        case EACCES: "ports below 1024 need a capability the hascale unit does not grant; use a port above 1023"
        case EADDRNOTAVAIL: "no interface of this host has that address; give one it has, or 127.0.0.1"
        default: "check the address given with --metrics or \"metrics\""
        }
        return "cannot serve /metrics on \(endpoint): \(detail); \(fix)"
    }
}

/// Connections open, against the limit; touched from the event loop and the accept path alike.
final class ConnectionCount: Sendable {
    let limit: Int
    private let open = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    func admit() -> Bool {
        if open.add(1, ordering: .relaxed).newValue <= limit { return true }
        open.subtract(1, ordering: .relaxed)
        return false
    }

    func release() { open.subtract(1, ordering: .relaxed) }
}
