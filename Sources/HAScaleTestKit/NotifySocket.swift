import Foundation
import Synchronization

/// What systemd's `NOTIFY_SOCKET` is: a datagram socket the service sends
/// `READY=1`, `STATUS=…`, `WATCHDOG=1` to. Tests read it as systemd would.
public final class NotifySocket: @unchecked Sendable {
    public struct Message: Sendable {
        public var at: Date
        public var text: String
    }

    public let path: String
    let fd: Int32
    private let box = Locked([Message]())

    public init(path: String) throws {
        self.path = path
        unlink(path)
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard RuntimeAPIProxy.withAddress(path, { bind(fd, $0, $1) }) == 0 else {
            throw HAProxyProcess.StartError(description: "cannot bind \(path): errno \(errno)")
        }
        Thread.detachNewThread { [fd, box] in
            var buf = [UInt8](repeating: 0, count: 8192)
            while true {
                let n = recv(fd, &buf, buf.count, 0)
                if n < 0 { if errno == EINTR { continue } else { return } }
                let text = String(decoding: buf[0..<n], as: UTF8.self)
                box.withLock { $0.append(Message(at: Date(), text: text)) }
            }
        }
    }

    public var messages: [Message] { box.withLock { $0 } }

    /// Every `NAME=value` assignment received, in order, with its arrival time.
    public var assignments: [(at: Date, name: String, value: String)] {
        messages.flatMap { m in
            m.text.split(separator: "\n").compactMap { line -> (Date, String, String)? in
                guard let eq = line.firstIndex(of: "=") else { return nil }
                return (m.at, String(line[..<eq]), String(line[line.index(after: eq)...]))
            }
        }
    }

    public func close() {
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
        unlink(path)
    }
}
