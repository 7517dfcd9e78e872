import ArgumentParser
import Foundation
import HAScale
import HAScaleParse
import HAScaleRuntime
import HAScaleSimulation
import LogParser
import SystemPackage

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Feed a recorded log through the engine and print the decisions it would have made.",
        discussion: """
            Each request counts at the moment HAProxy logged it (its accept date plus its total \
            time), so a day of log replays in seconds. Open loop: the latencies are what your real \
            pool produced, whatever the engine decides, so read the decisions as "what hascale \
            would have asked for", not as what would have followed. The engine's pool starts from \
            the inventory's `active` flags and each decision takes effect at once.

            Prints each decision with its time and reason, then per backend: decisions, seconds \
            whose mean was above the scale-up threshold, and the server-seconds the engine's pool \
            would have used against those the log shows serving (a server counts while it logged \
            a request in the last 10 s). --json prints one object per decision instead, the summary \
            on stderr.
            """
    )

    @Option(name: .long, help: "The server inventory (JSON).")
    var config: String = ConfigOptions.defaultConfigPath
    @Option(name: .customLong("utc-offset"), help: "Hours HAProxy's local time was ahead of UTC (its dates carry no zone).")
    var utcOffset: Double = 0
    @Flag(name: .long, help: "One JSON object per decision.")
    var json = false
    @Argument(help: "Log files, in time order.")
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Give at least one log file.") }
        guard abs(utcOffset) <= 14 else { throw ValidationError("--utc-offset is in hours, -14 to 14.") }
    }

    func run() throws {
        let inventory = try ConfigOptions.loadOrExplain(config)
        var replay = LogReplay(inventory: inventory, utcOffsetSeconds: Int((utcOffset * 3600).rounded()))
        let started = ContinuousClock.now
        for path in files {
            let file: MappedFile
            do { file = try MappedFile(path: FilePath(path)) } catch { throw ValidationError("\(error)") }
            LineSplitter.forEachLine(in: file.bytes) { replay.feed($0) }
        }
        let summaries = replay.finish()
        let elapsed = (ContinuousClock.now - started).seconds
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        func when(_ second: Double) -> String {
            guard let origin = replay.origin else { return String(format: "+%.1fs", second) }
            return formatter.string(from: Date(timeIntervalSince1970: Double(origin) / 1000 + second))
        }
        var out = BufferedOutput(.standardOutput)
        for d in replay.decisions {
            if json {
                // As `hascale history --json` writes its entries.
                let object: [String: Any] = [
                    "time": when(d.second), "offset_seconds": (d.second * 10).rounded() / 10,
                    "backend": d.decision.backend.value, "direction": d.decision.direction.rawValue,
                    "servers": d.decision.servers.map(\.value), "active_before": d.decision.activeBefore,
                    "reason": EventProse.reason(d.decision),
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                out.write(bytes: Array(data) + [UInt8(ascii: "\n")])
            } else {
                out.write("\(when(d.second))  \(EventProse.describe(d.decision))\n")
            }
        }
        out.flush()
        let lines = replay.requests + replay.skipped
        var report = "replayed \(lines) lines (\(replay.requests) requests, \(replay.skipped) skipped) covering "
            + "\(formatSeconds(replay.duration)) in \(String(format: "%.2f", elapsed)) s (\(Int(Double(lines) / max(elapsed, 1e-9))) lines/s); "
            + "open loop: the latencies are what the real pool produced\n"
        for s in summaries {
            report += "  \(s.backend): \(s.scaleUps) scale-ups, \(s.scaleDowns) scale-downs; \(s.secondsAboveThreshold) s with the mean above "
                + "\(Int(s.thresholdMs)) ms; hascale's pool \(s.engineServerSeconds) server-seconds, the log shows \(s.logServerSeconds) serving\n"
        }
        if json { StandardError.write(report) } else { print(report, terminator: "") }
    }
}
