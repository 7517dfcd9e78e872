#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reassembles lines from chunks read off a stream (a pipe, a growing log file).
///
/// Complete lines are handed out straight from the chunk, without copying;
/// only a partial last line is kept, until its newline arrives. A line that
/// grows past ``LogLineScanner/maximumLineLength`` is dropped whole and
/// reported once, so memory stays bounded and nothing is cut into a wrong line.
public struct LineAssembler: Sendable {
    /// What a chunk yields.
    public enum Event {
        case line(UnsafeRawBufferPointer)
        /// A line too long to keep was skipped up to its newline.
        case overlong
    }

    @usableFromInline var pending: [UInt8] = []
    @usableFromInline var discarding = false
    public let maximumLineLength: Int

    public init(maximumLineLength: Int = LogLineScanner.maximumLineLength) {
        self.maximumLineLength = maximumLineLength
    }

    /// Bytes of a partial line held back, waiting for its newline.
    public var pendingByteCount: Int { pending.count }

    /// Feeds one chunk; `body` sees every line the chunk completes, in order.
    public mutating func consume(
        _ chunk: UnsafeRawBufferPointer, _ body: (Event) throws -> Void
    ) rethrows {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        var start = 0
        let count = chunk.count
        while start < count {
            guard let nl = memchr(base + start, 0x0A, count &- start) else {
                // No newline in the rest: hold it back (or keep discarding).
                let rest = count &- start
                if discarding { return }
                if pending.count &+ rest > maximumLineLength {
                    pending.removeAll(keepingCapacity: true)
                    discarding = true
                    return
                }
                pending.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: rest))
                return
            }
            let end = base.distance(to: UnsafeRawPointer(nl))
            let piece = UnsafeRawBufferPointer(start: base + start, count: end &- start)
            start = end &+ 1
            if discarding {
                discarding = false
                try body(.overlong)
            } else if pending.isEmpty {
                try body(.line(piece))
            } else if pending.count &+ piece.count > maximumLineLength {
                pending.removeAll(keepingCapacity: true)
                try body(.overlong)
            } else {
                pending.append(contentsOf: piece)
                try pending.withUnsafeBytes { try body(.line($0)) }
                pending.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Hands out a held partial line as if its newline had come (end of input).
    public mutating func flush(_ body: (Event) throws -> Void) rethrows {
        if discarding {
            discarding = false
            try body(.overlong)
        } else if !pending.isEmpty {
            try pending.withUnsafeBytes { try body(.line($0)) }
            pending.removeAll(keepingCapacity: true)
        }
    }

    /// Forgets a held partial line (the file it came from was truncated or replaced).
    public mutating func reset() {
        pending.removeAll(keepingCapacity: true)
        discarding = false
    }
}
