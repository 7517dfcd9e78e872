import HAScaleTestKit
import Testing

@testable import LogParser

/// The CLF tail's fast path may only ever answer what the careful scanner answers.
@Suite("CommonCLFTail: same answers as the careful scanner")
struct CommonCLFTailTests {
    static let seeds: [String] = [
        #"Nov 22 10:00:00 lb-1 haproxy[6037]: 10.139.70.28 - - [22/Nov/2026:10:00:00 +0000] "GET /api/v1/items?page=2 HTTP/1.1" 200 21746 "" "" 41373 765 "api-in" "app2" "web-205" 0 0 1 35 37 ---- 70 10 13 7 0 0 0 "" """#,
        #"127.0.0.1 - - [22/Nov/2026:21:54:28 +0000] "GET /x HTTP/1.1" 404 500 "" "" 55400 029 "feclf~" "be1" "s1" 0 0 0 12 12 ---- 1 1 0 0 0 0 0 "" """#,
        #"2001:db8::af72 - - [22/Nov/2026:10:00:00 +0000] "POST /a b \"c\" HTTP/1.1" 503 12345678 "" "" 1 999999999 "" "b" "s" 12345678 0 1 2 3 SC-- 999999999 1 2 3 4 5 6"#,
        // Taken by the careful path: -1 timers, logasap, a -1 status, unquoted names.
        #"10.0.0.1 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "" "" 1 2 "fe" "be" "s" -1 0 1 2 3 ---- 1 1 0 0 0 0 0 "" """#,
        #"10.0.0.1 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 +1 "" "" 1 2 "fe" "be" "s" 1 0 1 2 +3 ---- 1 1 0 0 0 0 0 "" """#,
        #"10.0.0.1 - - [22/Nov/2026:10:00:00 +0000] "<BADREQ>" -1 0 "" "" 1 2 "fe" "be" "<NOSRV>" -1 -1 -1 -1 0 PR-- 1 1 0 0 0 0 0 "" """#,
        #"10.0.0.1 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "" "" 1 2 fe be s 1 0 1 2 3 ---- 1 1 0 0 0 0 0 "" """#,
    ]
    static let fastSeeds = 3

    /// Whether the fast tail itself produced a record, reading from just after
    /// the request's closing quote (the first `"` followed by a space and a digit).
    static func takesFastTail(_ bytes: [UInt8]) -> Bool {
        guard let quote = bytes.indices.first(where: { i in
            i + 2 < bytes.count && bytes[i] == 0x22 && bytes[i + 1] == 0x20 && (bytes[i + 2] &- 0x30) < 10
        }) else { return false }
        return bytes.withUnsafeBufferPointer { b in
            CommonCLFTail.scan(ByteCursor(base: b.baseAddress!, start: quote + 1, end: b.count), framing: .raw) != nil
        }
    }

    @Test func seedsTakeTheirPathAndAgree() throws {
        for (i, line) in Self.seeds.enumerated() {
            let bytes = Array(line.utf8)
            #expect(Self.takesFastTail(bytes) == (i < Self.fastSeeds), "\(line)")
            let (fast, careful) = FastPathAgreement.both(bytes)
            #expect(fast == careful, "\(line)")
        }
        let r = try #require(LogLineScanner.scan(bytes: Array(Self.seeds[2].utf8)).record)
        #expect(r.isCLF && [r.TR, r.Tw, r.Tc, r.Tr, r.Ta] == [12_345_678, 0, 1, 2, 3])
        #expect(r.status == 503 && r.bytes == 12_345_678 && !r.isSSLFrontend)
    }

    @Test func mutatedLinesAgree() {
        let (disagreements, fastRecords) = FastPathAgreement.mutate(
            Self.seeds, runs: 100_000, seed: 13, alphabet: " \"-+~0123456789", takesFastPath: Self.takesFastTail)
        #expect(disagreements.isEmpty, "fast and careful paths disagree on: \(disagreements)")
        #expect(fastRecords > 10_000)
    }
}
