import LogParser

/// Per backend and server: requests, 5xx share and latency percentiles, plus
/// counts of everything read and rejected — the answer to "which server is slow?".
///
/// Summaries of disjoint parts of a log merge exactly, so a file can be read
/// by one worker per core.
public struct LogSummary {
    public private(set) var servers = ServerTable<ServerStats>(defaultValue: ServerStats())
    public private(set) var linesRead: UInt64 = 0
    public private(set) var bytesRead: UInt64 = 0
    public private(set) var parsed: UInt64 = 0
    public private(set) var rejected: [UInt64] = Array(repeating: 0, count: LogRejection.allCases.count)

    public init() {}

    public var rejectedTotal: UInt64 { rejected.reduce(0, +) }

    public func rejected(_ reason: LogRejection) -> UInt64 { rejected[Int(reason.rawValue)] }

    /// Scans and counts one line (without its newline), and answers the scan so
    /// a caller that also prints the record need not scan the line again.
    @inline(__always) @discardableResult
    public mutating func add(line: UnsafeRawBufferPointer) -> LogParseResult {
        linesRead &+= 1
        bytesRead &+= UInt64(line.count &+ 1)
        let result = LogLineScanner.scan(line)
        switch result {
        case .rejected(let reason):
            rejected[Int(reason.rawValue)] &+= 1
        case .record(let r):
            parsed &+= 1
            // httplog and tcplog write `backend/server` as one run of bytes; CLF quotes each name.
            let i =
                r.server.lowerBound == r.backend.upperBound &+ 1
                ? servers.index(
                    pair: ByteRange(Int(r.backend.lowerBound), Int(r.server.upperBound)).bytes(in: line),
                    slash: r.backend.count)
                : servers.index(backend: r.backend.bytes(in: line), server: r.server.bytes(in: line))
            let isError = r.status >= 500
            let latency = r.mode == .http ? r.Tr : r.Ta
            servers.modify(i) { s in  // one exclusive access, one uniqueness check
                s.requests &+= 1
                if isError { s.serverErrors &+= 1 }
                s.latency.record(latency)
            }
        }
        return result
    }

    /// Counts a line that was dropped before it could be scanned (longer than the limit).
    public mutating func addOverlong(byteCount: Int) {
        linesRead &+= 1
        bytesRead &+= UInt64(byteCount)
        rejected[Int(LogRejection.tooLong.rawValue)] &+= 1
    }

    public mutating func merge(_ other: LogSummary) {
        linesRead += other.linesRead
        bytesRead += other.bytesRead
        parsed += other.parsed
        for i in rejected.indices { rejected[i] += other.rejected[i] }
        for k in 0..<other.servers.count {
            let i = Array(other.servers.backends[k].utf8).withUnsafeBytes { b in
                Array(other.servers.servers[k].utf8).withUnsafeBytes { s in servers.index(backend: b, server: s) }
            }
            servers[i].merge(other.servers[k])
        }
    }
}
