import HAScaleRuntime
import NIOCore
import NIOHTTP1

/// One connection to the metrics endpoint: `GET /metrics` answers the latest
/// snapshot in Prometheus' format, anything else 404.
///
/// A client gets ``requestTimeout`` for each request, from the moment it
/// connects or its last answer went out, to finish sending it; a client that
/// sends nothing, or a byte now and then, is cut off then, so it holds a
/// connection slot for that long at most. NIO's decoder caps a request's head
/// (80 KiB) and this caps its body; a client that stops reading its answers is
/// cut off instead of having them queued. None of it waits for the loop: the
/// answer is rendered from ``PublishedSnapshot`` on this connection's thread.
final class MetricsRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// A GET has no body; a client sending more than this is not Prometheus.
    static let maximumBodyBytes = 16 * 1024

    let snapshot: PublishedSnapshot
    let version: String
    let requestTimeout: TimeAmount
    private var head: HTTPRequestHead?
    private var bodyBytes = 0
    private var deadline: Scheduled<Void>?

    init(snapshot: PublishedSnapshot, version: String, requestTimeout: TimeAmount) {
        self.snapshot = snapshot
        self.version = version
        self.requestTimeout = requestTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            bodyBytes = 0
        case .body(let chunk):
            bodyBytes += chunk.readableBytes
            if bodyBytes > Self.maximumBodyBytes { context.close(promise: nil) }
        case .end:
            deadline?.cancel()
            deadline = nil
            respond(context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Whether the request is the one thing served: the path without its query.
    static func isMetrics(_ head: HTTPRequestHead) -> Bool {
        head.method == .GET && head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first == "/metrics"
    }

    private func respond(_ context: ChannelHandlerContext) {
        guard let head, context.channel.isWritable else {
            context.close(promise: nil)
            return
        }
        self.head = nil
        let found = Self.isMetrics(head)
        let body = found
            ? context.channel.allocator.buffer(bytes: PrometheusExposition.render(snapshot.current, version: version))
            : context.channel.allocator.buffer(string: "not found: hascale serves GET /metrics only\n")
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: found ? PrometheusExposition.contentType : "text/plain; charset=utf-8")
        headers.add(name: "content-length", value: String(body.readableBytes))
        let keepAlive = head.isKeepAlive
        if !keepAlive { headers.add(name: "connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: found ? .ok : .notFound, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let sent = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if keepAlive {
            arm(context)
        } else {
            sent.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    /// The next request must be complete within ``requestTimeout``.
    private func arm(_ context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: requestTimeout) { context.close(promise: nil) }
    }
}
