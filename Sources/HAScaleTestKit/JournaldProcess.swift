import Foundation

/// A journald for tests: the running one when there is one, else
/// `/lib/systemd/systemd-journald` started by hand (as root, where no systemd
/// runs: CI, containers) and stopped again at the end.
public final class JournaldProcess: @unchecked Sendable {
    public static let socketPath = "/run/systemd/journal/socket"
    let process: Process?

    public init() throws {
        if Self.isListening {
            process = nil
            return
        }
        unlink(Self.socketPath)  // a stale one, left by a journald that is gone
        let exe = "/lib/systemd/systemd-journald"
        guard FileManager.default.isExecutableFile(atPath: exe) else {
            throw HAProxyProcess.StartError(description: "no journald running and \(exe) is missing: `apt-get install systemd` (the test command does this)")
        }
        guard getuid() == 0 else {
            throw HAProxyProcess.StartError(description: "no journald running, and starting one by hand needs root")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        process = p
        let deadline = Date().addingTimeInterval(10)
        while !Self.isListening {
            guard p.isRunning, Date() < deadline else {
                throw HAProxyProcess.StartError(description: "systemd-journald started by hand did not create \(Self.socketPath) within 10 s")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// A journald answers on the socket (a file left by a stopped one refuses).
    public static var isListening: Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return RuntimeAPIProxy.withAddress(socketPath) { connect(fd, $0, $1) } == 0
    }

    /// The archived journal files (`system@….journal`): what rotation makes and vacuuming removes.
    public static func archivedFiles() -> [String] {
        let root = "/run/log/journal"
        let dirs = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return dirs.flatMap { d in
            ((try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(d)")) ?? [])
                .filter { $0.contains("@") && $0.hasSuffix(".journal") }.map { "\(root)/\(d)/\($0)" }
        }
    }

    /// Rotates the journal files as `journalctl --rotate` does (SIGUSR2 to the journald
    /// started here) and waits (bounded) until an archived file appears.
    public func rotate() throws {
        guard let p = process, p.isRunning else {
            throw HAProxyProcess.StartError(description: "rotation needs the journald this test started")
        }
        let before = Set(Self.archivedFiles())
        kill(p.processIdentifier, SIGUSR2)
        let deadline = Date().addingTimeInterval(10)
        while Set(Self.archivedFiles()).isSubset(of: before) {
            guard Date() < deadline else { throw HAProxyProcess.StartError(description: "journald did not rotate within 10 s of SIGUSR2") }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Removes every archived file, as `journalctl --vacuum-files=1` would.
    public func vacuum() {
        for f in Self.archivedFiles() { unlink(f) }
    }

    /// Whether this test started it (and so stops it).
    public var startedHere: Bool { process != nil }

    public func stop() {
        guard let p = process, p.isRunning else { return }
        p.terminate()
        p.waitUntilExit()
        // A stopped journald leaves its socket file; remove it so the next run does not think one is listening.
        for f in ["socket", "stdout", "dev-log", "io.systemd.journal"] { unlink("/run/systemd/journal/\(f)") }
    }
}
