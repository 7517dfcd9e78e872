/// Turns one HAProxy log line into a ``LogRecord`` without allocating.
///
/// This is the hot path of `hascale parse` and of the daemon's tailer: it runs
/// once per request the proxy serves. It reads the bytes once, left to right,
/// stops after the last field it needs, and answers with offsets into the
/// caller's buffer. Every read is bounds-checked against the line, so any
/// input (binary garbage, a torn write) ends in a ``LogRejection``, never a crash.
public enum LogLineScanner {
    /// Lines longer than this are rejected whole (``LogRejection/tooLong``).
    /// HAProxy's own default `len` is 1024; 64 KiB leaves room for `len` raised
    /// to its practical maximum.
    public static let maximumLineLength = 65_536

    /// Scans one line. A trailing `\n` and `\r` are ignored, so callers may pass
    /// the line with or without its terminator.
    @inlinable
    public static func scan(_ line: UnsafeRawBufferPointer) -> LogParseResult {
        scan(line, carefully: false)
    }

    /// `carefully` skips every fast path (the syslog headers' windows and
    /// ``BSDTimestamp``, ``CommonRequestLine`` with its tcplog and `-1` timer
    /// steps, ``CommonCLFTail``), so tests and the fuzz target can hold them to
    /// the careful scan's answers.
    @inlinable @inline(__always)
    static func scan(_ line: UnsafeRawBufferPointer, carefully: Bool) -> LogParseResult {
        guard let raw = line.baseAddress else { return .rejected(.empty) }
        var end = line.count
        let base = raw.assumingMemoryBound(to: UInt8.self)
        while end > 0 && (base[end &- 1] == .lf || base[end &- 1] == .cr) { end &-= 1 }
        guard end <= maximumLineLength else { return .rejected(.tooLong) }
        var start = 0
        while start < end && (base[start] == .space || base[start] == .tab) { start &+= 1 }
        guard start < end else { return .rejected(.empty) }
        var cursor = ByteCursor(base: base, start: start, end: end)
        do {
            var hint = PayloadHint()
            let framing = try SyslogHeader.skip(&cursor, carefully: carefully, hint: &hint)
            if carefully {
                return .record(try RequestPayload.scanCarefully(&cursor, framing: framing))
            }
            return .record(try RequestPayload.scan(&cursor, framing: framing, hint: hint))
        } catch {
            return .rejected(error)
        }
    }

    /// Scans a line held in any contiguous byte collection (tests, small tools).
    @inlinable
    public static func scan<Bytes: Sequence<UInt8>>(bytes: Bytes) -> LogParseResult {
        let r = bytes.withContiguousStorageIfAvailable { buffer in
            scan(UnsafeRawBufferPointer(buffer))
        }
        if let r { return r }
        let copy = Array(bytes)
        return copy.withUnsafeBytes { scan($0) }
    }
}
