#if canImport(Glibc)
import Glibc
#endif
import HAProxyNames
import SystemPackage

/// Sends one command per connection to HAProxy's runtime API and returns the answer.
///
/// This is the only path from hascale to HAProxy, straight over the socket. One
/// command per connection (HAProxy's non-interactive mode) means a lost
/// connection can never leave a half-read answer behind for the next command.
/// Calls block for at most the connect timeout plus the read timeout.
public struct RuntimeAPIClient: Sendable {
    public let address: RuntimeAPIAddress
    public var connectTimeout: Duration
    public var readTimeout: Duration

    public init(address: RuntimeAPIAddress, connectTimeout: Duration = .seconds(2), readTimeout: Duration = .seconds(5)) {
        self.address = address
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
    }

    /// Sends `command` and returns HAProxy's answer. Action commands succeed only
    /// on an empty answer; anything HAProxy says instead becomes ``RuntimeAPIError/refused``.
    @discardableResult
    public func send(_ command: RuntimeCommand) throws(RuntimeAPIError) -> String {
        try RuntimeReply.checked(try exchange(command.description), to: command, from: address.description)
    }

    private static func milliseconds(_ d: Duration) -> Int32 {
        let c = d.components
        return Int32(clamping: c.seconds * 1000 + c.attoseconds / 1_000_000_000_000_000)
    }

    private func connectFailure(_ err: Int32, _ what: String) -> RuntimeAPIError {
        .connectFailed(address: address.description, errno: err, message: "\(what): \(Errno(rawValue: err))")
    }

    /// One connect, write, read-until-close.
    func exchange(_ command: String) throws(RuntimeAPIError) -> String {
        let fd = try connect()
        defer { try? fd.close() }
        let line = Array((command + "\n").utf8)
        var sent = 0
        while sent < line.count {
            let n = line.withUnsafeBytes { Glibc.send(fd.rawValue, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw connectFailure(errno, "send failed")
            }
            sent += n
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        let clock = ContinuousClock()
        let deadline = clock.now + readTimeout
        while true {
            let left = clock.now.duration(to: deadline)
            guard left > .zero else {
                throw .timedOut(address: address.description, command: command, seconds: Double(Self.milliseconds(readTimeout)) / 1000)
            }
            var pfd = pollfd(fd: fd.rawValue, events: Int16(POLLIN), revents: 0)
            let r = poll(&pfd, 1, max(1, Self.milliseconds(left)))
            if r < 0 {
                if errno == EINTR { continue }
                throw connectFailure(errno, "poll failed")
            }
            if r == 0 { continue }
            let n = buffer.withUnsafeMutableBytes { Glibc.recv(fd.rawValue, $0.baseAddress!, $0.count, 0) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw connectFailure(errno, "read failed")
            }
            if n == 0 { break }
            answer.append(contentsOf: buffer[0..<n])
            // The runtime API ends every answer with an empty line before closing.
        }
        return String(decoding: answer, as: UTF8.self)
    }

    private func connect() throws(RuntimeAPIError) -> FileDescriptor {
        switch address {
        case .unix(let path):
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
                throw .invalidAddress(path, reason: "is longer than a Unix socket path may be (107 bytes)")
            }
            withUnsafeMutableBytes(of: &addr.sun_path) { p in
                p.copyBytes(from: bytes)
                p[bytes.count] = 0
            }
            return try connect(family: AF_UNIX, &addr, socklen_t(MemoryLayout<sockaddr_un>.size))
        case .tcp(let host, let port, let v6):
            if v6 {
                var addr = sockaddr_in6()
                addr.sin6_family = sa_family_t(AF_INET6)
                addr.sin6_port = port.bigEndian
                guard inet_pton(AF_INET6, host, &addr.sin6_addr) == 1 else {
                    throw .invalidAddress(address.description, reason: "does not hold an IPv6 address")
                }
                return try connect(family: AF_INET6, &addr, socklen_t(MemoryLayout<sockaddr_in6>.size))
            }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = port.bigEndian
            guard inet_pton(AF_INET, host, &addr.sin_addr) == 1 else {
                throw .invalidAddress(address.description, reason: "does not hold an IPv4 address")
            }
            return try connect(family: AF_INET, &addr, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }

    private func connect<A>(family: Int32, _ addr: inout A, _ len: socklen_t) throws(RuntimeAPIError) -> FileDescriptor {
        let raw = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard raw >= 0 else { throw connectFailure(errno, "socket failed") }
        let fd = FileDescriptor(rawValue: raw)
        let r = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(raw, $0, len) }
        }
        if r != 0 {
            let err = errno
            guard err == EINPROGRESS || err == EAGAIN else {
                try? fd.close()
                let what: String
                switch err {
                case ENOENT: what = "no socket at this path (is HAProxy running with this `stats socket`?)"
                case EACCES: what = "permission denied (add this user to the socket's group, and use `mode 660`)"
                case ECONNREFUSED: what = "connection refused (HAProxy is not listening there)"
                default: what = "connect failed"
                }
                throw connectFailure(err, what)
            }
            var pfd = pollfd(fd: raw, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&pfd, 1, Self.milliseconds(connectTimeout))
            var soError: Int32 = 0
            var soLen = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(raw, SOL_SOCKET, SO_ERROR, &soError, &soLen)
            guard ready == 1, soError == 0 else {
                try? fd.close()
                if ready == 0 {
                    throw .timedOut(address: address.description, command: "connect", seconds: Double(Self.milliseconds(connectTimeout)) / 1000)
                }
                throw connectFailure(soError, "connect failed")
            }
        }
        return fd
    }
}
