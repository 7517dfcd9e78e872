#if canImport(Glibc)
import Glibc
#endif
import CDatagramSocket
import HAScale
import SystemPackage

extension DatagramLogReceiver {
    /// The shortest time between two drains of the socket (so at most 50 wake-ups a second):
    /// at 100,000 datagrams/s about 2 MiB of kernel memory, a quarter of the default buffer.
    static let drainSpacing = Duration.milliseconds(20)

    /// The receive thread: wait for the socket, empty it a batch at a time into
    /// the queue, wake the loop; until ``Shared/stop``.
    /// `spacing`: the shortest time between drains (``drainSpacing`` for UDP; zero for a
    /// Unix socket, whose queue holds only `net.unix.max_dgram_qlen` datagrams, 10 by default).
    static func receive(_ socket: FileDescriptor, _ shared: Shared, _ allowed: Set<IPAddress>?, senders senderIndex: [IPAddress: UInt32],
                        spacing: Duration, perDatagramDrops: Bool) {
        let wantsSenders = allowed != nil || !senderIndex.isEmpty
        let slots = UnsafeMutableRawBufferPointer.allocate(byteCount: batch * slotSize, alignment: 64)
        defer { slots.deallocate() }
        var lengths = [UInt32](repeating: 0, count: batch)
        var truncated = [UInt8](repeating: 0, count: batch)
        var senders = [sockaddr_storage](repeating: sockaddr_storage(), count: batch)
        var chunk = Chunk(capacity: chunkBytes)
        var drops: UInt32 = 0
        /// The kernel's count as last put in the queue: only this thread writes it there.
        var published: UInt32 = 0
        var fds = [pollfd(fd: socket.rawValue, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: shared.halt.readEnd.rawValue, events: Int16(POLLIN), revents: 0)]
        var lastDrain = ContinuousClock.now - spacing
        while !shared.stop.load(ordering: .sequentiallyConsistent) {
            fds[0].revents = 0
            fds[1].revents = 0
            let ready = Glibc.poll(&fds, 2, 1000)
            if ready < 0, errno != EINTR {
                let e = Errno(rawValue: errno)
                shared.queue.withLock { $0.failure = e }
                shared.ready.signal()
                return
            }
            // At a high rate, let a batch gather rather than wake (and wake the loop) per
            // datagram: the thread switches, not the bytes, are what a busy receiver pays for.
            // A quiet source is read at once; the kernel's buffer holds the few milliseconds.
            let since = ContinuousClock.now - lastDrain
            if ready > 0, since < spacing {
                let wait = spacing - since
                var ts = timespec(tv_sec: 0, tv_nsec: Int(wait.components.attoseconds / 1_000_000_000))
                var left = timespec()
                while nanosleep(&ts, &left) != 0 && errno == EINTR { ts = left }
            }
            lastDrain = ContinuousClock.now
            var received = 0
            var wake = false
            while true {
                let n = lengths.withUnsafeMutableBufferPointer { l in
                    truncated.withUnsafeMutableBufferPointer { t in
                        senders.withUnsafeMutableBufferPointer { s in
                            withUnsafeMutablePointer(to: &drops) { d in
                                hascale_receive_batch(socket.rawValue, slots.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                                      slotSize, UInt32(batch), l.baseAddress, t.baseAddress,
                                                      wantsSenders ? s.baseAddress : nil, perDatagramDrops ? d : nil)
                            }
                        }
                    }
                }
                if n < 0 {
                    let e = Errno(rawValue: -n)
                    shared.queue.withLock { $0.failure = e }
                    shared.ready.signal()
                    return
                }
                if n == 0 { break }
                received += Int(n)
                var refused = 0, lastRefused: String?
                for i in 0..<Int(n) {
                    var tag: UInt32 = 0
                    if wantsSenders {
                        let from = senderAddress(senders[i])
                        if let allowed {
                            guard let from, allowed.contains(from) else {
                                refused += 1
                                lastRefused = from?.description ?? "an unknown sender"
                                continue
                            }
                        }
                        if let from, let t = senderIndex[from] { tag = t << 24 }
                    }
                    if chunk.bytes.count + 4 + Int(lengths[i]) > chunkBytes {
                        // A long drain (a backlog after a pause) hands over each full chunk.
                        enqueue(&chunk, shared)
                        shared.ready.signal()
                    }
                    if truncated[i] != 0 {
                        withUnsafeBytes(of: overlongMark) { chunk.bytes.append(contentsOf: $0) }
                    } else {
                        withUnsafeBytes(of: lengths[i] | tag) { chunk.bytes.append(contentsOf: $0) }
                        chunk.bytes.append(contentsOf: UnsafeRawBufferPointer(start: slots.baseAddress! + i * slotSize, count: Int(lengths[i])))
                    }
                }
                // The lock only when there is news: a count that stays put is not stored again.
                if refused > 0 || drops > published {
                    let d = drops
                    shared.queue.withLock { q in
                        q.refused += UInt64(refused)
                        if let lastRefused { q.lastRefused = lastRefused }
                        q.kernelDrops = d
                    }
                    published = d
                    wake = true
                }
            }
            // The kernel's exact count, now that the socket is empty (SO_RXQ_OVFL would show
            // it only with the next datagram).
            if received > 0, !perDatagramDrops, hascale_socket_drops(socket.rawValue, &drops) == 0, drops > published {
                let d = drops
                shared.queue.withLock { $0.kernelDrops = d }
                published = d
                wake = true
            }
            // One wake-up of the loop per drain, once the socket is empty: the loop's turns,
            // not the bytes, are what a busy receiver pays for.
            if !chunk.bytes.isEmpty {
                enqueue(&chunk, shared)
                wake = true
            }
            if wake { shared.ready.signal() }
        }
    }

