import CSystemd
import Glibc
import HAScale
import HAScaleRuntime
import SystemPackage

/// `--log journal:UNIT`: HAProxy's request lines as journald stored them, read
/// through `sd_journal_*` (journald's own indexes pick the entries; each
/// `MESSAGE` is scanned as a raw payload).
///
/// Entries of the unit (`_SYSTEMD_UNIT`), or of `SYSLOG_IDENTIFIER=haproxy` for
/// an HAProxy that logs to `/dev/log` outside a unit, and journald's own
/// "Suppressed N messages" entries, which become ``LogLoss/journalRateLimited(unit:)``.
/// libsystemd follows rotation, vacuuming and journald restarts itself; should
/// reading fail anyway, the journal is opened again at the cursor of the last
/// entry read, which is not read twice.
final class JournalFollower: LogReader {
    /// `SD_MESSAGE_JOURNAL_DROPPED`: what journald writes when it rate-limits a unit.
    static let droppedMessageID = "a596d6fe7bfa4994828e72309e95d61e"
    /// Entries handed out per turn at most, so a backlog cannot starve the loop's clock.
    static let entriesPerTurn = 50_000

    let unit: String
    var journal: OpaquePointer
    var waiterFd: Int32
    let wakeupPipe: Wakeup?
    private(set) var waiter: ChangeWaiter
    var cursor: String?
    var failing = false
    var description: String { "journal:\(unit)" }

    /// - Parameter backlog: at the tail, step back over this many entries first
    ///   (`doctor` looks at what HAProxy logged lately).
    init(unit: String, fromStart: Bool, backlog: UInt64 = 0, wakeup: Wakeup?) throws(FileError) {
        self.unit = unit
        wakeupPipe = wakeup
        journal = try Self.open(unit)
        if fromStart {
            sd_journal_seek_head(journal)
        } else {
            // At the last entry: the next `sd_journal_next` gives the first new one.
            sd_journal_seek_tail(journal)
            sd_journal_previous_skip(journal, backlog + 1)
        }
        (waiterFd, waiter) = try Self.waiter(journal, unit, wakeup)
    }

    deinit { sd_journal_close(journal) }

    static func fail(_ unit: String, _ operation: String, _ r: Int32) -> FileError {
        FileError(path: FilePath("journal:\(unit)"), operation: operation, errno: Errno(rawValue: -r))
    }

    static func open(_ unit: String) throws(FileError) -> OpaquePointer {
        var j: OpaquePointer?
        let r = sd_journal_open(&j, Int32(SD_JOURNAL_LOCAL_ONLY))
        guard r >= 0, let j else {
            throw fail(unit, "open (reading the journal needs root or the adm or systemd-journal group)", r)
        }
        // Matches on one field are ORed; add_disjunction ORs the groups.
        for (i, m) in ["_SYSTEMD_UNIT=\(unit)", "SYSLOG_IDENTIFIER=haproxy", "MESSAGE_ID=\(droppedMessageID)"].enumerated() {
            if i > 0 { sd_journal_add_disjunction(j) }
            let r = m.withCString { sd_journal_add_match(j, $0, 0) }
            guard r >= 0 else {
                sd_journal_close(j)
                throw fail(unit, "match \(m) in", r)
            }
        }
        return j
    }

    static func waiter(_ j: OpaquePointer, _ unit: String, _ wakeup: Wakeup?) throws(FileError) -> (Int32, ChangeWaiter) {
        let fd = sd_journal_get_fd(j)
        guard fd >= 0 else { throw fail(unit, "watch", fd) }
        let events = sd_journal_get_events(j)
        return (fd, ChangeWaiter(watching: [.init(fd: fd, events: Int16(events > 0 ? events : Int32(POLLIN)))], wakeup: wakeup))
    }

