#if canImport(Glibc)
import Glibc
#endif
import CDatagramSocket
import HAScale
import LogParser
import NIOPosix
import Synchronization
import SystemPackage

/// A syslog receiver: HAProxy's `log 127.0.0.1:5140 local0` (UDP) or
/// `log /run/hascale/haproxy.sock local0` (a Unix datagram socket), one
/// datagram per log line, RFC 3164 or RFC 5424 as HAProxy frames them (the
/// scanner reads both).
///
/// A thread of its own empties the socket in batches (`recvmmsg`) into a
/// bounded in-memory queue, so a busy loop turn (a decision, a resync) never
/// leaves datagrams to overflow the kernel's buffer. What is lost anyway is
/// counted, not silent: the kernel's drops (`SO_MEMINFO`, else `SO_RXQ_OVFL`), the queue's, and
/// datagrams from senders outside `"log_sources_allowed"`.
public final class DatagramLogReceiver: LogReader, @unchecked Sendable {
    /// What the receive thread and the loop share.
    final class Shared: Sendable {
        struct Queue {
            var filled: [Chunk] = []
            var spare: [Chunk] = []
            var kernelDrops: UInt32 = 0
            var queueDrops: UInt64 = 0
            var queuedBytes = 0
            var refused: UInt64 = 0
            var lastRefused = ""
            var failure: Errno?
        }
        let queue = Mutex(Queue())
        let stop = Atomic<Bool>(false)
        /// Wakes the loop's ``ChangeWaiter`` when a batch is queued.
        let ready: Wakeup
        /// Wakes the receive thread at shutdown.
        let halt: Wakeup
        init() throws(FileError) {
            ready = try Wakeup()
            halt = try Wakeup()
        }
    }

    /// Datagrams, each stored as a 4-byte word and its bytes: the length in the low
    /// 24 bits, the sender's index in ``senders`` plus one in the high 8 (0: not a
    /// listed sender); ``overlongMark`` alone for one longer than the scanner reads.
    struct Chunk {
        var bytes: [UInt8]
        init(capacity: Int) {
            bytes = []
            bytes.reserveCapacity(capacity)
        }
    }

    public static let chunkBytes = 1 << 20
    /// 8 MiB: at 100,000 lines/s on loopback (about 1 KiB of kernel memory each), most of a second.
    public static let defaultReceiveBuffer = 8 << 20
    /// At most this much waits for the loop (64 MiB: two seconds at 100,000 lines/s).
    public static let maximumQueuedBytes = 64 << 20
    static let batch = 256
    static let slotSize = LogLineScanner.maximumLineLength + 1
    static let overlongMark = UInt32.max
    static let lengthMask: UInt32 = 0x00FF_FFFF
    /// Senders a datagram can be attributed to (the high byte holds index + 1).
    public static let maximumSenders = 254

    public let source: LogSource
    public let waiter: ChangeWaiter
    /// The receive buffer the kernel granted (it may be less than asked; see ``notices``).
    public let receiveBufferBytes: Int
    let socket: FileDescriptor
    let shared: Shared
    let thread: NIOThreadPool
    let unlinkOnClose: String?
    var reportedKernelDrops: UInt32 = 0
    var reportedQueueDrops: UInt64 = 0
    var reportedRefused: UInt64 = 0
    var pendingNotices: [String]
    var saidFailure = false

    public var description: String { source.description }

