import LogParser
import Testing

/// The syslog header's HOSTNAME, which tells several HAProxy nodes apart when their
/// lines reach one controller through a relay.
@Suite("syslog hostname")
struct SyslogHostnameTests {
    static let message = "haproxy[123]: 127.0.0.1:40000 [22/Nov/2026:21:00:00.000] fe app/s1 0/0/0/20/21 200 512 - - ---- 4/4/4/4/0 0/0 \"GET / HTTP/1.1\""
    static let rawMessage = "127.0.0.1:40000 [22/Nov/2026:21:00:00.000] fe app/s1 0/0/0/20/21 200 512 - - ---- 4/4/4/4/0 0/0 \"GET / HTTP/1.1\""

    static func hostname(_ line: String) -> String?? {
        let bytes = Array(line.utf8)
        return bytes.withUnsafeBytes { buf -> String?? in
            guard case .record(let r) = LogLineScanner.scan(buf) else { return .none }
            return .some(r.syslogHostname(in: buf).map { String(decoding: $0.bytes(in: buf), as: UTF8.self) })
        }
    }

    @Test(arguments: [
        // HAProxy's RFC 3164 with `log-send-hostname`, and without it.
        ("<134>Nov 22 21:10:58 lb1 " + message, "lb1"),
        ("<134>Nov  2 21:10:58 lb2.example.com " + message, "lb2.example.com"),
        ("<134>Nov 22 21:10:58 " + message, nil),
        // RFC 5424, with a host and with none ("-").
        ("<134>1 2026-11-22T21:10:58.880+00:00 lb1 haproxy 123 - - " + rawMessage, "lb1"),
        ("<134>1 2026-11-22T21:10:58.880+00:00 - haproxy 123 - - " + rawMessage, nil),
        // rsyslog's files: the traditional and the RFC 3339 timestamp.
        ("Nov 22 21:10:58 lb3 " + message, "lb3"),
        ("2026-11-22T21:10:58.880123+00:00 lb1 " + message, "lb1"),
        // No header at all.
        (rawMessage, nil),
    ] as [(String, String?)])
    func theHostIsFoundInEachFraming(line: String, host: String?) throws {
        let found = try #require(Self.hostname(line), "the line did not scan as a request: \(line)")
        #expect(found == host, "\(line)")
    }
}
