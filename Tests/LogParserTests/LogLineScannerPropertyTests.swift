import HAScaleTestKit
import LogParser
import Testing

@Suite("LogLineScanner: random and mutated input")
struct LogLineScannerPropertyTests {
    static let seeds: [String] = [
        #"Nov 22 10:00:00 lb-1 haproxy[6037]: 10.52.44.152:28675 [22/Nov/2026:10:00:00.654] www app3/web-302 0/0/0/1/3 200 35813 - - ---- 0/48/5/6/0 0/0 {app3.example.com|curl} "GET / HTTP/1.1""#,
        #"<134>1 2026-11-22T21:10:58.882126+00:00 lb-1 haproxy 6037 - [a b="\]"] 127.0.0.1:33286 [22/Nov/2026:21:54:28.055] fetcp betcp/t1 1/0/+1 +461 -- 1/1/0/0/0 0/0"#,
        #"127.0.0.1 - - [22/Nov/2026:21:54:28 +0000] "GET /x HTTP/1.1" 404 500 "" "" 55400 029 "feclf~" "be1" "s1" 0 0 0 12 12 ---- 1 1 0 0 0 0 0 "" """#,
        #"2026-11-22T21:10:58.882126+00:00 lb-1 haproxy[6037]: 2001:db8::1:5555 [22/Nov/2026:21:10:58.882] https-in~ app/<NOSRV> -1/-1/-1/-1/0 -1 0 - - CR-- 3/2/1/1/+1 0/0 "<BADREQ>""#,
    ]

    /// Scans `bytes` and checks what must hold for any input: ranges inside the line.
    static func check(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buf in
            guard case .record(let r) = LogLineScanner.scan(buf) else { return false }
            let connections = r.connections(in: buf)
            #expect(connections != nil, "no counters found in \(bytes)")
            for range in [r.frontend, r.backend, r.server, r.termination, r.acceptDate, connections ?? ByteRange(0, 0)] {
                #expect(range.lowerBound >= 0 && range.lowerBound <= range.upperBound
                    && Int(range.upperBound) <= buf.count, "range \(range) outside line \(bytes)")
            }
            #expect(!r.backend.isEmpty && !r.server.isEmpty && connections?.isEmpty == false)
            // Whatever the date's and the counters' bytes, converting them answers (maybe nil).
            _ = (r.acceptMilliseconds(in: buf), r.connectionCounts(in: buf), r.clfMilliseconds(in: buf))
            return true
        }
    }

    @Test func randomBytesNeverCrash() {
        var rng = SeededGenerator(seed: 1)
        var accepted = 0
        for _ in 0..<50_000 {
            let n = Int.random(in: 0..<300, using: &rng)
            let alphabet: [UInt8] = Array(" /:[]<>-+0123456789\"{}|~\r\nabcNov".utf8) + [0, 0xFF, 0xEF, 0xBB, 0xBF]
            let bytes = (0..<n).map { _ in
                Bool.random(using: &rng) ? alphabet.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            }
            if Self.check(bytes) { accepted += 1 }
        }
        // Random bytes essentially never form a request log.
        #expect(accepted < 10)
    }

    @Test func mutatedLinesNeverCrashOrLie() {
        var rng = SeededGenerator(seed: 2)
        var accepted = 0
        var rejected = 0
        for _ in 0..<100_000 {
            var bytes = Array(Self.seeds.randomElement(using: &rng)!.utf8)
            LineMutator.mutate(&bytes, maxEdits: 4, alphabet: Array(" /9-+\"]".utf8), using: &rng)
            if Self.check(bytes) { accepted += 1 } else { rejected += 1 }
        }
        // Both outcomes occur: the mutations hit fields that matter and fields that don't.
        #expect(accepted > 1_000)
        #expect(rejected > 1_000)
    }

    @Test func everyPrefixOfAGoodLineIsHandled() {
        for seed in Self.seeds {
            let bytes = Array(seed.utf8)
            for n in 0...bytes.count { _ = Self.check(Array(bytes[..<n])) }
        }
    }
}
