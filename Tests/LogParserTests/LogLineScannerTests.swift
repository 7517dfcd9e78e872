import LogParser
import Testing

/// Every framing an operator meets, wrapped around every payload format.
private let framings: [(LogFraming, String)] = [
    (.raw, ""),
    (.rfc3164, "<134>Nov 22 21:10:58 haproxy[6037]: "),
    (.rfc3164, "<134>Nov 22 21:10:58 lb-1.example haproxy[6037]: "),
    (.bsdFile, "Nov 22 21:10:58 lb-1 haproxy[6037]: "),
    (.bsdFile, "Nov  2 03:04:05 lb-1 haproxy[6037]: "),
    (.bsdFile, "Nov 02 03:04:05 lb-1 haproxy: "),
    (.isoFile, "2026-11-22T21:10:58.882126+00:00 lb-1 haproxy[6037]: "),
    (.isoFile, "2026-11-22T21:10:58+01:00 lb-1 haproxy[6037]: "),
    (.rfc5424, "<134>1 2026-11-22T21:10:58.882126+00:00 lb-1 haproxy 6037 - - "),
    (.rfc5424, "<134>1 2026-11-22T21:10:58.882126+00:00 lb-1 haproxy 6037 - [meta seq=\"1\" note=\"a \\] b\"] "),
    (.rfc5424, "<134>1 2026-11-22T21:10:58Z lb-1 haproxy 6037 - [a x=\"1\"][b y=\"2\"] \u{FEFF}"),
]

/// A payload and the fields it must yield (framing filled in per row).
private struct Payload {
    var text: String
    var expected: ParsedLine
}

