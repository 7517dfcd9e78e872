#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a buffer that holds whole lines (a mapped file, a finished chunk) at `\n`.
///
/// `memchr` is the fastest way to find newlines that libc offers (vectorised
/// in glibc); a byte loop here would cost more than scanning the line.
public enum LineSplitter {
    /// Calls `body` with each line, without its `\n`. A last line with no
    /// newline is passed too: the buffer is taken to be complete.
    @inlinable
    public static func forEachLine(
        in buffer: UnsafeRawBufferPointer,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        guard let base = buffer.baseAddress else { return }
        var start = 0
        let count = buffer.count
        while start < count {
            let remaining = count &- start
            if let nl = memchr(base + start, 0x0A, remaining) {
                let end = base.distance(to: UnsafeRawPointer(nl))
                try body(UnsafeRawBufferPointer(start: base + start, count: end &- start))
                start = end &+ 1
            } else {
                try body(UnsafeRawBufferPointer(start: base + start, count: remaining))
                return
            }
        }
    }

    /// The offset of the first byte after the first `\n` at or after `offset`,
    /// or `buffer.count`: where a worker that starts mid-buffer begins.
    @inlinable
    public static func nextLineStart(in buffer: UnsafeRawBufferPointer, from offset: Int) -> Int {
        guard let base = buffer.baseAddress, offset < buffer.count else { return buffer.count }
        guard let nl = memchr(base + offset, 0x0A, buffer.count &- offset) else { return buffer.count }
        return base.distance(to: UnsafeRawPointer(nl)) &+ 1
    }
}
