import Testing

@testable import LogParser

@Suite("BSDTimestamp: the 16-byte check agrees with the byte-by-byte one")
struct BSDTimestampTests {
    /// The careful reading, one position at a time: the definition.
    static func careful(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            var c = ByteCursor(base: b.baseAddress!, start: 0, end: b.count)
            return (try? SyslogHeader.bsdTimestamp(&c, carefully: true)) != nil && c.position == 16
        }
    }

    /// Every byte value at every position of a few timestamps: 12,288 variants,
    /// each judged by the fast check(s) exactly as by the careful one.
    @Test(arguments: ["Nov 22 21:10:58 ", "Jan  2 03:04:05 ", "Dec 09 00:00:00 "])
    func everySingleByteChange(timestamp: String) {
        let good = Array(timestamp.utf8)
        #expect(Self.careful(good))
        var accepted = 0
        for position in 0..<16 {
            for value in 0...255 {
                var bytes = good
                bytes[position] = UInt8(value)
                let expected = Self.careful(bytes)
                if expected { accepted += 1 }
                bytes.withUnsafeBufferPointer { b in
                    #expect(BSDTimestamp.words(b.baseAddress!) == expected, "words: \(bytes) at \(position)")
                    #if arch(x86_64)
                    #expect(BSDTimestamp.vector(b.baseAddress!) == expected, "vector: \(bytes) at \(position)")
                    #endif
                }
            }
        }
        // Letters (26 each, one of them the original) and digits (10) keep a timestamp valid;
        // the day's first position also takes a space.
        #expect(accepted > 16 * 1 && accepted < 16 * 256 / 4)
    }
}