    /// Queues `chunk` (or counts its lines lost when the loop is that far behind) and starts a fresh one;
    /// the caller wakes the loop. A small chunk joins the last queued one when it fits, so the bound is
    /// on bytes, not on turns.
    static func enqueue(_ chunk: inout Chunk, _ shared: Shared) {
        var next: Chunk? = nil
        shared.queue.withLock { q in
            if q.queuedBytes + chunk.bytes.count > maximumQueuedBytes {
                q.queueDrops += UInt64(lineCount(chunk))
                chunk.bytes.removeAll(keepingCapacity: true)
                return
            }
            q.queuedBytes += chunk.bytes.count
            if let last = q.filled.indices.last, q.filled[last].bytes.count + chunk.bytes.count <= chunkBytes {
                q.filled[last].bytes.append(contentsOf: chunk.bytes)
                chunk.bytes.removeAll(keepingCapacity: true)
            } else {
                q.filled.append(chunk)
                next = q.spare.popLast()
            }
        }
        if let next {
            chunk = next
        } else if !chunk.bytes.isEmpty {
            chunk = Chunk(capacity: chunkBytes)
        }
    }

    static func lineCount(_ chunk: Chunk) -> Int {
        chunk.bytes.withUnsafeBytes { all in
            var i = 0, n = 0
            while i + 4 <= all.count {
                let mark = all.loadUnaligned(fromByteOffset: i, as: UInt32.self)
                i += 4 + (mark == overlongMark ? 0 : Int(mark & lengthMask))
                n += 1
            }
            return n
        }
    }

    static func senderAddress(_ s: sockaddr_storage) -> IPAddress? {
        let family = Int32(s.ss_family)
        return withUnsafeBytes(of: s) { raw -> IPAddress? in
            switch family {
            case AF_INET:
                let sin = raw.loadUnaligned(as: sockaddr_in.self)
                return .v4(UInt32(bigEndian: sin.sin_addr.s_addr))
            case AF_INET6:
                let sin6 = raw.loadUnaligned(as: sockaddr_in6.self)
                let bytes = withUnsafeBytes(of: sin6.sin6_addr) { Array($0) }
                return .v6(bytes)
            default:
                return nil
            }
        }
    }

    static func bindUDP(_ address: IPAddress, _ port: UInt16, _ fail: (String, Int32) -> FileError) throws(FileError) -> Int32 {
        let family = if case .v4 = address { AF_INET } else { AF_INET6 }
        let fd = Glibc.socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw fail("create a socket for", errno) }
        var r: Int32
        switch address {
        case .v4(let a):
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            sin.sin_addr.s_addr = a.bigEndian
            r = withUnsafePointer(to: &sin) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        case .v6(let bytes):
            var only: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &only, socklen_t(MemoryLayout<Int32>.size))
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &sin6.sin6_addr) { $0.copyBytes(from: bytes) }
            r = withUnsafePointer(to: &sin6) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        }
        guard r == 0 else {
            let e = errno
            close(fd)
            throw fail(e == EADDRINUSE ? "listen on (another process has the port: a second hascale, or rsyslog's imudp?)" : "listen on", e)
        }
        return fd
    }

    static func bindUnix(_ path: String, _ fail: (String, Int32) -> FileError, _ notices: inout [String]) throws(FileError) -> Int32 {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw fail("create a socket for", errno) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { dst in
            let bytes = Array(path.utf8)
            dst.copyBytes(from: bytes.prefix(dst.count - 1))
        }
        let size = socklen_t(MemoryLayout<sockaddr_un>.size)
        func call(_ f: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32, on socket: Int32) -> Int32 {
            withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { f(socket, $0, size) } }
        }
        var st = stat()
        if lstat(path, &st) == 0 {
            guard st.st_mode & S_IFMT == S_IFSOCK else {
                close(fd)
                throw fail("listen on (the path exists and is not a socket: remove it or choose another)", EEXIST)
            }
            // A socket file someone still reads from is another receiver's; a dead one is ours to replace.
            let probe = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            let alive = probe >= 0 && call(connect, on: probe) == 0
            if probe >= 0 { close(probe) }
            if alive {
                close(fd)
                throw fail("listen on (another process receives on it: a second hascale?)", EADDRINUSE)
            }
            unlink(path)
        }
        guard call(bind, on: fd) == 0 else {
            let e = errno
            close(fd)
            throw fail("listen on", e)
        }
        // HAProxy writes as its own user: the socket is the haproxy group's, like its admin socket.
        chmod(path, 0o660)
        let grouped = getgrnam("haproxy").map { chown(path, uid_t.max, $0.pointee.gr_gid) == 0 } ?? false
        if !grouped, getuid() != 0 {
            notices.append("cannot give \(path) to the haproxy group: HAProxy can write to it only if it runs as uid \(getuid()) or as root")
        }
        return fd
    }

    /// `SO_RCVBUFFORCE` (root, `CAP_NET_ADMIN`: past `net.core.rmem_max`), else `SO_RCVBUF`;
    /// the size the kernel granted (it reports twice the usable bytes; halved back).
    static func setReceiveBuffer(_ fd: Int32, _ bytes: Int) -> Int {
        var want = Int32(clamping: bytes)
        let size = socklen_t(MemoryLayout<Int32>.size)
        if setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, size) != 0 {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want, size)
        }
        var got: Int32 = 0
        var len = size
        getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len)
        return Int(got) / 2
    }
}
