import Foundation
import HAProxySocket
import Synchronization

/// A real `haproxy -db` started from a generated configuration, with an admin
/// socket and `log stdout format raw`, for tests and the demo.
///
/// Log lines are collected from HAProxy's stdout (and optionally appended to a
/// file, as syslog would write them) so a test can read exactly what HAProxy logged.
public final class HAProxyProcess: @unchecked Sendable {
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    public let directory: URL
    public let socketPath: String
    public let configPath: String
    public let logFile: String?
    private let process = Process()
    private let lines = Locked<[String]>([])
    private let output = Pipe()
    private var logHandle: FileHandle?

    /// Where `haproxy` is: Debian installs it in /usr/sbin, which is not always on PATH.
    public static var executable: String? {
        for p in ["/usr/sbin/haproxy", "/usr/local/sbin/haproxy", "/usr/bin/haproxy"]
        where FileManager.default.isExecutableFile(atPath: p) { return p }
        return nil
    }

    /// A fresh temporary directory for one test's sockets and files.
    public static func makeTemporaryDirectory(_ prefix: String = "hascale") throws -> URL {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Starts HAProxy with `body` (frontends and backends) after a global and
    /// defaults section that set up the admin socket and logging. `{SOCKET}` in
    /// `body` is replaced by the socket path. Waits (bounded) until the socket answers.
    /// `extraGlobal`: more lines for the `global` section (a TCP `stats socket`, say).
    /// `masterWorker`: run as `haproxy -W` (a master and a worker), so ``reload()`` can start a new worker.
    /// `launch`: what to exec for `haproxy` and its arguments, when not `haproxy` itself
    /// (``NetworkNamespaces/command(_:_:_:)``, to start it in a namespace); it must exec HAProxy in
    /// place, so that the signals ``stop()`` and ``reload()`` send reach it.
    public init(configBody: String, logFile: String? = nil, directory: URL? = nil, extraGlobal: String = "", masterWorker: Bool = false,
                launch: ((String, [String]) -> (String, [String]))? = nil) throws {
        guard let exe = Self.executable else {
            throw StartError(description: "haproxy is not installed: run `apt-get install -y haproxy` (the test command does this)")
        }
        self.directory = try directory ?? Self.makeTemporaryDirectory()
        socketPath = self.directory.appendingPathComponent("admin.sock").path
        configPath = self.directory.appendingPathComponent("haproxy.cfg").path
        self.logFile = logFile
        let config = """
            global
              log stdout format raw local0 info
              stats socket \(socketPath) mode 660 level admin expose-fd listeners
              stats timeout 10s
            \(extraGlobal)
            defaults
              mode http
              log global
              option httplog
              timeout connect 1s
              timeout client 10s
              timeout server 10s
              timeout queue 10s
            \(configBody.replacingOccurrences(of: "{SOCKET}", with: socketPath))

            """
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        if let logFile {
            if !FileManager.default.fileExists(atPath: logFile) { FileManager.default.createFile(atPath: logFile, contents: nil) }
            logHandle = FileHandle(forWritingAtPath: logFile)
            logHandle?.seekToEndOfFile()
        }
        let arguments = (masterWorker ? ["-W"] : []) + ["-db", "-f", configPath]
        let (executable, argv) = launch?(exe, arguments) ?? (exe, arguments)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = argv
        process.standardOutput = output
        process.standardError = output
        let lines = self.lines
        nonisolated(unsafe) let handle = logHandle
        PipeLines.read(output, raw: { handle?.write($0) }) { line in lines.withLock { $0.append(line) } }
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: socketPath) {
            guard process.isRunning else {
                Thread.sleep(forTimeInterval: 0.2)  // let the reader drain what HAProxy said
                throw StartError(description: "haproxy exited at start:\n" + self.lines.withLock { $0.joined(separator: "\n") })
            }
            guard Date() < deadline else { throw StartError(description: "haproxy's admin socket did not appear within 10 s") }
            Thread.sleep(forTimeInterval: 0.02)
        }
        // The file appears at bind(), before listen(): wait until it answers.
        let client = RuntimeAPIClient(address: .unix(path: socketPath), connectTimeout: .milliseconds(200), readTimeout: .seconds(2))
        while (try? client.send(.showInfo)) == nil {
            guard Date() < deadline else { throw StartError(description: "haproxy's admin socket did not answer within 10 s") }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// Everything HAProxy printed so far (log lines and its own notices).
    public var output_lines: [String] { lines.withLock { $0 } }

    /// Waits until `predicate` holds for the lines seen so far, at most `timeout`.
    @discardableResult
    public func waitForLines(timeout: TimeInterval = 10, _ what: String, _ predicate: ([String]) -> Bool) throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let current = output_lines
            if predicate(current) { return current }
            guard Date() < deadline else {
                throw StartError(description: "timed out after \(timeout) s waiting for \(what); HAProxy printed:\n" + current.suffix(20).joined(separator: "\n"))
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    public var isRunning: Bool { process.isRunning }

    /// A master-worker reload (SIGUSR2 to the master): a new worker whose servers
    /// are as haproxy.cfg has them, the old one finishing its connections.
    public func reload() {
        kill(process.processIdentifier, SIGUSR2)
    }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        output.fileHandleForReading.readabilityHandler = nil
        try? logHandle?.close()
    }

    deinit { stop() }
}
