#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

/// Waits until a log source may have something new, the wake-up pipe is
/// signalled, or a timeout passes. It holds only descriptors, so it can be
/// handed to a thread that may block; the reader that made it must outlive the wait.
public struct ChangeWaiter: Sendable {
    /// Descriptors to poll and their `poll(2)` events.
    let watched: [Watched]
    /// An inotify descriptor this waiter empties itself once woken (its events
    /// only say "look again"); other descriptors are read by their reader.
    let inotify: FileDescriptor?
    let wakeup: Wakeup?

    public struct Watched: Sendable {
        public var fd: Int32
        public var events: Int16
        public init(fd: Int32, events: Int16) {
            self.fd = fd
            self.events = events
        }
    }

    public init(inotify: FileDescriptor, wakeup: Wakeup?) {
        watched = [Watched(fd: inotify.rawValue, events: Int16(POLLIN))]
        self.inotify = inotify
        self.wakeup = wakeup
    }

    /// Waits on `watched` only: the reader drains them itself.
    public init(watching watched: [Watched], wakeup: Wakeup?) {
        self.watched = watched
        inotify = nil
        self.wakeup = wakeup
    }

    /// Blocks the calling thread for at most `timeout`.
    public func wait(timeout: Duration) {
        var fds = watched.map { pollfd(fd: $0.fd, events: $0.events, revents: 0) }
        if let w = wakeup { fds.append(pollfd(fd: w.readEnd.rawValue, events: Int16(POLLIN), revents: 0)) }
        let n = Glibc.poll(&fds, nfds_t(fds.count), timeout.pollMilliseconds)
        guard n > 0 else { return }
        if let inotify {
            var scratch = [UInt8](repeating: 0, count: 16 * 1024)
            while (try? scratch.withUnsafeMutableBytes({ try inotify.read(into: $0) })).map({ $0 > 0 }) ?? false {}
        }
        wakeup?.drain()
    }
}
