#if canImport(Glibc)
import Glibc
#endif
import LogParser
import SystemPackage

/// `--log -`: lines piped in, for HAProxy's `log stdout` in a container
/// (`docker logs -f haproxy 2>&1 | hascale run --log -`).
///
/// Reads only what `poll` says is there, so it never blocks the loop and never
/// changes the descriptor's flags (a terminal or pipe shared with others keeps
/// its blocking mode). At end of input it flushes a last unterminated line and
/// reports ``LogStreamEvent/ended``.
public final class StandardInputLog: LogReader {
    public let waiter: ChangeWaiter
    public var description: String { "standard input" }
    let fd: FileDescriptor
    var assembler = LineAssembler()
    var buffer: UnsafeMutableRawBufferPointer
    var ended = false

    public init(fd: FileDescriptor = .standardInput, wakeup: Wakeup? = nil) {
        self.fd = fd
        waiter = ChangeWaiter(watching: [.init(fd: fd.rawValue, events: Int16(POLLIN))], wakeup: wakeup)
        buffer = .allocate(byteCount: 1 << 20, alignment: 64)
    }

    deinit { buffer.deallocate() }

    public func readAvailable(_ body: (LogStreamEvent) -> Void) throws(FileError) {
        guard !ended else { return }
        // Bounded, so a fast writer cannot keep the loop from its clock.
        for _ in 0..<64 {
            var p = pollfd(fd: fd.rawValue, events: Int16(POLLIN), revents: 0)
            guard Glibc.poll(&p, 1, 0) > 0 else { return }
            let n: Int
            do { n = try fd.read(into: buffer) } catch {
                throw FileError(path: "standard input", operation: "read", errno: error as? Errno ?? .ioError)
            }
            if n == 0 {
                ended = true
                assembler.flush { body(LogStreamEvent($0)) }
                body(.ended)
                return
            }
            assembler.consume(UnsafeRawBufferPointer(start: buffer.baseAddress, count: n)) { body(LogStreamEvent($0)) }
        }
    }
}
