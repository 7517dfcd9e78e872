#if canImport(Glibc)
import Glibc
#endif
import HAScale
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
/// the partial-line buffer), valid only during the callback. Reading never
/// waits (regular files answer at once); waiting for a change is
/// ``ChangeWaiter``'s, so the loop can do it off the cooperative pool.
public final class LogFollower: LogReader {
    public typealias Event = LogStreamEvent

    /// How long a rotated-away file is still read after the last data it gave.
    public static let retireGrace = Duration.seconds(2)

    struct OpenFile {
        var fd: FileDescriptor
        var device: UInt64
        var inode: UInt64
        var offset: Int64 = 0
        var watch: Int32 = -1
        var assembler = LineAssembler()
        var lastData: ContinuousClock.Instant = .now
    }

    public let path: FilePath
    let inotify: FileDescriptor
    var directoryWatch: Int32 = -1
    var current: OpenFile?
    var retiring: OpenFile?
    var buffer: UnsafeMutableRawBufferPointer
    var startAtEnd: Bool
    var saidMissing = false
    /// What ``ChangeWaiter`` waits on: this follower's inotify and the wake-up pipe.
    public let waiter: ChangeWaiter
    public let description: String
    public private(set) var bytesRead: UInt64 = 0

    /// - Parameters:
    ///   - startAtEnd: skip what the file holds now (the default of a daemon
    ///     that only cares about new requests); false reads it all first.
    ///   - wakeup: also end a wait when this is signalled.
    public init(path: FilePath, startAtEnd: Bool = true, chunkSize: Int = 1 << 20, wakeup: Wakeup? = nil) throws(FileError) {
        self.path = path
        self.startAtEnd = startAtEnd
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw FileError(path: path, operation: "inotify_init1", errno: Errno(rawValue: errno)) }
        inotify = FileDescriptor(rawValue: fd)
        waiter = ChangeWaiter(inotify: inotify, wakeup: wakeup)
        description = path.string
        buffer = .allocate(byteCount: chunkSize, alignment: 64)
        // On failure, deinit closes and frees what was made so far.
        directoryWatch = try DirectoryWatch.add(fd, for: path, IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB,
                                                purpose: "watch the log's directory")
        if startAtEnd {
            // "The end" is the end at construction, not at the first read.
            try checkPath { _ in }
            saidMissing = false
        }
    }

    deinit {
        if let c = current { try? c.fd.close() }
        if let r = retiring { try? r.fd.close() }
        try? inotify.close()
        buffer.deallocate()
    }

    /// Reads everything the followed files hold now, without waiting.
    public func readAvailable(_ body: (Event) -> Void) throws(FileError) {
        if var r = retiring {
            try drain(&r, body)
            if ContinuousClock.now - r.lastData >= Self.retireGrace {
                r.assembler.flush { body(LogStreamEvent($0)) }
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

    func release(_ f: OpenFile) {
        if f.watch >= 0, f.watch != current?.watch { inotify_rm_watch(inotify.rawValue, f.watch) }
        try? f.fd.close()
    }

    func fail(_ operation: String, _ e: Errno) -> FileError { FileError(path: path, operation: operation, errno: e) }

    /// Reads `file` to its end, restarting at 0 if it was truncated.
    func drain(_ file: inout OpenFile, _ body: (Event) -> Void) throws(FileError) {
        let size: Int64
        do { size = try file.fd.stat().size } catch { throw fail("stat", error) }
        if size < file.offset {
            body(.notice("\(path) was truncated (copytruncate rotation?); reading it again from the start"))
            file.assembler.flush { body(LogStreamEvent($0)) }
            do { file.offset = try file.fd.seek(offset: 0, from: .start) } catch { throw fail("seek to the start of", error as? Errno ?? .ioError) }
        }
        while true {
            let n: Int
            do { n = try file.fd.read(into: buffer) } catch { throw fail("read", error as? Errno ?? .ioError) }
            if n == 0 { return }
            file.offset += Int64(n)
            file.lastData = .now
            bytesRead &+= UInt64(n)
            file.assembler.consume(UnsafeRawBufferPointer(start: buffer.baseAddress, count: n)) { body(LogStreamEvent($0)) }
        }
    }

    /// Notices a new file at the path (rotation, late creation) or its absence.
    func checkPath(_ body: (Event) -> Void) throws(FileError) {
        let st: Stat
        do { st = try Stat(path) } catch {
            if !saidMissing {
                saidMissing = true
                body(.notice(current == nil
                    ? "\(path) does not exist yet; waiting for it to appear"
                    : "\(path) is gone; still reading the file that was open, waiting for a new one"))
            }
            return
        }
        let device = UInt64(st.deviceID.rawValue), inode = UInt64(st.inode.rawValue)
        if let c = current, c.device == device, c.inode == inode { return }
        let fd: FileDescriptor
        do { fd = try FileDescriptor.open(path, .readOnly, options: [.closeOnExec]) } catch {
            let e = error as? Errno ?? .ioError
            if e == .noSuchFileOrDirectory { return }  // gone again between stat and open
            throw fail("open", e)
        }
        let opened: Stat
        do { opened = try fd.stat() } catch {
            try? fd.close()
            throw fail("stat", error)
        }
        var file = OpenFile(fd: fd, device: UInt64(opened.deviceID.rawValue), inode: UInt64(opened.inode.rawValue))
        if current == nil, !saidMissing, startAtEnd {
            do { file.offset = try fd.seek(offset: 0, from: .end) } catch {
                try? fd.close()
                throw fail("seek to the end of", error as? Errno ?? .ioError)
            }
        }
        // Without this watch appends are still read, at the next tick instead of at once.
        file.watch = inotify_add_watch(inotify.rawValue, path.string, UInt32(IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF))
        if file.watch < 0 {
            body(.notice("cannot watch \(path) itself (\(Errno(rawValue: errno))); new lines are read every tick instead of at once"))
        }
        if let old = current {
            body(.notice("\(path) was replaced (rotation); finishing the old file, reading the new one from the start"))
            if var r = retiring {
                r.assembler.flush { body(LogStreamEvent($0)) }
                release(r)
            }
            retiring = old
        } else if saidMissing {
            body(.notice("\(path) appeared; reading it from the start"))
        }
        saidMissing = false
        startAtEnd = false
        current = file
        try drain(&file, body)
        current = file
    }
}
