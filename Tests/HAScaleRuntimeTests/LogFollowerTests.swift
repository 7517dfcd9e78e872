#if canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import HAScaleRuntime
import SystemPackage
import Testing

/// The tailer against real files in a temporary directory, with the
/// rotations logrotate and syslog daemons really do.
@Suite("Log follower")
struct LogFollowerTests {
    final class Dir {
        let path: String
        init() {
            var template = Array("/tmp/hascale-follow-XXXXXX".utf8CString)
            path = String(cString: mkdtemp(&template)!)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        func file(_ name: String) -> String { "\(path)/\(name)" }
    }

    /// An appending writer that keeps its descriptor, like syslog does until HUP.
    final class Writer {
        let fd: Int32
        init(_ path: String) { fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644) }
        func write(_ s: String) { _ = s.utf8CString.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count - 1) } }
        deinit { close(fd) }
    }

    /// Polls until `lines` holds `count` lines or 10 s pass.
    struct Collector {
        var lines: [String] = []
        var notices: [String] = []
        var overlong = 0

        mutating func poll(_ f: LogFollower, until count: Int, timeout: Duration = .seconds(10)) throws {
            let deadline = ContinuousClock.now + timeout
            repeat {
                try f.poll(timeout: .milliseconds(50)) { e in
                    switch e {
                    case .line(let b, _): lines.append(String(decoding: b, as: UTF8.self))
                    case .notice(let n): notices.append(n)
                    case .overlong: overlong += 1
                    case .lost, .ended: Issue.record("a file reports no \(e)")
                    }
                }
            } while lines.count < count && ContinuousClock.now < deadline
            if lines.count < count { Issue.record("waited 10 s for \(count) lines, got \(lines.count): \(lines.suffix(3)); notices \(notices)") }
        }
    }

    @Test func startsAtTheEndOrTheStart() throws {
        let d = Dir()
        let p = d.file("a.log")
        let w = Writer(p)
        w.write("old1\nold2\n")
        let tail = try LogFollower(path: FilePath(p))
        let whole = try LogFollower(path: FilePath(p), startAtEnd: false)
        var c = Collector(), all = Collector()
        try c.poll(tail, until: 0, timeout: .zero)
        w.write("new1\n")
        try c.poll(tail, until: 1)
        try all.poll(whole, until: 3)
        #expect(c.lines == ["new1"])
        #expect(all.lines == ["old1", "old2", "new1"])
    }

    @Test func holdsAPartialLineUntilItsNewline() throws {
        let d = Dir()
        let p = d.file("a.log")
        let w = Writer(p)
        let f = try LogFollower(path: FilePath(p))
        var c = Collector()
        w.write("first half")
        try c.poll(f, until: 0, timeout: .milliseconds(200))
        #expect(c.lines.isEmpty)
        w.write(" second half\nnext")
        try c.poll(f, until: 1)
        #expect(c.lines == ["first half second half"])
    }

    @Test func renameRotationLosesAndRepeatsNothing() throws {
        let d = Dir()
        let p = d.file("haproxy.log")
        var w = Writer(p)
        let f = try LogFollower(path: FilePath(p))
        var c = Collector()
        try c.poll(f, until: 0, timeout: .zero)
        var n = 0
        func burst(_ w: Writer, _ k: Int) { for _ in 0..<k { n += 1; w.write("line \(n)\n") } }
        burst(w, 100)
        try c.poll(f, until: 50)  // mid-way through, possibly
        // logrotate: rename; the writer still has the old file open and writes on.
        #expect(rename(p, d.file("haproxy.log.1")) == 0)
        burst(w, 50)
        // A partial line at the end of the old file, completed before the writer reopens.
        w.write("line \(n + 1)")
        w.write(" (completed)\n")
        n += 1
        let w2 = Writer(p)  // the writer reopens: a new file at the path
        burst(w2, 100)
        burst(w, 5)  // a late write to the old file, within the grace period
        w = w2
        try c.poll(f, until: n)
        var expected = (1...n).map { "line \($0)" }
        expected[150] = "line 151 (completed)"
        #expect(Set(c.lines) == Set(expected), "missing: \(Set(expected).subtracting(c.lines).sorted().prefix(5))")
        #expect(c.lines.count == n, "no line read twice")
        #expect(c.notices.contains { $0.contains("rotation") })
    }

    @Test func copytruncateStartsAgainFromZero() throws {
        let d = Dir()
        let p = d.file("haproxy.log")
        let w = Writer(p)
        let f = try LogFollower(path: FilePath(p))
        var c = Collector()
        try c.poll(f, until: 0, timeout: .zero)
        for i in 1...20 { w.write("before \(i)\n") }
        try c.poll(f, until: 20)
        #expect(truncate(p, 0) == 0)
        // O_APPEND writes land at the new end: 0.
        for i in 1...3 { w.write("after \(i)\n") }
        try c.poll(f, until: 23)
        #expect(c.lines.suffix(3) == ["after 1", "after 2", "after 3"])
        #expect(c.lines.count == 23, "nothing from before the truncation is read again")
        #expect(c.notices.contains { $0.contains("truncated") })
    }

    @Test func waitsForALateFileAndForOneDeletedThenRecreated() throws {
        let d = Dir()
        let p = d.file("late.log")
        let f = try LogFollower(path: FilePath(p))
        var c = Collector()
        try c.poll(f, until: 0, timeout: .milliseconds(100))
        try c.poll(f, until: 0, timeout: .milliseconds(100))
        #expect(c.notices.count { $0.contains("waiting for it to appear") } == 1, "said once: \(c.notices)")
        let w = Writer(p)
        w.write("hello\n")
        try c.poll(f, until: 1)
        #expect(c.lines == ["hello"], "a file that appears later is read from its start")
        #expect(unlink(p) == 0)
        try c.poll(f, until: 1, timeout: .milliseconds(100))
        #expect(c.notices.contains { $0.contains("is gone") })
        let w2 = Writer(p)
        w2.write("again\n")
        try c.poll(f, until: 2)
        #expect(c.lines == ["hello", "again"])
        _ = w
    }

    @Test func aWakeupEndsTheWaitEarly() throws {
        let d = Dir()
        let p = d.file("a.log")
        _ = Writer(p)
        let wake = try Wakeup()
        let f = try LogFollower(path: FilePath(p), wakeup: wake)
        let start = ContinuousClock.now
        Thread.detachNewThread { usleep(100_000); wake.signal() }
        try f.poll(timeout: .seconds(30)) { _ in }
        #expect(ContinuousClock.now - start < .seconds(20), "the wakeup, not the 30 s timeout, ended the wait")
    }

    @Test func aMissingDirectoryIsAClearError() {
        #expect(throws: FileError.self) { try LogFollower(path: "/nonexistent-hascale-dir/haproxy.log") }
    }
}
