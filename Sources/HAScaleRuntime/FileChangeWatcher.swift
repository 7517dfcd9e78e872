#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HAScale
import Synchronization
import SystemPackage

/// Calls back when a file's content may have changed: watched through its
/// directory, because editors and config tools replace files by rename.
/// Bursts of events (write, then rename) are settled for ``settle`` first.
public final class FileChangeWatcher: Sendable {
    public static let settle = Duration.milliseconds(200)

    let path: FilePath
    let wakeup: Wakeup
    let stopped = Atomic<Bool>(false)

    /// Starts watching; `changed` runs on the watcher's own thread.
    public init(path: FilePath, changed: @escaping @Sendable () -> Void) throws(FileError) {
        self.path = path
        wakeup = try Wakeup()
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw FileError(path: path, operation: "inotify_init1", errno: Errno(rawValue: errno)) }
        do {
            _ = try DirectoryWatch.add(fd, for: path, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_ATTRIB | IN_MODIFY,
                                       purpose: "watch the inventory's directory")
        } catch {
            close(fd)
            throw error
        }
        let wake = wakeup.readEnd.rawValue
        Thread.detachNewThread { [self] in
            var last = signature()
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            while !stopped.load(ordering: .relaxed) {
                var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
                guard Glibc.poll(&fds, 2, -1) > 0, !stopped.load(ordering: .relaxed) else { continue }
                // Let a burst finish, then look once.
                repeat {
                    while read(fd, &buffer, buffer.count) > 0 {}
                    var one = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
                    if Glibc.poll(&one, 1, Self.settle.pollMilliseconds) <= 0 { break }
                } while true
                let now = signature()
                if now != last {
                    last = now
                    changed()
                }
            }
            close(fd)
        }
    }

    /// inode, size, modification time: a change in any means "read it again".
    func signature() -> [Int] {
        var st = stat()
        guard stat(path.string, &st) == 0 else { return [] }
        return [Int(st.st_ino), Int(st.st_size), st.st_mtim.tv_sec, st.st_mtim.tv_nsec]
    }

    public func stop() {
        stopped.store(true, ordering: .relaxed)
        wakeup.signal()
    }
}