private let payloads: [Payload] = [
    // HAProxy 2.6 httplog, as a real 2.6 wrote it (captures hold escaped quotes and braces).
    Payload(
        text: #"127.0.0.1:33700 [22/Nov/2026:21:54:24.979] fe be1/s1 0/0/0/6/7 200 460 - - ---- 1/1/0/0/0 0/0 {127.0.0.1:18080|a #22q#22 #7Bx#7D #7Cy} "GET / HTTP/1.1""#,
        expected: ParsedLine(framing: .raw, mode: .http, frontend: "fe", backend: "be1", server: "s1",
            TR: 0, Tw: 0, Tc: 0, Tr: 6, Ta: 7, status: 200, bytes: 460, termination: "----")),
    // HAProxy 1.4 order Tq/Tw/Tc/Tr/Tt, same positions.
    Payload(
        text: #"10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 {1wt.eu} {} "GET /index.html HTTP/1.1""#,
        expected: ParsedLine(framing: .raw, mode: .http, frontend: "http-in", backend: "static", server: "srv1",
            TR: 10, Tw: 0, Tc: 30, Tr: 69, Ta: 109, status: 200, bytes: 2750, termination: "----")),
    // IPv6 client without brackets, SSL frontend, names with '-', '_', '.'.
    Payload(
        text: #"2001:db8::1:5555 [22/Nov/2026:21:10:58.882] https-in~ app_pool.v2/web-01.dc1 1/0/2/143/150 302 0 - - --VN 3/2/1/1/0 0/0 "GET /login HTTP/2.0""#,
        expected: ParsedLine(framing: .raw, mode: .http, frontend: "https-in", ssl: true, backend: "app_pool.v2",
            server: "web-01.dc1", TR: 1, Tw: 0, Tc: 2, Tr: 143, Ta: 150, status: 302, bytes: 0, termination: "--VN")),
    // A denied request: <NOSRV>, -1 timers.
    Payload(
        text: #"127.0.0.1:33716 [22/Nov/2026:21:54:24.998] fe fe/<NOSRV> 0/-1/-1/-1/0 403 192 - - PR-- 1/1/0/0/0 0/0 {127.0.0.1:18080|curl/7.88.1} "GET /deny HTTP/1.1""#,
        expected: ParsedLine(framing: .raw, mode: .http, frontend: "fe", backend: "fe", server: "<NOSRV>",
            TR: 0, Tw: -1, Tc: -1, Tr: -1, Ta: 0, status: 403, bytes: 192, termination: "PR--")),
    // A bad request: -1 status, <BADREQ>.
    Payload(
        text: #"127.0.0.1:40000 [22/Nov/2026:21:54:25.100] fe fe/<NOSRV> -1/-1/-1/-1/1 -1 0 - - CR-- 1/1/0/0/0 0/0 "<BADREQ>""#,
        expected: ParsedLine(framing: .raw, mode: .http, frontend: "fe", backend: "fe", server: "<NOSRV>",
            TR: -1, Tw: -1, Tc: -1, Tr: -1, Ta: 1, status: -1, bytes: 0, termination: "CR--")),
    // option logasap: '+' on the bytes and the last timer; redispatch '+' on retries.
    Payload(
        text: #"192.168.0.7:4242 [22/Nov/2026:21:10:58.882] fe be/s2 0/0/1/12/+13 200 +4096 - - ---- 1/1/1/1/+1 0/0 {a b|"c" {d}} "GET /big HTTP/1.1""#,
        expected: ParsedLine(framing: .raw, mode: .http, frontend: "fe", backend: "be", server: "s2",
            TR: 0, Tw: 0, Tc: 1, Tr: 12, Ta: 13, status: 200, bytes: 4096, termination: "----", logasap: true)),
    // Captured cookies present, a server timeout (504, Tr -1), no request line (truncated by HAProxy's len).
    Payload(
        text: #"127.0.0.1:1 [22/Nov/2026:21:10:58.882] fe be/slow 0/0/0/-1/5001 504 194 SID=1 - sH-- 1/1/1/1/0 0/0"#,
        expected: ParsedLine(framing: .raw, mode: .http, frontend: "fe", backend: "be", server: "slow",
            TR: 0, Tw: 0, Tc: 0, Tr: -1, Ta: 5001, status: 504, bytes: 194, termination: "sH--")),
    // option httplog clf, as a real 2.6 wrote it.
    Payload(
        text: #"127.0.0.1 - - [22/Nov/2026:21:54:28 +0000] "GET /x HTTP/1.1" 404 500 "" "" 55400 029 "feclf" "be1" "s1" 0 0 0 12 12 ---- 1 1 0 0 0 0 0 "" "" "#,
        expected: ParsedLine(framing: .raw, mode: .http, isCLF: true, frontend: "feclf", backend: "be1", server: "s1",
            TR: 0, Tw: 0, Tc: 0, Tr: 12, Ta: 12, status: 404, bytes: 500, termination: "----")),
    // CLF with an IPv6 client, an SSL frontend, a request holding a quote, logasap.
    Payload(
        text: #"2001:db8::7 - - [22/Nov/2026:21:54:28 +0000] "GET /a"b HTTP/1.1" 200 +10 "" "" 443 001 "web~" "pool" "<NOSRV>" 5 -1 -1 -1 +7 PR-- 1 1 0 0 0 0 0 "" """#,
        expected: ParsedLine(framing: .raw, mode: .http, isCLF: true, frontend: "web", ssl: true, backend: "pool",
            server: "<NOSRV>", TR: 5, Tw: -1, Tc: -1, Tr: -1, Ta: 7, status: 200, bytes: 10, termination: "PR--",
            logasap: true)),
    // option tcplog, as a real 2.6 wrote it.
    Payload(
        text: "127.0.0.1:33286 [22/Nov/2026:21:54:28.055] fetcp betcp/t1 1/0/1 461 -- 1/1/0/0/0 0/0",
        expected: ParsedLine(framing: .raw, mode: .tcp, frontend: "fetcp", backend: "betcp", server: "t1",
            TR: -1, Tw: 1, Tc: 0, Tr: -1, Ta: 1, status: -1, bytes: 461, termination: "--")),
    // tcplog: refused connection, logasap.
    Payload(
        text: "[::1]:5 [22/Nov/2026:21:54:28.055] db~ mysql/m-2 0/-1/+3000 +0 SC 0/0/0/0/3 0/0",
        expected: ParsedLine(framing: .raw, mode: .tcp, frontend: "db", ssl: true, backend: "mysql", server: "m-2",
            TR: -1, Tw: 0, Tc: -1, Tr: -1, Ta: 3000, status: -1, bytes: 0, termination: "SC", logasap: true)),
]

@Suite("LogLineScanner: every framing × every payload")
struct LogLineScannerTableTests {
    @Test(arguments: framings.indices)
    func framingTimesPayload(framingIndex: Int) {
        let (framing, prefix) = framings[framingIndex]
        for payload in payloads {
            for ending in ["", "\n", "\r\n"] {
                var expected = payload.expected
                expected.framing = framing
                let result = Scan.line(prefix + payload.text + ending)
                #expect(result == .success(expected), "framing \(framing) prefix \(prefix.debugDescription) payload \(payload.text)")
            }
        }
    }

