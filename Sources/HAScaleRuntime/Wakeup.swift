#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

/// A pipe that other tasks write to so a blocked `poll` returns early: how
/// finished actions, reloads and shutdown reach the loop without it polling.
public final class Wakeup: Sendable {
    public let readEnd: FileDescriptor
    let writeEnd: FileDescriptor

    public init() throws(FileError) {
        do {
            (readEnd, writeEnd) = try FileDescriptor.pipe()
        } catch {
            throw FileError(path: "pipe", operation: "create the wake-up pipe (out of file descriptors?)", errno: error as? Errno ?? .tooManyOpenFiles)
        }
        // Non-blocking both ways, or a full pipe would block a signal and an empty
        // one would block `drain()`.
        do {
            for fd in [readEnd, writeEnd] {
                try fd.setNonBlocking()
                try fd.setCloseOnExec()
            }
        } catch {
            try? readEnd.close()
            try? writeEnd.close()
            throw FileError(path: "pipe", operation: "set up the wake-up pipe", errno: error)
        }
    }

    /// Safe from any thread; wakes one pending or future poll. A full pipe
    /// already holds a wake-up, so a failed write loses nothing.
    public func signal() {
        _ = try? writeEnd.writeAll([1] as [UInt8])
    }

    /// Empties the pipe once woken.
    public func drain() {
        var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while let n = try? withUnsafeMutableBytes(of: &buffer, { try readEnd.read(into: $0) }), n > 0 {}
    }

    deinit {
        try? readEnd.close()
        try? writeEnd.close()
    }
}

extension FileDescriptor {
    /// `O_NONBLOCK` on: reads and writes answer `EAGAIN` instead of waiting.
    func setNonBlocking() throws(Errno) {
        try fcntlSet(F_GETFL, F_SETFL, O_NONBLOCK)
    }

    /// `FD_CLOEXEC` on: not inherited by processes hascale starts.
    func setCloseOnExec() throws(Errno) {
        try fcntlSet(F_GETFD, F_SETFD, FD_CLOEXEC)
    }

    private func fcntlSet(_ get: Int32, _ set: Int32, _ flag: Int32) throws(Errno) {
        let old = fcntl(rawValue, get)
        guard old >= 0 else { throw Errno(rawValue: errno) }
        guard fcntl(rawValue, set, old | flag) >= 0 else { throw Errno(rawValue: errno) }
    }
}
