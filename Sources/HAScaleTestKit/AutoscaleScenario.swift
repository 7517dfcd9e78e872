import Foundation
import HAProxySocket
import NIOConcurrencyHelpers

/// The closed loop the end-to-end test and the demo share: a real HAProxy in
/// front of app servers whose latency grows with their concurrency, a load
/// generator, an inventory, and the log HAProxy writes — all on 127.0.0.1.
public final class AutoscaleScenario: @unchecked Sendable {
    public let apps: [HTTPTestBackend]
    public let haproxy: HAProxyProcess
    public let port: Int
    public let logPath: String
    public let inventoryPath: String
    public let load: LoadGenerator
    public let api: RuntimeAPIClient

    /// `policy` is the inventory's JSON policy object for backend `app`.
    /// Server s1 is active and always_up; the others start in maintenance with a warm-up URL.
    public init(servers: Int = 4, base: Duration = .milliseconds(5), perRequest: Duration = .milliseconds(40), policy: String) throws {
        apps = try (1...servers).map { try HTTPTestBackend(name: "s\($0)", behaviour: .loadDependent(base: base, perRequest: perRequest)) }
        port = try FreePort.next()
        let dir = try HAProxyProcess.makeTemporaryDirectory("hascale-scenario")
        logPath = dir.appendingPathComponent("haproxy.log").path
        inventoryPath = dir.appendingPathComponent("servers.json").path
        let lines = apps.enumerated().map { i, a in "  server \(a.name) \(a.address)\(i == 0 ? "" : " disabled")" }
        haproxy = try HAProxyProcess(configBody: """
            frontend web
              bind 127.0.0.1:\(port)
              default_backend app
            backend app
              balance leastconn
            \(lines.joined(separator: "\n"))
            """, logFile: logPath, directory: dir)
        let servers = apps.enumerated().map { i, a in
            i == 0 ? "\"\(a.name)\": { \"active\": true, \"always_up\": true }"
                : "\"\(a.name)\": { \"active\": false, \"warmup_url\": \"http://\(a.address)/warm\" }"
        }
        try """
            {
              "haproxy": { "socket": "\(haproxy.socketPath)" },
              "log": "\(logPath)",
              "backends": {
                "app": {
                  "policy": \(policy),
                  "servers": { \(servers.joined(separator: ", ")) }
                }
              }
            }
            """.write(toFile: inventoryPath, atomically: true, encoding: .utf8)
        load = LoadGenerator(port: port)
        api = RuntimeAPIClient(address: .unix(path: haproxy.socketPath))
    }

    /// Servers of `app` that take traffic now, by HAProxy's own `show servers state`.
    public func inService() throws -> [String] {
        try ServerStateRow.parse(try api.send(.showServersState(try ProxyName("app")))).filter(\.inService).map(\.server)
    }

    public func stop() {
        load.stop()
        haproxy.stop()
        for a in apps { a.shutdown() }
    }
}

/// Samples HAProxy's state every `interval` and keeps every change: the
/// ground truth a run is judged by.
public final class StateTimeline: @unchecked Sendable {
    public struct Change: Sendable, CustomStringConvertible {
        public var at: TimeInterval
        public var server: String
        public var up: Bool
        public var description: String { String(format: "%6.1fs %@ %@", at, server, up ? "up" : "down") }
    }

    private let box = NIOLockedValueBox((changes: [Change](), current: Set<String>(), minimum: Int.max, stopped: false))
    public let start = Date()

    public init(_ scenario: AutoscaleScenario, interval: TimeInterval = 0.1) {
        Thread.detachNewThread { [box, start] in
            var last: Set<String>? = nil
            while !box.withLockedValue({ $0.stopped }) {
                if let now = try? Set(scenario.inService()) {
                    let t = Date().timeIntervalSince(start)
                    box.withLockedValue { b in
                        if let last {
                            for s in now.subtracting(last).sorted() { b.changes.append(Change(at: t, server: s, up: true)) }
                            for s in last.subtracting(now).sorted() { b.changes.append(Change(at: t, server: s, up: false)) }
                        }
                        b.current = now
                        b.minimum = min(b.minimum, now.count)
                    }
                    last = now
                }
                Thread.sleep(forTimeInterval: interval)
            }
        }
    }

    public var changes: [Change] { box.withLockedValue { $0.changes } }
    public var current: Set<String> { box.withLockedValue { $0.current } }
    /// The fewest servers ever seen in service.
    public var minimum: Int { box.withLockedValue { $0.minimum } }
    public func stop() { box.withLockedValue { $0.stopped = true } }
}

/// A child process (the `hascale` binary) whose stderr and stdout lines are kept.
public final class ChildProcess: @unchecked Sendable {
    public let process = Process()
    private let lines = NIOLockedValueBox([String]())
    private let pipe = Pipe()
    public let echo: (@Sendable (String) -> Void)?

    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, echo: (@Sendable (String) -> Void)? = nil) throws {
        self.echo = echo
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.standardOutput = pipe
        process.standardError = pipe
        let partial = NIOLockedValueBox(Data())
        pipe.fileHandleForReading.readabilityHandler = { [lines, echo] h in
            let data = h.availableData
            guard !data.isEmpty else { return }
            partial.withLockedValue { partial in
                partial.append(data)
                while let nl = partial.firstIndex(of: 0x0A) {
                    let line = String(decoding: partial[partial.startIndex..<nl], as: UTF8.self)
                    partial.removeSubrange(partial.startIndex...nl)
                    lines.withLockedValue { $0.append(line) }
                    echo?(line)
                }
            }
        }
        try process.run()
    }

    public var output: [String] { lines.withLockedValue { $0 } }

    /// Waits until a line satisfies `predicate`, at most `timeout`; the error says what was awaited and shows the tail of the output.
    @discardableResult
    public func waitForLine(_ what: String, timeout: TimeInterval, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let l = output.first(where: predicate) { return l }
            if !process.isRunning {
                Thread.sleep(forTimeInterval: 0.2)
                if let l = output.first(where: predicate) { return l }
                throw HAProxyProcess.StartError(description: "the process exited (status \(process.terminationStatus)) before \(what):\n" + output.suffix(30).joined(separator: "\n"))
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw HAProxyProcess.StartError(description: "timed out after \(timeout) s waiting for \(what):\n" + output.suffix(30).joined(separator: "\n"))
    }

    /// SIGTERM, then waits up to `timeout` for the exit; SIGKILL after that. Answers the exit status.
    @discardableResult
    public func terminate(timeout: TimeInterval = 20) -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        Thread.sleep(forTimeInterval: 0.1)
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        pipe.fileHandleForReading.readabilityHandler = nil
    }
}
