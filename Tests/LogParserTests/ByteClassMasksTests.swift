import HAScaleTestKit
import Testing

@testable import LogParser

@Suite("ByteClassMasks: one bit per byte, the same from every implementation")
struct ByteClassMasksTests {
    /// The masks computed one byte at a time, the definition the fast ones must match.
    static func reference(_ bytes: [UInt8], from start: Int) -> ByteClassMasks {
        var m = ByteClassMasks(spaces: 0, numeric: 0, slashes: 0)
        for i in 0..<64 where start + i < bytes.count {
            let b = bytes[start + i]
            let bit = UInt64(1) << UInt64(i)
            if b == 0x20 { m.spaces |= bit }
            if b == 0x2F || (b >= 0x30 && b <= 0x39) { m.numeric |= bit }
            if b == 0x2F { m.slashes |= bit }
            if b == 0x22 { m.quotes |= bit }
        }
        return m
    }

    @Test func everyByteValueIsClassifiedLikeTheReference() {
        // All 256 byte values, four times, at every offset within the 64 bytes.
        let all = (0..<1024).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ $0 / 256) }
        all.withUnsafeBytes { raw in
            for start in stride(from: 0, through: all.count - 64, by: 7) {
                let p = raw.baseAddress! + start
                let expected = Self.reference(all, from: start)
                #expect(ByteClassMasks.words(p) == expected, "portable masks at \(start)")
                #expect(ByteClassMasks.classify(p) == expected, "masks at \(start)")
            }
        }
    }

    @Test func randomLinesMatchTheReference() {
        var rng = SeededGenerator(seed: 7)
        let alphabet = Array(" /0123456789-[]:abc\"\u{7F}".utf8) + [0x80, 0xAF, 0xB9, 0xFF, 0x00]
        for _ in 0..<5_000 {
            let bytes = (0..<Int(rng.next() % 200 + 64)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            bytes.withUnsafeBufferPointer { b in
                let p = UnsafeRawPointer(b.baseAddress!)
                #expect(ByteClassMasks.words(p) == ByteClassMasks.classify(p))
            }
        }
    }

    /// Near the line's end the window is read from `end - 64` and shifted: the bits
    /// past `end` are zero, and bytes past `end` (here non-zero on purpose) never count.
    @Test func windowsNearTheEndStopAtTheEnd() throws {
        let line = Array("10.0.0.1:5 [22/Nov/2026:10:00:00.654] www app/web-1 0/0/0/1/3 200 35 - - ---- 1/2/3/4/0 0/0".utf8)
        let padded = line + Array("/ 9/ 9/ 9/ 9".utf8) + Array(repeating: 0x20, count: 64)
        try padded.withUnsafeBufferPointer { b in
            for start in 0..<line.count {
                let w = try #require(ByteClassMasks(b.baseAddress!, at: start, end: line.count))
                #expect(w == Self.reference(line, from: start), "window at \(start)")
            }
            #expect(ByteClassMasks(b.baseAddress!, at: line.count, end: line.count) == nil)
            #expect(ByteClassMasks(b.baseAddress!, at: 0, end: 63) == nil, "a line under 64 bytes has no window")
        }
    }

    @Test(arguments: [(UInt64(0), 1, false), (1 << 63, 1, true), (0b1011, 3, true), (0b1011, 2, false), (0b1011, 4, false), (~UInt64(0), 64, true)])
    func hasExactly(mask: UInt64, count: Int, expected: Bool) {
        #expect(mask.hasExactly(count) == expected)
    }
}