    func readAvailable(_ body: (LogStreamEvent) -> Void) throws(FileError) {
        // Consumes the inotify events the wait woke on and picks up new or rotated files.
        // When files came or went (rotation, vacuuming), go back to just after the last
        // entry read: libsystemd's own position may have been in a file that changed.
        if sd_journal_process(journal) == Int32(SD_JOURNAL_INVALIDATE), let cursor {
            Self.seek(journal, after: cursor)
        }
        var read = 0
        while read < Self.entriesPerTurn {
            let r = sd_journal_next(journal)
            if r == 0 { break }
            if r < 0 {
                try reopen(body, because: r)
                return
            }
            read += 1
            var data: UnsafeRawPointer?
            var length = 0
            guard sd_journal_get_data(journal, "MESSAGE", &data, &length) >= 0, let data, length >= 8 else { continue }
            let message = UnsafeRawBufferPointer(start: data + 8, count: length - 8)
            if isDropNotice() {
                if let n = Self.suppressedCount(message, unit: unit) { body(.lost(count: n, .journalRateLimited(unit: unit))) }
                continue
            }
            body(.line(message, sender: LogStreamEvent.unknownSender))
        }
        if read > 0 {
            var c: UnsafeMutablePointer<CChar>?
            if sd_journal_get_cursor(journal, &c) >= 0, let c {
                cursor = String(cString: c)
                free(c)
            }
        }
        if failing {
            failing = false
            body(.notice("the journal reads again"))
        }
    }

    func isDropNotice() -> Bool {
        var data: UnsafeRawPointer?
        var length = 0
        guard sd_journal_get_data(journal, "MESSAGE_ID", &data, &length) >= 0, let data else { return false }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self) == "MESSAGE_ID=\(Self.droppedMessageID)"
    }

    /// `Suppressed 1234 messages from haproxy.service`: the count, when it is this unit's.
    static func suppressedCount(_ message: UnsafeRawBufferPointer, unit: String) -> UInt64? {
        let text = String(decoding: message, as: UTF8.self)
        guard text.hasPrefix("Suppressed "), text.hasSuffix(" messages from \(unit)") else { return nil }
        return UInt64(text.dropFirst("Suppressed ".count).prefix { $0 != " " })
    }

    /// journald's "Suppressed N messages from UNIT" entries since `sinceMicroseconds`:
    /// how many entries, and how many messages they say were lost.
    static func suppressions(of unit: String, sinceMicroseconds: UInt64) throws(FileError) -> (notices: Int, messages: UInt64) {
        var j: OpaquePointer?
        let r = sd_journal_open(&j, Int32(SD_JOURNAL_LOCAL_ONLY))
        guard r >= 0, let j else { throw fail(unit, "open (reading the journal needs root or the adm or systemd-journal group)", r) }
        defer { sd_journal_close(j) }
        _ = "MESSAGE_ID=\(droppedMessageID)".withCString { sd_journal_add_match(j, $0, 0) }
        sd_journal_seek_realtime_usec(j, sinceMicroseconds)
        var notices = 0, messages: UInt64 = 0
        while sd_journal_next(j) > 0 {
            var data: UnsafeRawPointer?
            var length = 0
            guard sd_journal_get_data(j, "MESSAGE", &data, &length) >= 0, let data, length >= 8 else { continue }
            if let n = suppressedCount(UnsafeRawBufferPointer(start: data + 8, count: length - 8), unit: unit) {
                notices += 1
                messages += n
            }
        }
        return (notices, messages)
    }

    /// Positions `j` so that the next `sd_journal_next` gives the first entry after
    /// `cursor`. Seeking lands on the entry itself when it still exists (skip it, it
    /// was read), else on the one after it (step back, so it is read).
    static func seek(_ j: OpaquePointer, after cursor: String) {
        sd_journal_seek_cursor(j, cursor)
        if sd_journal_next(j) > 0, sd_journal_test_cursor(j, cursor) <= 0 { sd_journal_previous(j) }
    }

    /// A read failed (a file vacuumed under us, a corrupt one): open the journal
    /// again and go on after the last entry read.
    func reopen(_ body: (LogStreamEvent) -> Void, because r: Int32) throws(FileError) {
        if !failing { body(.notice("reading the journal failed (\(Errno(rawValue: -r))); opening it again after the last entry read")) }
        failing = true
        let fresh = try Self.open(unit)
        if let cursor {
            Self.seek(fresh, after: cursor)
        } else {
            sd_journal_seek_tail(fresh)
            sd_journal_previous(fresh)
        }
        sd_journal_close(journal)
        journal = fresh
        (waiterFd, waiter) = try Self.waiter(journal, unit, wakeupPipe)
    }
}
