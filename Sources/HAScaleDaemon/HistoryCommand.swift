import ArgumentParser
import Foundation
import HAScale

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Print the scaling history hascale wrote to the journal.",
        discussion: """
            Every scaling event is one structured journal entry (HASCALE_EVENT, HASCALE_BACKEND, \
            HASCALE_SERVER, HASCALE_METRIC_MS, HASCALE_THRESHOLD_MS, HASCALE_ACTIVE, HASCALE_REASON), \
            so `journalctl -u hascale HASCALE_EVENT=scale_up` works too. This command prints them as \
            a timeline: when, backend, event, server, metric vs threshold, servers in service, reason.
            """
    )

    @Option(help: "Only entries since then: `2026-11-22 10:00[:00]` (local time), or `2h`, `30m`, `1d` ago.")
    var since: String?

    @Option(help: "Only this backend.")
    var backend: String?

    @Option(help: "Only this kind of event: \(HistoryEvent.Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var event: [String] = []

    @Flag(help: "Print one JSON object per entry.")
    var json = false

    func run() throws {
        var kinds: [HistoryEvent.Kind] = []
        for e in event {
            guard let k = HistoryEvent.Kind(rawValue: e) else { throw ValidationError("Unknown event \(e); known: \(HistoryEvent.Kind.allCases.map(\.rawValue).joined(separator: ", "))") }
            kinds.append(k)
        }
        let sinceUsec = try since.map { s throws(ValidationError) in
            guard let t = Self.parseSince(s, now: Date()) else { throw ValidationError("Cannot read --since \(s): use `2026-11-22 10:00` or `2h`.") }
            return UInt64(max(0, t.timeIntervalSince1970) * 1_000_000)
        }
        let entries: [JournalReader.Entry]
        do { entries = try JournalReader.read(kinds: kinds, backend: backend, since: sinceUsec) } catch {
            StandardError.write("error: \(error)\n")
            throw HAScaleExit.unavailable
        }
        if json {
            let isoFormat = ISO8601DateFormatter()  // one formatter for every entry
            isoFormat.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            for e in entries {
                var object: [String: Any] = ["time": Self.iso(e.realtimeMicroseconds, isoFormat)]
                for (k, v) in e.fields where k.hasPrefix("HASCALE_") {
                    let key = k.dropFirst("HASCALE_".count).lowercased()
                    object[key] = HistorySchema.numericFields.contains(k) ? (Int(v) ?? v as Any) : v
                }
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
            }
            return
        }
        let localFormat = DateFormatter()
        localFormat.dateFormat = "yyyy-MM-dd HH:mm:ss"
        var rows = [["WHEN", "BACKEND", "EVENT", "SERVER", "METRIC", "ACTIVE", "REASON"]]
        for e in entries {
            guard let h = HistorySchema.decode(e.fields) else { continue }
            func ms(_ v: Double) -> String { "\(Int(v.rounded()))" }
            var metric = ""
            if let m = h.metricMs, let t = h.thresholdMs {
                metric = "\(ms(m)) ms vs \(ms(t))"
            } else if let t = h.thresholdMs {
                metric = "- vs \(ms(t))"
            }
            rows.append([Self.local(e.realtimeMicroseconds, localFormat), h.backend ?? "-", h.kind.rawValue,
                         h.server ?? "-", metric, h.active.map(String.init) ?? "", h.reason])
        }
        if entries.isEmpty {
            StandardError.write("no scaling history in the journal\(backend.map { " for backend \($0)" } ?? "")\(since.map { " since \($0)" } ?? "")\n")
            return
        }
        print(TextTable.render(rows, rightAlignedFrom: 99), terminator: "")
    }

    static func iso(_ usec: UInt64, _ f: ISO8601DateFormatter) -> String {
        f.string(from: Date(timeIntervalSince1970: Double(usec) / 1e6))
    }

    static func local(_ usec: UInt64, _ f: DateFormatter) -> String {
        f.string(from: Date(timeIntervalSince1970: Double(usec) / 1e6))
    }

    /// `2026-11-22 10:00[:00]` in local time, or a span ago: `90s`, `30m`, `2h`, `1d` (a leading `-` or a trailing ` ago` is fine).
    static func parseSince(_ text: String, now: Date) -> Date? {
        var s = text.trimmingCharacters(in: .whitespaces)
        if s.hasSuffix(" ago") { s.removeLast(4) }
        if s.hasPrefix("-") { s.removeFirst() }
        if let unit = s.last, let n = Double(s.dropLast()) {
            let seconds: Double? = switch unit {
            case "s": n
            case "m": n * 60
            case "h": n * 3600
            case "d": n * 86400
            default: nil
            }
            if let seconds { return now.addingTimeInterval(-seconds) }
        }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        for format in ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"] {
            f.dateFormat = format
            if let d = f.date(from: s) { return d }
        }
        return nil
    }
}
