import CSystemd
import Glibc
import HAScale

/// Structured entries for journald through `sd_journal_sendv` (the variadic
/// `sd_journal_send` cannot be called from Swift): each field is one
/// `NAME=value` iovec, so values may hold any bytes, newlines included.
enum Journal {
    static let socketPath = "/run/systemd/journal/socket"

    /// Whether a journald listens here (a service, or one started by hand):
    /// a socket file left by a stopped journald refuses the connection.
    static var isReachable: Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: Array(socketPath.utf8) + [0]) }
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        } == 0
    }

    /// Sends one entry; false when journald is not there or refused it.
    @discardableResult
    static func send(_ fields: [(String, String)]) -> Bool {
        let entries = fields.map { Array("\($0.0)=\($0.1)".utf8) }
        let total = entries.reduce(0) { $0 + $1.count }
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, total), alignment: 1)
        defer { storage.deallocate() }
        var iov: [iovec] = []
        var offset = 0
        for e in entries {
            let base = storage.baseAddress! + offset
            e.withUnsafeBytes { base.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            iov.append(iovec(iov_base: base, iov_len: e.count))
            offset += e.count
        }
        return sd_journal_sendv(&iov, Int32(iov.count)) >= 0
    }

    /// One scaling-history entry, fields as ``HistorySchema`` names them; see `hascale history`.
    @discardableResult
    static func record(_ e: HistoryEvent) -> Bool {
        send(HistorySchema.encode(e).map { ($0.name, $0.value) })
    }
}
