#if canImport(Glibc)
import Glibc
#endif
import LogParser
import SystemPackage

/// Follows a log file the way `tail -F` does, driven by inotify.
///
/// - Rename-and-create rotation: the old file is read to its end (and kept
///   open for ``retireGrace`` in case the writer has not reopened yet) before
///   the new one is read from its start.
/// - copytruncate: a file that shrank below what was read is read again from 0.
/// - Deletion and late creation: it waits for the path to appear, and says so once.
/// - A partial last line is held until its newline arrives.
///
/// Reads go into one reused buffer; lines are handed out as slices of it (or of
/// the partial-line buffer), valid only during the callback.
public final class LogFollower {
    public enum Event {
        case line(UnsafeRawBufferPointer)
        /// A line longer than the scanner's limit was skipped.
        case overlong
        /// Something an operator should know: waiting, rotation, truncation.
        case notice(String)
    }

    /// How long a rotated-away file is still read after the last data it gave.
    public static let retireGrace = Duration.seconds(2)

    struct OpenFile {
        var fd: Int32
        var device: UInt64
        var inode: UInt64
        var offset: Int64 = 0
        var watch: Int32 = -1
        var assembler = LineAssembler()
        var lastData: ContinuousClock.Instant = .now
    }

    public let path: FilePath
    let inotify: Int32
    var directoryWatch: Int32 = -1
    var current: OpenFile?
    var retiring: OpenFile?
    var buffer: UnsafeMutableRawBufferPointer
    var startAtEnd: Bool
    var saidMissing = false
    let wakeup: Wakeup?
    public private(set) var bytesRead: UInt64 = 0

    /// - Parameters:
    ///   - startAtEnd: skip what the file holds now (the default of a daemon
    ///     that only cares about new requests); false reads it all first.
    ///   - wakeup: also return from ``poll(timeout:_:)`` when this is signalled.
    public init(path: FilePath, startAtEnd: Bool = true, chunkSize: Int = 1 << 20, wakeup: Wakeup? = nil) throws(FileError) {
        self.path = path
        self.startAtEnd = startAtEnd
        self.wakeup = wakeup
        inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard inotify >= 0 else { throw FileError(path: path, operation: "inotify_init1", errno: Errno(rawValue: errno)) }
        buffer = .allocate(byteCount: chunkSize, alignment: 64)
        // On failure, deinit closes and frees what was made so far.
        directoryWatch = try DirectoryWatch.add(inotify, for: path, IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB,
                                                purpose: "watch the log's directory")
        if startAtEnd {
            // "The end" is the end at construction, not at the first poll.
            try checkPath { _ in }
            saidMissing = false
        }
    }

    deinit {
        if let c = current { close(c.fd) }
        if let r = retiring { close(r.fd) }
        close(inotify)
        buffer.deallocate()
    }

    /// Reads what is there, then waits up to `timeout` for the file to change
    /// (or for the wakeup), reads again and returns. `body` sees lines in order.
    public func poll(timeout: Duration, _ body: (Event) -> Void) throws(FileError) {
        try service(body)
        var fds = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0)]
        if let w = wakeup { fds.append(pollfd(fd: w.readFD, events: Int16(POLLIN), revents: 0)) }
        let n = Glibc.poll(&fds, nfds_t(fds.count), timeout.pollMilliseconds)
        if n > 0 {
            drainInotify()
            wakeup?.drain()
        }
        try service(body)
    }

    func drainInotify() {
        // The events only say "look again"; which file changed is found by stat.
        while read(inotify, buffer.baseAddress, min(buffer.count, 64 * 1024)) > 0 {}
    }

    func service(_ body: (Event) -> Void) throws(FileError) {
        if var r = retiring {
            try drain(&r, body)
            if ContinuousClock.now - r.lastData >= Self.retireGrace {
                r.assembler.flush { body(Self.event($0)) }
                release(r)
                retiring = nil
            } else {
                retiring = r
            }
        }
        if var c = current {
            try drain(&c, body)
            current = c
        }
        try checkPath(body)
    }

    static func event(_ e: LineAssembler.Event) -> Event {
        switch e {
        case .line(let l): .line(l)
        case .overlong: .overlong
        }
    }

    func release(_ f: OpenFile) {
        if f.watch >= 0, f.watch != current?.watch { inotify_rm_watch(inotify, f.watch) }
        close(f.fd)
    }

    /// Reads `file` to its end, restarting at 0 if it was truncated.
    func drain(_ file: inout OpenFile, _ body: (Event) -> Void) throws(FileError) {
        var st = stat()
        if fstat(file.fd, &st) == 0, Int64(st.st_size) < file.offset {
            body(.notice("\(path) was truncated (copytruncate rotation?); reading it again from the start"))
            file.assembler.flush { body(Self.event($0)) }
            lseek(file.fd, 0, SEEK_SET)
            file.offset = 0
        }
        while true {
            let n = read(file.fd, buffer.baseAddress, buffer.count)
            if n > 0 {
                file.offset += Int64(n)
                file.lastData = .now
                bytesRead &+= UInt64(n)
                file.assembler.consume(UnsafeRawBufferPointer(start: buffer.baseAddress, count: n)) { body(Self.event($0)) }
                continue
            }
            if n == 0 { return }
            if errno == EINTR { continue }
            throw FileError(path: path, operation: "read", errno: Errno(rawValue: errno))
        }
    }

    /// Notices a new file at the path (rotation, late creation) or its absence.
    func checkPath(_ body: (Event) -> Void) throws(FileError) {
        var st = stat()
        guard stat(path.string, &st) == 0 else {
            if !saidMissing {
                saidMissing = true
                body(.notice(current == nil
                    ? "\(path) does not exist yet; waiting for it to appear"
                    : "\(path) is gone; still reading the file that was open, waiting for a new one"))
            }
            return
        }
        let device = UInt64(st.st_dev), inode = UInt64(st.st_ino)
        if let c = current, c.device == device, c.inode == inode { return }
        let fd = open(path.string, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let e = Errno(rawValue: errno)
            if e == .noSuchFileOrDirectory { return }  // gone again between stat and open
            throw FileError(path: path, operation: "open", errno: e)
        }
        var opened = stat()
        fstat(fd, &opened)
        var file = OpenFile(fd: fd, device: UInt64(opened.st_dev), inode: UInt64(opened.st_ino))
        file.watch = inotify_add_watch(inotify, path.string, UInt32(IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF))
        if let old = current {
            body(.notice("\(path) was replaced (rotation); finishing the old file, reading the new one from the start"))
            if let r = retiring {
                var r = r
                r.assembler.flush { body(Self.event($0)) }
                release(r)
            }
            retiring = old
        } else if saidMissing {
            body(.notice("\(path) appeared; reading it from the start"))
        } else if startAtEnd {
            file.offset = Int64(lseek(fd, 0, SEEK_END))
        }
        saidMissing = false
        startAtEnd = false
        current = file
        try drain(&file, body)
        current = file
    }
}
