import Foundation
import HAProxySocket
import HAScaleTestKit
import Testing

/// `hascale follow` from every log source, with a real HAProxy logging to it:
/// each request printed once, losses counted and reported.
@Suite("log sources end to end", .serialized)
struct LogSourcesEndToEndTests {
    /// A real HAProxy whose extra `log` line goes to `target`, with two frontends
    /// on one app: `web` for the requests counted, `mark` for the request that
    /// says "all before me were sent" (every source here keeps order).
    final class Rig {
        let app: HTTPTestBackend
        let haproxy: HAProxyProcess
        let web: Int, mark: Int

        init(logLine: String) throws {
            app = try HTTPTestBackend(name: "s1", behaviour: .ok())
            web = try FreePort.next()
            mark = try FreePort.next()
            haproxy = try HAProxyProcess(configBody: """
                frontend web
                  bind 127.0.0.1:\(web)
                  default_backend app
                frontend mark
                  bind 127.0.0.1:\(mark)
                  default_backend app
                backend app
                  server s1 \(app.address)
                """, extraGlobal: logLine)
        }

        /// `count` requests through `web`, then one through `mark`.
        func send(_ count: Int) {
            for i in 0..<count { #expect(HTTPGet.get(port: web, path: "/r\(i)")?.status == 200) }
            #expect(HTTPGet.get(port: mark, path: "/mark")?.status == 200)
        }

        func stop() {
            haproxy.stop()
            app.shutdown()
        }
    }

    static func requests(_ follow: ChildProcess, frontend: String) -> Int {
        follow.output.filter { $0.hasPrefix("{") && $0.contains("\"frontend\":\"\(frontend)\"") }.count
    }

    /// Sends `count` requests and waits for the marker, then answers how many `web` requests `follow` printed.
    /// Sends `count` requests and a mark, waits for the mark, and answers the requests
    /// printed in all. HAProxy must have handed every line of the round to its log
    /// (`DroppedLogs` unchanged across it): a line it dropped while journald was away,
    /// between rounds, is not this round's.
    /// `handedOver`: also check that HAProxy handed every line of the round to its log (the
    /// journal's socket, whose queue the test raises to systemd's 512; a receiver's own loss is
    /// what its own tests count).
    /// `dropped`: with it, HAProxy's `DroppedLogs` over the round is added to it: lines HAProxy
    /// could not hand to its log socket (journald's, full during a rotation), which no reader can
    /// see; the caller expects the others, and only those, printed.
    static func roundTrip(_ rig: Rig, _ follow: ChildProcess, _ count: Int, marks: Int, dropped: UnsafeMutablePointer<Int>? = nil) throws -> Int {
        let before = dropped == nil ? 0 : try droppedLogs(rig)
        rig.send(count)
        try waitUntil(20, "mark request \(marks) printed by hascale follow", follow) { requests(follow, frontend: "mark") >= marks }
        if let dropped {
            let after = try droppedLogs(rig)
            dropped.pointee += after - before
            if after > before { print("journal test: HAProxy dropped \(after - before) log lines in round \(marks) (journald's socket full)") }
        }
        return requests(follow, frontend: "web")
    }

    static func droppedLogs(_ rig: Rig) throws -> Int {
        let info = try RuntimeAPIClient(address: .unix(path: rig.haproxy.socketPath)).send(.showInfo)
        return info.split(separator: "\n").first { $0.hasPrefix("DroppedLogs:") }.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
    }

