import HAScaleTestKit
import Testing

@testable import LogParser

/// The fast path may only ever answer what the careful scanner answers.
@Suite("CommonRequestLine: same answers as the careful scanner")
struct CommonRequestLineTests {
    static let common =
        #"Nov 22 10:00:00 lb-1 haproxy[6037]: 10.52.44.152:28675 [22/Nov/2026:10:00:00.654] www~ app3/web-302 0/0/12/345/360 200 35813 - - ---- 10/48/5/6/0 0/0 {app3.example.com|curl} "GET /cart HTTP/1.1""#

    static let seeds: [String] = [
        common,
        #"10.49.183.217:23565 [22/Nov/2026:10:00:00.159] api-in app3/web-301 0/0/0/12/14 500 19313 - - ---- 5/42/7/4/0 0/0 "GET /login HTTP/1.1""#,
        #"<134>1 2026-11-22T10:00:00.899Z lb-1 haproxy 6037 - - 10.35.64.33:44261 [22/Nov/2026:10:00:00.899] www~ app1/web-101 0/0/3/117/122 500 45311 - - ---- 85/41/11/7/0 0/0 {a|b} "POST / HTTP/1.1""#,
        #"<134>Nov 22 10:00:00 haproxy[6037]: 10.46.24.221:8209 [22/Nov/2026:10:00:00.597] www app2/web-202 2/0/0/39/42 200 34776 - - ---- 14/43/17/4/0 0/0 {a|b} "POST / HTTP/1.1""#,
        // Fields at the edges: 15 bytes of timers, 8 digits of bytes, long counters,
        // and a line that ends at the queue counters (the last window is read
        // from the line's end backwards).
        #"10.0.0.1:1 [22/Nov/2026:10:00:00.159] fe be/s 1/2/3/1234567/9 204 12345678 - - ---- 1/1/1/1/0 0/0 "GET / HTTP/1.1" and some more text"#,
        #"10.0.0.1:1 [22/Nov/2026:10:00:00.159] fe be/s 10/20/30/400/50 204 1 - - ---- 1000/2000/300/100/3 10/20 "GET / HTTP/1.1" and some more"#,
        #"10.0.0.1:1 [22/Nov/2026:10:00:00.159] fe be/s 1/2/3/4/5 204 1 - - ---- 1/1/1/1/0 0/0"#,
        // tcplog, the three timers converted at once.
        #"Nov 22 10:00:00 lb-1 haproxy[6037]: 10.0.0.1:1 [22/Nov/2026:10:00:00.159] db-in mysql/db-2 1234567/0/12345 9876 sD 100/200/30/10/3 0/0"#,
        // -1 timers (a backend with no server up), converted at once.
        #"Nov 22 10:00:00 lb-1 haproxy[6037]: 10.160.223.156:65526 [22/Nov/2026:10:00:00.271] api-in static_pool.v2/<NOSRV> 2/0/-1/-1/3 503 45113 - - ---- 85/21/19/5/0 0/0 {a|b} "GET / HTTP/1.1""#,
        #"10.0.0.1:1 [22/Nov/2026:10:00:00.159] fe be/<NOSRV> -1/0/-1/-1/-1 503 212 - - SC-- 1/1/0/0/0 0/0 "GET / HTTP/1.1" and more"#,
        // Taken by the careful path: numbers or fields too long for the window,
        // -1 timers, logasap, cookies, CLF, tcp.
        #"10.0.0.1:1 [22/Nov/2026:10:00:00.159] fe be/s 1/2/3/123456789/1 204 1234 - - ---- 1/1/1/1/0 0/0 "GET / HTTP/1.1" and some more text"#,
        #"10.0.0.1:1 [22/Nov/2026:10:00:00.159] fe be/s 10/20/30/4000/5000 204 1 - - ---- 1/2/3/1/3 10/20 "GET / HTTP/1.1" and some more"#,
        #"10.0.0.1:1 [22/Nov/2026:10:00:00.159] fe be/s 1/2/3/4/5 204 123456789 - - ---- 1/1/1/1/0 0/0 "GET / HTTP/1.1" and some more text"#,
        #"2026-11-22T21:10:58.882126+00:00 lb-1 haproxy[6037]: 2001:db8::1:5555 [22/Nov/2026:21:10:58.882] https-in~ app/<NOSRV> -1/-1/-1/-1/0 -1 0 - - CR-- 3/2/1/1/+1 0/0 "<BADREQ>""#,
        #"10.0.0.1:1 [22/Nov/2026:10:00:00.159] fe be/s 1/0/0/5/+6 200 +512 sid=1 - ---- 1/1/1/1/0 0/0 "GET / HTTP/1.1" and some more text"#,
        #"127.0.0.1:33286 [22/Nov/2026:21:54:28.055] fetcp betcp/t1 1/0/+1 +461 -- 1/1/0/0/0 0/0"#,
        // Negative timers other than -1, and a minus inside a number.
        #"10.0.0.1:1 [22/Nov/2026:10:00:00.159] fe be/s 1/0/-2/-1/3 503 212 - - SC-- 1/1/0/0/0 0/0 "GET / HTTP/1.1" and more"#,
        #"10.0.0.1:1 [22/Nov/2026:10:00:00.159] fe be/s 1/0/-10/-1/3 503 212 - - SC-- 1/1/0/0/0 0/0 "GET / HTTP/1.1" and more"#,
        #"10.0.0.1:1 [22/Nov/2026:10:00:00.159] fe be/s 1/0/1-1/1/3 503 212 - - SC-- 1/1/0/0/0 0/0 "GET / HTTP/1.1" and more"#,
        #"127.0.0.1 - - [22/Nov/2026:21:54:28 +0000] "GET /x HTTP/1.1" 404 500 "" "" 55400 029 "feclf~" "be1" "s1" 0 0 0 12 12 ---- 1 1 0 0 0 0 0 "" """#,
    ]

