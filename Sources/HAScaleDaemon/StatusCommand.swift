import ArgumentParser
import Foundation
import Glibc
import HAScale
import HAScaleRuntime

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the running daemon sees now: pools, metrics against thresholds, next steps, last decisions.",
        discussion: """
            Read from the daemon's state file (default /run/hascale/state.json, which `hascale run` \
            rewrites every second, readable by everyone), not from HAProxy: no group is needed. Per \
            backend: its servers and their phase, the metric against both thresholds, the load model's \
            recommendation, the next step and when, and the last five decisions with their reasons. \
            Exits 2 when no daemon is running (no file, its pid gone, or not rewritten for 15 s).
            """
    )

    @Option(help: "The inventory to compare with the daemon's backends (default: /etc/hascale/servers.json, when readable).")
    var config: String?

    @Option(help: "The running daemon's state file (default: $RUNTIME_DIRECTORY/state.json, else /run/hascale/state.json).")
    var stateFile: String?

    @Flag(help: "One JSON object: {\"running\", \"reason\", \"age_seconds\", \"state\"}; with --watch, one per line.")
    var json = false

    @Flag(help: "Redraw every second until interrupted, like watch(1).")
    var watch = false

    func run() async throws {
        let path = stateFile ?? DaemonState.defaultPath()
        let inventory = try compareWith()
        guard watch else {
            let (text, running) = Self.render(DaemonState.read(path), json: json, inventory: inventory, now: WallClock.now())
            if running || json { print(text, terminator: "") } else { StandardError.write(text) }
            if !running { throw HAScaleExit.unavailable }
            return
        }
        let clear = isatty(STDOUT_FILENO) == 1 && !json ? "\u{1B}[H\u{1B}[2J" : ""
        while true {
            let (text, _) = Self.render(DaemonState.read(path), json: json, inventory: inventory, now: WallClock.now())
            print(clear + text, terminator: json || !clear.isEmpty ? "" : "\n")
            fflush(nil)
            try await Task.sleep(for: .seconds(1))
        }
    }

    /// The inventory named, or the default one when it is there and readable; a named
    /// one that cannot be read is refused (64) like everywhere else.
    func compareWith() throws -> Inventory? {
        if let config {
            do { return try InventoryFile.load(path: config) } catch { throw ValidationError(error.description) }
        }
        return try? InventoryFile.load(path: ConfigOptions.defaultConfigPath)
    }

    /// The report and whether a daemon is running.
    static func render(_ reading: DaemonState.Reading, json: Bool, inventory: Inventory?, now: Double) -> (String, Bool) {
        if json {
            var report = Report(running: false)
            switch reading {
            case .running(let s, let age): report = Report(running: true, ageSeconds: age, state: s)
            case .notRunning(let why), .unreadable(let why): report.reason = why
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let text = (try? encoder.encode(report)).map { String(decoding: $0, as: UTF8.self) } ?? #"{"running":false}"#
            return (text + "\n", report.running)
        }
        switch reading {
        case .notRunning(let why), .unreadable(let why):
            return (why + "\n", false)
        case .running(let s, let age):
            return (text(s, age: age, inventory: inventory, now: now), true)
        }
    }

    struct Report: Encodable {
        var running: Bool
        var reason: String?
        var ageSeconds: Double?
        var state: LoopSnapshot?

        enum CodingKeys: String, CodingKey {
            case running, reason, state
            case ageSeconds = "age_seconds"
        }
    }

    static func text(_ s: LoopSnapshot, age: Double, inventory: Inventory?, now: Double) -> String {
        var out = "hascale pid \(s.pid), up \(TextTable.seconds(Int(now - s.startedAt))), seen \(oneDecimal(age)) s ago"
        out += s.dryRun ? " (dry run: it sends nothing)" : ""
        out += s.haproxyAnswers ? "; HAProxy answers" : "; HAProxy does NOT answer its runtime API: nothing is decided until it does"
        out += s.apiErrors > 0 ? " (\(s.apiErrors) runtime-API errors since start)\n" : "\n"
        let l = s.log
        out += "log \(l.source): \(l.lines) lines, \(l.managed) requests, \(l.unmanaged) of other backends, \(l.rejected) skipped"
        out += l.dropped > 0 ? ", \(l.dropped) LOST before reading" : ""
        out += l.lagSeconds.map { ", newest request \(oneDecimal($0)) s ago\n" } ?? ", no request yet\n"
        if let nodes = s.nodes {
            var rows = [["  NODE", "REQUESTS", "LAST", "STATE"]]
            for n in nodes {
                rows.append(["  \(n.name.value)", "\(n.requests)", n.lastRequestSeconds.map { "\(oneDecimal($0)) s ago" } ?? "none yet",
                             n.outOfStep.map { "out of step: \($0)" } ?? "in step"])
            }
            out += TextTable.render(rows, rightAlignedFrom: 1)
            if let u = s.unattributedRequests, u > 0 {
                out += "  \(u) requests told to no node (neither sender address nor hostname matched): the pool's load misses them\n"
            }
        }
        for b in s.backends {
            out += "\n\(b.name): \(b.active) of \(b.total) serving (max_active \(b.maxActive)), "
            out += b.metricMs.map { "\(b.aggregate) \(b.metric) \(formatMs($0))" } ?? "no requests yet"
            out += "; up above \(formatMs(b.upThresholdMs)), down below \(formatMs(b.downThresholdMs))"
            out += b.recommendedServers.map { "; the model asks for \($0)" } ?? ""
            out += b.errorRate > 0 ? "; errors \(Int((b.errorRate * 100).rounded())) %" : ""
            out += "\n  next: \(b.next.text)" + (b.next.at.map { " (at \(clock($0)))" } ?? "") + "\n"
            var rows = [["  SERVER", "PHASE", "METRIC"]]
            for server in s.servers where server.backend == b.name {
                let phase = server.ejectedSeconds.map { "ejected \(TextTable.seconds($0))" } ?? server.phase
                rows.append(["  \(server.server)", phase, server.metricMs.map(formatMs) ?? ""])
            }
            out += TextTable.render(rows, rightAlignedFrom: 2)
            if b.recent.isEmpty {
                out += "  no decision since start\n"
            } else {
                out += "  last decisions, newest first:\n"
                out += TextTable.render(b.recent.reversed().map { d in
                    ["    \(clock(d.at))", d.kind.rawValue, d.servers.map(\.value).joined(separator: ","), d.reason]
                }, rightAlignedFrom: 99)
            }
        }
        if let inventory {
            let running = Set(s.backends.map(\.name))
            let inFile = Set(inventory.backends.map(\.name))
            for name in inFile.subtracting(running).sorted() {
                out += "\nnote: \(name) is in the inventory but not managed by the running daemon: an edit it refused or not reloaded yet (`journalctl -u hascale`)\n"
            }
            for name in running.subtracting(inFile).sorted() {
                out += "\nnote: the running daemon manages \(name), which the inventory no longer has: an edit it refused or not reloaded yet\n"
            }
        }
        return out
    }

    static func oneDecimal(_ x: Double) -> String { String(format: "%.1f", x) }

    /// `14:05:12`, this host's local time.
    static func clock(_ unix: Double) -> String {
        var t = time_t(unix)
        var local = tm()
        localtime_r(&t, &local)
        return String(format: "%02d:%02d:%02d", local.tm_hour, local.tm_min, local.tm_sec)
    }
}
