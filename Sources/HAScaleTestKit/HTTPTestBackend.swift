import Foundation
import Synchronization
import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP server on 127.0.0.1 whose behaviour a test or the demo chooses:
/// the app servers HAProxy balances over.
///
/// It records every request (path, arrival order) so a test can prove, for
/// example, that the warm-up request arrived before any proxied one.
public final class HTTPTestBackend: Sendable {
    public enum Behaviour: Sendable {
        /// Answers 200 after `latency`.
        case ok(latency: Duration = .zero)
        /// Answers with `status` at once.
        case status(Int)
        /// Accepts the request and never answers.
        case hang
        /// Answers 200 after `base + perRequest × (requests in flight)`: adding
        /// servers really lowers latency, as with an app under load.
        case loadDependent(base: Duration, perRequest: Duration)
    }

    public struct Request: Sendable, Equatable {
        public var path: String
        public var sequence: Int
    }

    public let name: String
    public let port: Int
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup
    private let state: Locked<State>
    private static let sequence = Locked(0)

    struct State {
        var behaviour: Behaviour
        var requests: [Request] = []
        var inFlight = 0
    }

    /// Starts listening on 127.0.0.1 on an ephemeral port.
    public init(name: String, behaviour: Behaviour) throws {
        self.name = name
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let state = Locked(State(behaviour: behaviour))
        let channel = try ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(ChannelOptions.backlog, value: 512)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
        self.group = group
        self.state = state
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
    }

    public var address: String { "127.0.0.1:\(port)" }

    public var behaviour: Behaviour {
        get { state.withLock { $0.behaviour } }
        set { state.withLock { $0.behaviour = newValue } }
    }

    public var requests: [Request] { state.withLock { $0.requests } }
    public var inFlight: Int { state.withLock { $0.inFlight } }

    private let stopped = Locked(false)

    /// Stops listening (the app "dies"); a second call does nothing.
    public func shutdown() {
        guard stopped.withLock({ s in defer { s = true }; return !s }) else { return }
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let state: Locked<State>

        init(state: Locked<State>) { self.state = state }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .head(let head) = unwrapInboundIn(data) else { return }
            let seq = HTTPTestBackend.sequence.withLock { $0 += 1; return $0 }
            let (behaviour, inFlight) = state.withLock { s in
                s.requests.append(Request(path: head.uri, sequence: seq))
                s.inFlight += 1
                return (s.behaviour, s.inFlight)
            }
            let keepAlive = head.isKeepAlive
            let delay: Duration
            var status = HTTPResponseStatus.ok
            switch behaviour {
            case .ok(let latency): delay = latency
            case .status(let code):
                delay = .zero
                status = HTTPResponseStatus(statusCode: code)
            case .hang:
                return
            case .loadDependent(let base, let perRequest):
                delay = base + perRequest * inFlight
            }
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            let respond = { [state] in
                let context = loopBound.value
                state.withLock { $0.inFlight -= 1 }
                let body = context.channel.allocator.buffer(string: "ok\n")
                var headers = HTTPHeaders()
                headers.add(name: "content-length", value: String(body.readableBytes))
                if !keepAlive { headers.add(name: "connection", value: "close") }
                context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
                context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(body))), promise: nil)
                let done = context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)))
                if !keepAlive { done.whenComplete { _ in loopBound.value.close(promise: nil) } }
            }
            if delay == .zero {
                respond()
            } else {
                context.eventLoop.scheduleTask(in: TimeAmount(delay)) { respond() }
            }
        }
    }
}
