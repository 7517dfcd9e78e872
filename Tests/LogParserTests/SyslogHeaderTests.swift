import HAScaleTestKit
import Testing

@testable import LogParser

/// The header's fast paths (the tag's and RFC 5424's space masks) must stop
/// where the careful token loops stop, and the client's end they hand on
/// must be the message's first space.
@Suite("SyslogHeader: fast and careful header scans agree")
struct SyslogHeaderTests {
    static let message =
        #"10.52.44.152:28675 [22/Nov/2026:10:00:00.654] www app3/web-302 0/0/0/1/3 200 35813 - - ---- 0/48/5/6/0 0/0 "GET / HTTP/1.1""#

    /// Each header, and whether its fast path sees the client's end: it does
    /// unless the header is too long for one window (it still skips the header).
    static let headers: [(String, handsOn: Bool)] = [
        ("Nov 22 10:00:00 lb-1 haproxy[6037]: ", true),
        ("Nov  2 03:04:05 haproxy[6037]: ", true),
        ("<134>Nov 22 10:00:00 haproxy[6037]: ", true),
        ("<134>Nov 22 10:00:00 lb-1.example.com haproxy[6037]: ", true),
        ("2026-11-22T21:10:58.882126+00:00 lb-1 haproxy[6037]: ", true),
        ("2026-11-22T21:10:58.882126+00:00 a-rather-long-host-name.example.com haproxy[6037]: ", false),
        ("2026 11-22T21:10:58Z h haproxy[6037]: ", false),
        ("2026-11-22T21:10:58Z haproxy[6037]: ", true),
        ("<134>1 2026-11-22T10:00:00.899Z lb-1 haproxy 6037 - - ", true),
        ("<134>1 - lb-1 haproxy 6037 - - ", true),
        ("<134>1 2026-11-22T1 0:00Z h haproxy 6 - - ", true),  // a space in the first 16 bytes
        ("<134>1 2026-11-22T10:00:00Z h haproxy 6 - - ", true),
        ("<134>1 2026-11-22T21:10:58.882126+00:00 a-rather-long-host-name.example.com haproxy 6037 - - ", false),
        ("<134>1 2026-11-22T10:00:00Z lb-1 haproxy 6037 - [meta x=\"1\"] ", false),
        ("<134>1 2026-11-22T10:00:00Z lb-1 haproxy 6037 - - \u{FEFF}", false),
        ("", false),
        ("2026-11-22X21:10:58Z haproxy[6037]: ", false),  // no T: not a timestamp
    ]

    struct Outcome: Equatable {
        var framing: LogFraming?
        var position: Int
    }

    /// The header scanned one way; `clientEnd` receives what the fast path saw.
    static func skip(_ bytes: [UInt8], carefully: Bool, clientEnd: inout Int) -> Outcome {
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return Outcome(framing: nil, position: 0) }
            var c = ByteCursor(base: base, start: 0, end: b.count)
            var hint = PayloadHint()
            defer { clientEnd = hint.clientEnd }
            let framing = try? SyslogHeader.skip(&c, carefully: carefully, hint: &hint)
            return Outcome(framing: framing, position: framing == nil ? -1 : c.position)
        }
    }

    /// Checks one line; answers whether the fast path handed the client's end on.
    @discardableResult
    static func check(_ bytes: [UInt8], _ context: String) -> Bool {
        var none = 0
        var clientEnd = 0
        let careful = skip(bytes, carefully: true, clientEnd: &none)
        let fast = skip(bytes, carefully: false, clientEnd: &clientEnd)
        #expect(fast == careful, "\(context)")
        #expect(none == 0, "the careful scan learns nothing: \(context)")
        guard clientEnd != 0, fast.framing != nil else { return false }
        // The first space at or after the message's start.
        #expect(clientEnd == bytes[fast.position...].firstIndex(of: .space), "the client's end: \(context)")
        return true
    }

    @Test func tableHeadersAgreeAndHandOnTheClientsEnd() {
        for (header, handsOn) in Self.headers {
            let line = header + Self.message
            #expect(Self.check(Array(line.utf8), line) == handsOn, "\(line)")
        }
    }

    @Test func mutatedHeadersAgree() {
        var rng = SeededGenerator(seed: 11)
        let alphabet = Array(" -:[]<>0123456789a".utf8) + [0xEF]
        var handedOn = 0
        for _ in 0..<100_000 {
            var bytes = Array((Self.headers.randomElement(using: &rng)!.0 + Self.message).utf8)
            LineMutator.mutate(&bytes, maxEdits: 3, alphabet: alphabet, using: &rng)
            if Self.check(bytes, String(decoding: bytes, as: UTF8.self)) { handedOn += 1 }
        }
        #expect(handedOn > 20_000)
    }
}
