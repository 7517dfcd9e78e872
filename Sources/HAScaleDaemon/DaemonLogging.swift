import ArgumentParser
import Glibc
import Logging

/// Where the daemon's log goes.
enum LogTarget: String, ExpressibleByArgument, CaseIterable {
    /// The journal when running under systemd and journald is reachable, else stderr.
    case auto
    case journal
    case stderr

    /// systemd sets these for its services; stderr then already ends in the
    /// journal, so writing entries directly keeps priorities and fields.
    var resolved: LogTarget {
        guard self == .auto else { return self }
        let underSystemd = getenv("JOURNAL_STREAM") != nil || getenv("INVOCATION_ID") != nil
        return underSystemd && Journal.isReachable ? .journal : .stderr
    }
}

/// The daemon's swift-log backend, set up once per process.
enum DaemonLogging {
    static func bootstrap(level: Logger.Level, target: LogTarget) {
        let target = target == .journal && !Journal.isReachable ? .stderr : target.resolved
        LoggingSystem.bootstrap { label in
            switch target {
            case .journal:
                var h = JournalLogHandler(label: label)
                h.logLevel = level
                return h
            default:
                var h = StreamLogHandler.standardError(label: label)
                h.logLevel = level
                return h
            }
        }
    }
}
