import Foundation
import Glibc
import HAScaleRuntime

/// The running daemon's ``LoopSnapshot``, read from its state file by the
/// commands an operator runs beside it (`hascale status`, `hascale servers`),
/// with the judgement of whether a daemon is really there behind it.
///
/// The daemon rewrites the file every second, so a file older than
/// ``staleAfter``, or one whose pid is gone, is what a stopped or stuck daemon
/// left behind, not what a running one sees.
enum DaemonState {
    /// The loop rewrites the file each second; a resync against a socket that stopped
    /// answering can hold it up to its time-outs (2 s connect + 5 s read, twice).
    static let staleAfter = 15.0

    enum Reading {
        case running(LoopSnapshot, ageSeconds: Double)
        /// No daemon answers through this file: why, in a sentence.
        case notRunning(String)
        /// A file is there, but it cannot be read as a state file.
        case unreadable(String)
    }

    /// `$RUNTIME_DIRECTORY/state.json` (inside the unit), else where the unit's `RuntimeDirectory=hascale` puts it.
    static func defaultPath() -> String {
        ProcessInfo.processInfo.environment["RUNTIME_DIRECTORY"].flatMap { $0.split(separator: ":").first }.map { "\($0)/state.json" }
            ?? "/run/hascale/state.json"
    }

    static func read(_ path: String, now: Double = WallClock.now()) -> Reading {
        guard let data = FileManager.default.contents(atPath: path) else {
            if access(path, F_OK) == 0 {
                return .unreadable("cannot read \(path): \(String(cString: strerror(errno))); the daemon writes it readable by all, so check the path given")
            }
            return .notRunning("no hascale daemon is running: \(path) does not exist (a running daemon rewrites it every second; under systemd see `systemctl status hascale`)")
        }
        let snapshot: LoopSnapshot
        do {
            snapshot = try JSONDecoder().decode(LoopSnapshot.self, from: data)
        } catch {
            if let schema = try? JSONDecoder().decode(Schema.self, from: data), schema.schema > LoopSnapshot.currentSchema {
                return .unreadable("\(path) was written by a newer hascale (state schema \(schema.schema), this one reads \(LoopSnapshot.currentSchema)); run that version's `hascale status`")
            }
            return .unreadable("\(path) is not a hascale state file: \(Self.describe(error))")
        }
        let age = max(0, now - snapshot.writtenAt)
        if kill(snapshot.pid, 0) != 0 && errno == ESRCH {
            return .notRunning("no hascale daemon is running: pid \(snapshot.pid), which wrote \(path) \(TextTable.seconds(Int(age.rounded()))) ago, has exited")
        }
        if age > staleAfter {
            return .notRunning("the hascale daemon (pid \(snapshot.pid)) has not rewritten \(path) for \(TextTable.seconds(Int(age.rounded()))): it is stopping or its loop is stuck (systemd's watchdog restarts it after 30 s)")
        }
        return .running(snapshot, ageSeconds: age)
    }

    private struct Schema: Decodable { var schema: Int }

    /// A decoding error as the field it is about and what is wrong there.
    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let c), DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            return "\(path(c.codingPath)): \(c.debugDescription)"
        case DecodingError.keyNotFound(let key, let c):
            return "\(path(c.codingPath + [key])) is missing"
        default:
            return "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "the document" : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}
