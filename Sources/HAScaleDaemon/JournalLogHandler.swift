import HAScale
import Logging

/// swift-log into the journal: one entry per message, the level as its
/// syslog priority, metadata and source location as fields.
struct JournalLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    func log(event: LogEvent) {
        var fields: [(String, String)] = [
            (HistorySchema.message, "\(event.message)"),
            (HistorySchema.priority, "\(Self.priority(event.level))"),
            (HistorySchema.syslogIdentifier, HistorySchema.identifier),
            ("CODE_FILE", event.file),
            ("CODE_LINE", "\(event.line)"),
            ("CODE_FUNC", event.function),
        ]
        for (k, v) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            let name = "HASCALE_META_" + k.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
            fields.append((name, "\(v)"))
        }
        Journal.send(fields)
    }
}