    /// Whether the fast path itself produced the record (not the careful fallback).
    static func takesFastPath(_ line: String) -> Bool {
        var bytes = Array(line.utf8)
        return bytes.withUnsafeMutableBufferPointer { b in
            var c = ByteCursor(base: UnsafePointer(b.baseAddress!), start: 0, end: b.count)
            guard (try? SyslogHeader.skip(&c)) != nil else { return false }
            return CommonRequestLine.scan(c, framing: .raw) != nil
        }
    }

    @Test func commonLinesTakeTheFastPathAndAgree() throws {
        for line in Self.seeds.prefix(10) {
            #expect(Self.takesFastPath(line), "expected the fast path for \(line)")
        }
        for line in Self.seeds.dropFirst(10) {
            #expect(!Self.takesFastPath(line), "expected the careful path for \(line)")
        }
        for line in Self.seeds {
            let (fast, careful) = FastPathAgreement.both(Array(line.utf8))
            #expect(fast == careful, "\(line)")
        }
        let r = try #require(LogLineScanner.scan(bytes: Array(Self.common.utf8)).record)
        #expect([r.TR, r.Tw, r.Tc, r.Tr, r.Ta] == [0, 0, 12, 345, 360])
        #expect(r.status == 200 && r.bytes == 35813)
        #expect(r.isSSLFrontend && r.mode == .http && !r.isLogasap)
        let big = try #require(LogLineScanner.scan(bytes: Array(Self.seeds[4].utf8)).record)
        #expect(big.Tr == 1_234_567 && big.Ta == 9)
        #expect(big.status == 204 && big.bytes == 12_345_678)
        let tcp = try #require(LogLineScanner.scan(bytes: Array(Self.seeds[7].utf8)).record)
        #expect(tcp.mode == .tcp && [tcp.TR, tcp.Tw, tcp.Tc, tcp.Tr, tcp.Ta] == [-1, 1_234_567, 0, -1, 12_345])
        #expect(tcp.status == -1 && tcp.bytes == 9876)
        let down = try #require(LogLineScanner.scan(bytes: Array(Self.seeds[9].utf8)).record)
        #expect([down.TR, down.Tw, down.Tc, down.Tr, down.Ta] == [-1, 0, -1, -1, -1] && down.status == 503)
    }

    /// The names' window may be guessed anywhere: a wrong guess may only cost
    /// time, never change an answer. Every seed, every guess from the line's
    /// start to its end, with and without the client's end from the header.
    @Test func anyNamesGuessGivesTheSameAnswer() {
        var records = 0
        for line in Self.seeds {
            var bytes = Array(line.utf8)
            bytes.withUnsafeMutableBufferPointer { b in
                var c = ByteCursor(base: UnsafePointer(b.baseAddress!), start: 0, end: b.count)
                var header = PayloadHint()
                guard (try? SyslogHeader.skip(&c, carefully: false, hint: &header)) != nil else { return }
                let expected = CommonRequestLine.scan(c, framing: .raw, hint: PayloadHint(namesGuess: -1_000))
                for clientEnd in [0, header.clientEnd] {
                    for guess in 1..<b.count {
                        let hint = PayloadHint(clientEnd: clientEnd, namesGuess: guess)
                        let answer = CommonRequestLine.scan(c, framing: .raw, hint: hint)
                        #expect(answer == expected, "guess \(guess), client end \(clientEnd): \(line)")
                        if answer != nil { records += 1 }
                    }
                }
            }
        }
        #expect(records > 1_000)
    }

    @Test func mutatedLinesAgree() {
        let (disagreements, fastRecords) = FastPathAgreement.mutate(
            Self.seeds, runs: 200_000, seed: 7, alphabet: " /-+:0123456789~[]\"",
            takesFastPath: { Self.takesFastPath(String(decoding: $0, as: UTF8.self)) })
        #expect(disagreements.isEmpty, "fast and careful paths disagree on: \(disagreements)")
        // The mutations must exercise the fast path, not only the fallback.
        #expect(fastRecords > 10_000)
    }
}
