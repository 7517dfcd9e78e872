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

    /// Stable per kind, so `journalctl MESSAGE_ID=…` finds one kind across versions.
    static func messageID(_ kind: HistoryEvent.Kind) -> String {
        switch kind {
        case .scaleUp: "96568f2c2e1147bead7619dfd86302eb"
        case .scaleDown: "c566b5f3ebeb471e9191fd8afac3fbf7"
        case .warmupFailed: "64d7e17ef52a4eb693a7fcfaf580eb3b"
        case .drainStarted: "83448cb04a7a41e58357f6ccaa4d65e6"
        case .drainTimeout: "8c33e2ab597e42c79af9ecb300af7862"
        case .drift: "820e63f2a4d14d6fbab82c2be4fbf0c2"
        case .configReloaded: "0d759e8b1010421e803d430b79270660"
        case .configRejected: "29c24bb3db4f4f29b089ead00f9b0a66"
        case .decisionSuppressed: "601b0e843c4a46dbac38bc80ef42f4d4"
        }
    }

    /// syslog priorities: what deserves attention is a warning or worse.
    static func priority(_ kind: HistoryEvent.Kind) -> Int {
        switch kind {
        case .scaleUp, .scaleDown, .drainStarted, .configReloaded: 5
        case .warmupFailed, .drainTimeout, .drift: 4
        case .configRejected: 3
        case .decisionSuppressed: 6
        }
    }

    /// One scaling-history entry; see `hascale history`.
    @discardableResult
    static func record(_ e: HistoryEvent) -> Bool {
        var fields: [(String, String)] = [
            ("MESSAGE", e.message),
            ("PRIORITY", "\(priority(e.kind))"),
            ("SYSLOG_IDENTIFIER", "hascale"),
            ("MESSAGE_ID", messageID(e.kind)),
            ("HASCALE_EVENT", e.kind.rawValue),
            ("HASCALE_REASON", e.reason),
        ]
        if let b = e.backend { fields.append(("HASCALE_BACKEND", b)) }
        if let s = e.server { fields.append(("HASCALE_SERVER", s)) }
        if let m = e.metricMs { fields.append(("HASCALE_METRIC_MS", "\(Int(m.rounded()))")) }
        if let t = e.thresholdMs { fields.append(("HASCALE_THRESHOLD_MS", "\(Int(t.rounded()))")) }
        if let a = e.active { fields.append(("HASCALE_ACTIVE", "\(a)")) }
        return send(fields)
    }
}
