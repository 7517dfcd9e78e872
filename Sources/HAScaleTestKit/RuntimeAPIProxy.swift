import Foundation
import Synchronization

/// A Unix socket in front of HAProxy's admin socket that a test can make
/// hang: commands are then accepted and never answered — HAProxy stuck,
/// as the daemon's watchdog must notice.
public final class RuntimeAPIProxy: @unchecked Sendable {
    public let path: String
    let upstream: String
    let listener: Int32
    private let hanging = Locked(false)
    private let stopped = Locked(false)
    private let held = Locked(0)

    /// Commands received while hanging and held unanswered so far.
    public var heldCommands: Int { held.withLock { $0 } }

    public init(path: String, upstream: String) throws {
        self.path = path
        self.upstream = upstream
        unlink(path)
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard Self.withAddress(path, { bind(listener, $0, $1) }) == 0, listen(listener, 64) == 0 else {
            throw HAProxyProcess.StartError(description: "cannot listen on \(path): errno \(errno)")
        }
        Thread.detachNewThread { [self] in
            while !stopped.withLock({ $0 }) {
                let c = accept(listener, nil, nil)
                guard c >= 0 else { continue }
                Thread.detachNewThread { [self] in serve(c) }
            }
        }
    }

    /// While true, commands get no answer.
    public func setHanging(_ on: Bool) { hanging.withLock { $0 = on } }

    public static func withAddress(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes + [0])
        }
        return withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var request = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 4096)
        while !request.contains(0x0A) {
            let n = read(client, &buf, buf.count)
            if n <= 0 { return }
            request += buf[0..<n]
        }
        if hanging.withLock({ $0 }) { held.withLock { $0 += 1 } }
        while hanging.withLock({ $0 }) && !stopped.withLock({ $0 }) { usleep(20_000) }
        let up = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(up) }
        guard Self.withAddress(upstream, { connect(up, $0, $1) }) == 0 else { return }
        _ = request.withUnsafeBytes { write(up, $0.baseAddress, $0.count) }
        while true {
            let n = read(up, &buf, buf.count)
            if n <= 0 { break }
            _ = buf.withUnsafeBytes { write(client, $0.baseAddress, n) }
        }
    }

    public func stop() {
        stopped.withLock { $0 = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        unlink(path)
    }
}