    @Test(arguments: ["udp", "unix"])
    func aReceiverPrintsEveryRequestOnce(kind: String) throws {
        let source: String, logLine: String
        if kind == "udp" {
            let port = try FreePort.next()
            source = "udp://127.0.0.1:\(port)"
            logLine = "log 127.0.0.1:\(port) len 8192 local0 info"
        } else {
            let dir = try HAProxyProcess.makeTemporaryDirectory("hascale-unix-log")
            let path = dir.appendingPathComponent("haproxy-log.sock").path
            source = "unix:\(path)"
            // RFC 5424 on this one: the receiver reads both framings.
            logLine = "log \(path) len 8192 format rfc5424 local0 info"
        }
        let follow = try ChildProcess(CLI.binary, ["follow", "--json", source])
        defer { follow.terminate() }
        try follow.waitForLine("the receiver to listen", timeout: 10) { $0.contains("following \(source)") }
        let rig = try Rig(logLine: logLine)
        defer { rig.stop() }
        #expect(try Self.roundTrip(rig, follow, 200, marks: 1) == 200, "\(follow.output.suffix(5))")
        #expect(!follow.output.contains { $0.contains("skipped") || $0.contains("dropped") }, "\(follow.output.filter { !$0.hasPrefix("{") })")
    }

    /// The follower stopped (SIGSTOP) while a burst arrives: what the kernel could
    /// not hold is counted, and received + dropped is exactly what was sent.
    @Test func kernelDropsAreCountedNotSilent() throws {
        let port = try FreePort.next()
        let follow = try ChildProcess(CLI.binary, ["follow", "--json", "--receive-buffer", "65536", "udp://127.0.0.1:\(port)"])
        defer { follow.terminate() }
        try follow.waitForLine("the receiver to listen", timeout: 10) { $0.contains("following udp://") }
        let line = "<134>Dec  2 10:00:00 haproxy[1]: 127.0.0.1:4000 [02/Dec/2026:10:00:00.000] web app/s1 0/0/0/5/5 200 10 - - ---- 1/1/0/0/0 0/0 \"GET / HTTP/1.1\"\n"
        let sent = 5_000
        kill(follow.process.processIdentifier, SIGSTOP)
        let sender = try UDPSender(port: port)
        for _ in 0..<sent { sender.send(line) }
        kill(follow.process.processIdentifier, SIGCONT)
        // The drop report comes with the first batch read after the burst. Loopback delivers a
        // sent datagram from a softirq backlog, so a few may still be dropped after that first
        // count: `follow` reports each further count as it learns it, and they add up.
        let warning = try follow.waitForLine("the drop warning", timeout: 20) { $0.contains("the kernel dropped") }
        func dropped() -> Int {
            follow.output.filter { $0.contains("the kernel dropped ") }
                .compactMap { Int($0.components(separatedBy: "the kernel dropped ")[1].prefix { $0.isNumber }) }.reduce(0, +)
        }
        #expect(dropped() > 0)
        try waitUntil(20, "every datagram either printed or counted dropped", follow) {
            follow.output.filter { $0.hasPrefix("{") }.count + dropped() >= sent
        }
        #expect(follow.output.filter { $0.hasPrefix("{") }.count + dropped() == sent, "\(follow.output.filter { $0.contains("dropped") })")
        #expect(warning.contains("net.core.rmem_max"), "the warning says what to do: \(warning)")
    }

    @Test func standardInputIsReadToItsEndAndExits() throws {
        var lines = ""
        for i in 1...100 {
            lines += "127.0.0.1:\(i) [02/Dec/2026:10:00:00.000] web app/s1 0/0/0/\(i)/\(i) 200 10 - - ---- 1/1/0/0/0 0/0 \"GET / HTTP/1.1\"\n"
        }
        // The last line has no newline: end of input still delivers it.
        lines.removeLast()
        let r = try CLI.run(["follow", "--json", "-"], stdin: lines)
        #expect(r.code == 0, "\(r.err)")
        let out = r.out.split(separator: "\n")
        #expect(out.count == 100)
        #expect(out.last?.contains("\"Tr\":100") == true, "\(out.suffix(1))")
    }

