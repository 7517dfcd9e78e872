import Foundation
import Synchronization

/// A child process (the `hascale` binary) whose stderr and stdout lines are kept.
public final class ChildProcess: @unchecked Sendable {
    public let process = Process()
    private let lines = Locked([String]())
    private let pipe = Pipe()
    public let echo: (@Sendable (String) -> Void)?

    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, echo: (@Sendable (String) -> Void)? = nil) throws {
        self.echo = echo
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.standardOutput = pipe
        process.standardError = pipe
        PipeLines.read(pipe) { [lines, echo] line in
            lines.withLock { $0.append(line) }
            echo?(line)
        }
        try process.run()
    }

    public var output: [String] { lines.withLock { $0 } }

    /// Runs `executable` to its end: its exit status, and what it printed on stdout and stderr together.
    public static func run(_ executable: String, _ arguments: [String]) throws -> (code: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

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