    /// Binds the socket and starts the receive thread.
    /// - Parameters:
    ///   - allowed: senders accepted on a non-loopback address (the loader requires the list there).
    ///   - senders: addresses whose datagrams are told apart (``LogStreamEvent/line(_:sender:)``
    ///     carries the index here): several HAProxy nodes logging to one controller. At
    ///     most ``maximumSenders``; empty: the sender is neither asked for nor told.
    ///   - receiveBuffer: `SO_RCVBUF` asked for; `SO_RCVBUFFORCE` first, where the process may.
    public init(_ source: LogSource, allowed: [IPAddress] = [], senders: [IPAddress] = [], receiveBuffer: Int = defaultReceiveBuffer,
                wakeup: Wakeup? = nil) throws(FileError) {
        precondition(senders.count <= Self.maximumSenders, "at most \(Self.maximumSenders) senders are told apart")
        self.source = source
        let path = FilePath(source.description)
        func fail(_ operation: String, _ e: Int32 = errno) -> FileError { FileError(path: path, operation: operation, errno: Errno(rawValue: e)) }
        let fd: Int32
        var notices: [String] = []
        switch source {
        case .udp(let address, let port):
            fd = try Self.bindUDP(address, port, fail)
        case .unixDatagram(let p):
            fd = try Self.bindUnix(p, fail, &notices)
        default:
            preconditionFailure("DatagramLogReceiver serves udp:// and unix: sources, not \(source)")
        }
        socket = FileDescriptor(rawValue: fd)
        unlinkOnClose = if case .unixDatagram(let p) = source { p } else { nil }
        let granted = Self.setReceiveBuffer(fd, receiveBuffer)
        receiveBufferBytes = granted
        if granted < receiveBuffer {
            notices.append("the receive buffer of \(source) is \(granted) bytes, not the \(receiveBuffer) asked: bursts may be dropped by the kernel (they are counted). Raise it with `sysctl -w net.core.rmem_max=\(receiveBuffer)` (and in /etc/sysctl.d/ to keep it)")
        }
        // SO_MEMINFO, read once the socket is empty, gives the kernel's count exactly and costs one
        // call per drain; SO_RXQ_OVFL, a control message on every datagram, only where it is missing.
        var probe: UInt32 = 0
        let exactDrops = hascale_socket_drops(fd, &probe) == 0
        if !exactDrops, hascale_enable_drop_counter(fd) != 0 {
            notices.append("the kernel will not count dropped datagrams on \(source) (SO_MEMINFO, SO_RXQ_OVFL): losses would go unseen")
        }
        pendingNotices = notices
        do { shared = try Shared() } catch {
            close(fd)
            throw error
        }
        waiter = ChangeWaiter(watching: [.init(fd: shared.ready.readEnd.rawValue, events: Int16(POLLIN))], wakeup: wakeup)
        thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        let allowedSet = source.listensBeyondLoopback ? Set(allowed) : nil
        var senderIndex: [IPAddress: UInt32] = [:]
        for (i, a) in senders.enumerated() where senderIndex[a] == nil { senderIndex[a] = UInt32(i + 1) }
        let shared = self.shared, socket = self.socket
        let spacing = if case .udp = source { Self.drainSpacing } else { Duration.zero }
        thread.submit { _ in Self.receive(socket, shared, allowedSet, senders: senderIndex, spacing: spacing, perDatagramDrops: !exactDrops) }
    }

    deinit {
        shared.stop.store(true, ordering: .sequentiallyConsistent)
        shared.halt.signal()
        try? thread.syncShutdownGracefully()
        try? socket.close()
        if let p = unlinkOnClose { unlink(p) }
    }

    public func readAvailable(_ body: (LogStreamEvent) -> Void) throws(FileError) {
        // Emptied before the queue is taken: a batch queued after this wakes the next wait.
        shared.ready.drain()
        for n in pendingNotices { body(.notice(n)) }
        pendingNotices = []
        let (chunks, kernel, queue, refused, lastRefused, failure) = shared.queue.withLock { q in
            let taken = q.filled
            q.filled = []
            q.queuedBytes = 0
            return (taken, q.kernelDrops, q.queueDrops, q.refused, q.lastRefused, q.failure)
        }
        var returned: [Chunk] = []
        for chunk in chunks {
            chunk.bytes.withUnsafeBytes { all in
                var i = 0
                while i + 4 <= all.count {
                    let mark = all.loadUnaligned(fromByteOffset: i, as: UInt32.self)
                    let start = i + 4
                    if mark == Self.overlongMark {
                        body(.overlong)
                        i = start
                        continue
                    }
                    i = start + Int(mark & Self.lengthMask)
                    var end = i
                    // HAProxy ends each message with a newline; a NUL is seen from other senders.
                    while end > start, all[end - 1] == 0x0a || all[end - 1] == 0x0d || all[end - 1] == 0 { end -= 1 }
                    body(.line(UnsafeRawBufferPointer(rebasing: all[start..<end]), sender: Int(mark >> 24) - 1))
                }
            }
            returned.append(chunk)
        }
        if !returned.isEmpty {
            shared.queue.withLock { q in
                for var c in returned where q.spare.count < 4 {
                    c.bytes.removeAll(keepingCapacity: true)
                    q.spare.append(c)
                }
            }
        }
        if kernel > reportedKernelDrops {
            body(.lost(count: UInt64(kernel &- reportedKernelDrops), .receiveBufferFull(bufferBytes: receiveBufferBytes)))
            reportedKernelDrops = kernel
        }
        if queue > reportedQueueDrops {
            body(.lost(count: queue - reportedQueueDrops, .queueFull))
            reportedQueueDrops = queue
        }
        if refused > reportedRefused {
            body(.lost(count: refused - reportedRefused, .senderNotAllowed(lastRefused)))
            reportedRefused = refused
        }
        if let failure, !saidFailure {
            saidFailure = true
            throw FileError(path: FilePath(source.description), operation: "receive from", errno: failure)
        }
    }
}
