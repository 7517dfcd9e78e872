import CSystemd
import Glibc
import HAScale

/// Reads hascale's scaling history back through `sd_journal_*`, filtered by
/// journal matches (so journald's indexes do the work, not a scan in Swift).
struct JournalReader {
    struct Entry {
        var realtimeMicroseconds: UInt64
        var fields: [String: String]
        subscript(_ name: String) -> String? { fields[name] }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Entries of the given kinds (all when empty), for `backend` if given, since `since` (µs since the epoch).
    static func read(kinds: [HistoryEvent.Kind], backend: String?, since: UInt64?) throws(Failure) -> [Entry] {
        var journal: OpaquePointer?
        let r = sd_journal_open(&journal, Int32(SD_JOURNAL_LOCAL_ONLY))
        guard r >= 0, let j = journal else {
            throw Failure(description: "cannot open the journal: \(String(cString: strerror(-r))); reading it needs root or membership in the systemd-journal or adm group")
        }
        defer { sd_journal_close(j) }
        func match(_ s: String) throws(Failure) {
            let r = s.withCString { sd_journal_add_match(j, $0, 0) }
            guard r >= 0 else { throw Failure(description: "bad journal match \(s): \(String(cString: strerror(-r)))") }
        }
        // Matches on one field are ORed, on different fields ANDed.
        for k in kinds.isEmpty ? HistoryEvent.Kind.allCases : kinds { try match("\(HistorySchema.event)=\(k.rawValue)") }
        try match("\(HistorySchema.syslogIdentifier)=\(HistorySchema.identifier)")
        if let backend { try match("\(HistorySchema.backend)=\(backend)") }
        if let since { sd_journal_seek_realtime_usec(j, since) } else { sd_journal_seek_head(j) }
        var entries: [Entry] = []
        while sd_journal_next(j) > 0 {
            var usec: UInt64 = 0
            sd_journal_get_realtime_usec(j, &usec)
            if let since, usec < since { continue }
            var fields: [String: String] = [:]
            for name in HistorySchema.readFields {
                var data: UnsafeRawPointer?
                var length = 0
                guard sd_journal_get_data(j, name, &data, &length) >= 0, let data else { continue }
                let text = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
                fields[name] = String(text.dropFirst(name.count + 1))
            }
            entries.append(Entry(realtimeMicroseconds: usec, fields: fields))
        }
        return entries
    }
}
