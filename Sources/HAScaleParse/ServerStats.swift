/// What a summary keeps per backend/server.
public struct ServerStats: Sendable, Equatable {
    public var requests: UInt64 = 0
    public var serverErrors: UInt64 = 0
    /// `Tr` for http lines, `Tt` for tcp lines; aborted phases (`-1`) left out.
    public var latency = LatencyHistogram()

    public init() {}

    public mutating func merge(_ other: ServerStats) {
        requests += other.requests
        serverErrors += other.serverErrors
        latency.merge(other.latency)
    }

    public var serverErrorShare: Double { requests == 0 ? 0 : Double(serverErrors) / Double(requests) }
}