    /// journald where none runs, HAProxy logging to its syslog socket, a journald
    /// restart, then a rotation with the archived files deleted, between rounds:
    /// nothing journald accepted is lost or read twice.
    @Test func theJournalPrintsEveryRequestOnceAcrossRestartRotationAndVacuum() throws {
        // HAProxy drops a log line when journald's syslog socket is full, and the kernel's
        // default queue is 10 datagrams, which a pause of journald's (a rotation) fills.
        // systemd raises it to 512 on every host it boots (50-default.conf); so does this test.
        let qlen = "/proc/sys/net/unix/max_dgram_qlen"
        let oldQlen = try? String(contentsOfFile: qlen, encoding: .utf8)
        try? "512\n".write(toFile: qlen, atomically: false, encoding: .utf8)
        defer { if let oldQlen { try? oldQlen.write(toFile: qlen, atomically: false, encoding: .utf8) } }
        var journald = try JournaldProcess()
        defer { journald.stop() }
        let rig = try Rig(logLine: "log /run/systemd/journal/dev-log local0 info")
        defer { rig.stop() }
        var lost = 0
        let follow = try ChildProcess(CLI.binary, ["follow", "--json", "journal:haproxy.service"])
        defer { follow.terminate() }
        try follow.waitForLine("the journal follower to start", timeout: 10) { $0.contains("following journal:haproxy.service from its end") }
        #expect(try Self.roundTrip(rig, follow, 100, marks: 1, dropped: &lost) == 100 - lost, "\(follow.output.suffix(5))")
        guard journald.startedHere else {
            Issue.record("a system journald runs here: the restart half of this test needs the journald the test started")
            return
        }
        journald.stop()
        journald = try JournaldProcess()
        #expect(try Self.roundTrip(rig, follow, 100, marks: 2, dropped: &lost) == 200 - lost, "\(follow.output.filter { !$0.hasPrefix("{") })")
        // Rotation under the reader, then vacuuming of the files it has read: it goes on.
        try journald.rotate()
        #expect(try Self.roundTrip(rig, follow, 100, marks: 3, dropped: &lost) == 300 - lost, "\(follow.output.filter { !$0.hasPrefix("{") })")
        journald.vacuum()
        #expect(try Self.roundTrip(rig, follow, 100, marks: 4, dropped: &lost) == 400 - lost, "\(follow.output.filter { !$0.hasPrefix("{") })")
        // Journald's rate-limit notice about the unit, as journald writes it: a warning with both fixes.
        try JournalNative.send(["MESSAGE_ID": "a596d6fe7bfa4994828e72309e95d61e", "MESSAGE": "Suppressed 1234 messages from haproxy.service", "N_DROPPED": "1234"])
        let warning = try follow.waitForLine("the rate-limit warning", timeout: 20) { $0.contains("journald suppressed") }
        #expect(warning.contains("1234 messages from haproxy.service") && warning.contains("RateLimitBurst") && warning.contains("udp://127.0.0.1:5140"), "\(warning)")
        // Every round's lines reached journald (checked in each round), and each was printed once.
        #expect(Self.requests(follow, frontend: "web") == 400 - lost, "nothing journald accepted lost, nothing read twice")
        #expect(lost <= 5, "HAProxy could hand all but a few lines to journald: \(lost) dropped")
    }
}

/// Datagrams to 127.0.0.1:`port`, as HAProxy sends its log.
struct UDPSender {
    let fd: Int32
    var address = sockaddr_in()

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
    }

    func send(_ text: String) {
        var a = address
        _ = text.utf8CString.withUnsafeBytes { b in
            withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, b.baseAddress, b.count - 1, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        }
    }
}

/// journald's native protocol: one datagram of `FIELD=value` lines to its socket,
/// so a test can write an entry with the fields journald itself would write.
enum JournalNative {
    static func send(_ fields: [String: String]) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        let payload = Array(fields.map { "\($0.key)=\($0.value)\n" }.joined().utf8)
        let r = RuntimeAPIProxy.withAddress(JournaldProcess.socketPath) { addr, len in
            payload.withUnsafeBytes { Int32(sendto(fd, $0.baseAddress, $0.count, 0, addr, len)) }
        }
        guard r == Int32(payload.count) else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }
}
