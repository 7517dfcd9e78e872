import ArgumentParser
import Glibc
import HAScale
import HAScaleRuntime

/// Which log source a command reads, the same way for `run`, `follow` and `doctor`.
enum LogSourceChoice {
    /// `--log` (or the argument), else the inventory's `"log"`, else the detected
    /// default; `why` is set only for the detected one, for the start-up log line.
    static func resolve(_ given: String?, inventory: Inventory?) throws -> (LogSource, why: String?) {
        if let text = given ?? inventory?.log {
            do { return (try LogSource(parsing: text), nil) } catch { throw ValidationError("--log \(error)") }
        }
        let (source, why) = LogSource.detected { access($0, F_OK) == 0 }
        return (source, why)
    }

    static let openJournal: JournalOpener = { unit, fromStart, wakeup throws(FileError) in
        try JournalFollower(unit: unit, fromStart: fromStart, wakeup: wakeup)
    }
}