    /// The accept date and the counters are found behind every header, on
    /// every path: the date is what the brackets after the client hold, the
    /// counters the field (CLF: the five fields) after the termination state.
    @Test(arguments: framings.indices)
    func acceptDateAndCountersBehindEveryHeader(framingIndex: Int) throws {
        let (_, prefix) = framings[framingIndex]
        for payload in payloads {
            let text = payload.text
            let open = try #require(text.range(of: " ["))
            let close = try #require(text[open.upperBound...].firstIndex(of: "]"))
            let date = String(text[open.upperBound..<close])
            let afterTermination = text[text.range(of: " \(payload.expected.termination) ")!.upperBound...]
            let fields = afterTermination.split(separator: " ", omittingEmptySubsequences: false)
            let connections = payload.expected.isCLF ? fields[0..<5].joined(separator: " ") : String(fields[0])
            let read = try #require(Lazy.read(prefix + text), "\(prefix)\(text)")
            #expect(read.date == date && read.connections == connections, "\(prefix)\(text)")
            #expect(read.acceptMs != nil && read.counts != nil, "\(prefix)\(text)")
            if let counts = read.counts {
                let numbers = connections.split(whereSeparator: { $0 == "/" || $0 == " " }).map { Int32($0.drop(while: { $0 == "+" }))! }
                #expect([counts.actconn, counts.feconn, counts.beconn, counts.srvConn, counts.retries] == numbers)
            }
        }
    }

    @Test func sameRequestSameResultAcrossFramings() {
        // The same request, however wrapped, must give the same fields.
        let payload = payloads[0]
        var seen: Set<String> = []
        for (_, prefix) in framings {
            guard case .success(var p) = Scan.line(prefix + payload.text) else {
                Issue.record("rejected: \(prefix)")
                continue
            }
            p.framing = .raw
            seen.insert(p.description)
        }
        #expect(seen.count == 1)
    }
}

@Suite("LogLineScanner: rejections")
struct LogLineScannerRejectionTests {
    static let good = #"127.0.0.1:33700 [22/Nov/2026:21:54:24.979] fe be1/s1 0/0/0/6/7 200 460 - - ---- 1/1/0/0/0 0/0"#

    @Test func goodLineParses() {
        #expect(Scan.rejection(Self.good) == nil)
    }

    @Test(arguments: [
        ("", LogRejection.empty),
        ("   \r\n", .empty),
        // Other programs' syslog lines and HAProxy's own messages.
        ("Nov 22 21:10:58 lb-1 kernel: [12345.678] eth0: link up", .notARequestLog),
        ("Nov 22 21:10:58 lb-1 CRON[123]: (root) CMD (run-parts /etc/cron.hourly)", .notARequestLog),
        ("<133>Nov 22 21:10:58 haproxy[6037]: Proxy fe started.", .notARequestLog),
        ("<129>Nov 22 21:10:58 haproxy[6037]: Server be1/s1 is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", check duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.", .notARequestLog),
        ("[NOTICE]   (2538) : haproxy version is 2.6.12-1+deb12u4", .notARequestLog),
        ("<12>1 2026-11-22T21:10:58Z host app 1 - - hello world", .notARequestLog),
        // Broken syslog headers.
        ("<1234>Nov 22 21:10:58 haproxy[1]: x", .malformedSyslogHeader),
        ("<134Nov 22 21:10:58 haproxy[1]: x", .malformedSyslogHeader),
        ("Nov 22 21:10 lb haproxy[1]: x", .malformedSyslogHeader),
        ("Nov 22 21:10:58 lb-1 haproxy[1]", .malformedSyslogHeader),
        ("Nov 22 21:10:58 a b c: x", .malformedSyslogHeader),
        ("2026-11-22 21:10:58 lb haproxy: x", .malformedSyslogHeader),
        ("<134>1 2026-11-22T21:10:58Z host haproxy 1 - [unterminated x=\"1\" ", .malformedSyslogHeader),
        ("<134>1 2026-11-22T21:10:58Z host haproxy", .malformedSyslogHeader),
        // Truncated request logs: cut anywhere before the queue counters.
        ("127.0.0.1:33700 [22/Nov/2026:21:54:24.979] fe be1/s1 0/0/0/6/7 200 460 - - ---- 1/1/0/0/0", .truncated),
        ("127.0.0.1:33700 [22/Nov/2026:21:54:24.979] fe be1/s1 0/0/0/6/7 200 460 - - ---- 1/1/0/0/0 0/", .truncated),
        ("127.0.0.1:33700 [22/Nov/2026:21:54:24.979] fe be1/s1 0/0/0/6/7 200", .truncated),
        ("127.0.0.1:33700 [22/Nov/2026:21:54:24.979] fe be1/s1 0/0/0/6/", .truncated),
        ("127.0.0.1:33700 [22/Nov/2026:21:54:24.979] fe be1/s1", .truncated),
        ("127.0.0.1:33700 [22/Nov/2026:21:54:24.979] fe be1", .truncated),
        ("127.0.0.1:33700 [22/Nov/2026:21:5", .truncated),
        ("127.0.0.1 - - [22/Nov/2026:21:54:28 +0000] \"GET /x HTTP/1.1", .truncated),
        // Malformed fields.
        ("127.0.0.1:33700 [22/Nov/2026:21:54:24.979] fe be1 0/0/0/6/7 200 460 - - ---- 1/1/0/0/0 0/0", .malformedField),
        ("127.0.0.1:33700 [22/Nov/2026:21:54:24.979] fe be1/s1 0/0/0/6 200 460 - - ---- 1/1/0/0/0 0/0", .malformedField),
        ("127.0.0.1:33700 [22/Nov/2026:21:54:24.979] fe be1/s1 0/0/0/6/7/8 200 460 - - ---- 1/1/0/0/0 0/0", .malformedField),
        ("127.0.0.1:33700 [22/Nov/2026:21:54:24.979] fe be1/s1 0/0/x/6/7 200 460 - - ---- 1/1/0/0/0 0/0", .malformedField),
        ("127.0.0.1:33700 [22/Nov/2026:21:54:24.979] fe be1/s1 0/0/0/6/7 20 460 - - ---- 1/1/0/0/0 0/0", .malformedField),
        ("127.0.0.1:33700 [22/Nov/2026:21:54:24.979] fe be1/s1 0/0/0/6/7 200 460 - - -- 1/1/0/0/0 0/0", .malformedField),
        ("127.0.0.1:33700 [22/Nov/2026:21:54:24.979] fe be1/s1 0/0/0/6/7 200 460 - - ---- 1/1/0/0/0 0/0x", .malformedField),
        ("127.0.0.1:33286 [22/Nov/2026:21:54:28.055] fetcp betcp/t1 1/0/1 461 ---- 1/1/0/0/0 0/0", .malformedField),
        ("127.0.0.1:33700 [22/Nov/2026:21:54:24.979] fe /s1 0/0/0/6/7 200 460 - - ---- 1/1/0/0/0 0/0", .malformedField),
        // Numbers that overflow their field.
        ("127.0.0.1:33700 [22/Nov/2026:21:54:24.979] fe be1/s1 0/0/0/99999999999/7 200 460 - - ---- 1/1/0/0/0 0/0", .numberOverflow),
        ("127.0.0.1:33700 [22/Nov/2026:21:54:24.979] fe be1/s1 0/0/0/6/7 200 99999999999999999999999 - - ---- 1/1/0/0/0 0/0", .numberOverflow),
        ("127.0.0.1:33700 [22/Nov/2026:21:54:24.979] fe be1/s1 0/0/0/6/7 2000 460 - - ---- 1/1/0/0/0 0/0", .numberOverflow),
        ("127.0.0.1:33700 [22/Nov/2026:21:54:24.979] fe be1/s1 0/0/0/6/7 200 9223372036854775808 - - ---- 1/1/0/0/0 0/0", .numberOverflow),
    ] as [(String, LogRejection)])
    func rejected(line: String, reason: LogRejection) {
        #expect(Scan.rejection(line) == reason, "\(line)")
    }

    @Test func largestNumbersStillFit() {
        let line = "127.0.0.1:1 [22/Nov/2026:21:54:24.979] fe b/s 0/0/0/2147483647/7 200 9223372036854775807 - - ---- 1/1/0/0/0 0/0"
        guard case .success(let p) = Scan.line(line) else {
            Issue.record("rejected")
            return
        }
        #expect(p.Tr == Int32.max)
        #expect(p.bytes == Int64.max)
    }

    @Test func lineLengthLimit() {
        // A long request line is fine up to the limit, and rejected whole past it.
        let head = Self.good + " \"GET /"
        let fits = head + String(repeating: "a", count: LogLineScanner.maximumLineLength - head.utf8.count - 1) + "\""
        #expect(fits.utf8.count == LogLineScanner.maximumLineLength)
        #expect(Scan.rejection(fits) == nil)
        #expect(Scan.rejection(fits + "\r\n") == nil)
        #expect(Scan.rejection(fits + "x") == .tooLong)
    }

    /// Found by libFuzzer: a counters field that is a lone sign at the very end
    /// of the line made the scanner read one byte past it.
    @Test func loneSignAtEndOfLine() {
        let bytes: [UInt8] = Array("7.1 [225@] t b/".utf8) + [0x85] + Array("t1 1/0/+1 +461 /0  +".utf8)
        // Exactly sized buffer: any read past the end would be outside the allocation.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        defer { buffer.deallocate() }
        buffer.copyBytes(from: bytes)
        #expect(LogLineScanner.scan(UnsafeRawBufferPointer(buffer)).rejection != nil)
        #expect(Scan.rejection("127.0.0.1:1 [22/Nov/2026:21:54:28.055] t b/t1 1/0/1 461 -- 1/1/0/0/0 +") == .truncated)
    }

    @Test func binaryGarbage() {
        let garbage: [UInt8] = [0x00, 0xFF, 0x3C, 0x31, 0x3E, 0x00, 0x20, 0x5B, 0x20]
        let r = garbage.withUnsafeBytes { LogLineScanner.scan($0) }
        #expect(r.rejection != nil)
    }
}
