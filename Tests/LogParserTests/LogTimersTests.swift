import Testing

@testable import LogParser

@Suite("LogTimers: raw fields read like converted values")
struct LogTimersTests {
    /// The timers of `field` as the fast path stores them (the field padded to 16 bytes).
    static func raw(_ field: String) throws -> LogTimers {
        var bytes = Array(field.utf8) + [UInt8(ascii: " ")]
        bytes += Array(repeating: UInt8(ascii: "x"), count: 64)
        return try bytes.withUnsafeBufferPointer { b in
            let w = try #require(ByteClassMasks(b.baseAddress!, at: 0, end: b.count))
            let length = w.spaces.trailingZeroBitCount
            let slashes = w.slashes & UInt64.below(length)
            #expect(length == field.utf8.count && slashes.hasExactly(4))
            return LogTimers(
                raw: ByteCursor.load8(b.baseAddress!, 0), ByteCursor.load8(b.baseAddress!, 8),
                slashes: UInt32(truncatingIfNeeded: slashes), length: length)
        }
    }

    @Test(arguments: [
        ("0/0/0/1/3", [0, 0, 0, 1, 3]),
        ("12/3/456/7890/1", [12, 3, 456, 7890, 1]),
        ("1/2/3/1234567/9", [1, 2, 3, 1_234_567, 9]),  // a number across the two words
        ("1/2/3/4/1234567", [1, 2, 3, 4, 1_234_567]),  // the last one entirely in the second word
        ("1234567/1/2/3/4", [1_234_567, 1, 2, 3, 4]),
        ("009/08/7/06/005", [9, 8, 7, 6, 5]),
    ])
    func rawEqualsConverted(field: String, expected: [Int32]) throws {
        let t = try Self.raw(field)
        #expect((0..<5).map { t[$0] } == expected)
        let converted = LogTimers(expected[0], expected[1], expected[2], expected[3], expected[4])
        #expect(t == converted)
        #expect(t.hashValue == converted.hashValue)
    }

    @Test func setterKeepsTheOtherSlotsAndNegativeValuesRoundTrip() throws {
        var t = try Self.raw("10/20/30/40/50")
        t[3] = -1
        #expect((0..<5).map { t[$0] } == [10, 20, 30, -1, 50])
        let extremes = LogTimers(-1, Int32.max, Int32.min, 0, -1)
        #expect((0..<5).map { extremes[$0] } == [-1, Int32.max, Int32.min, 0, -1])
        #expect(try Self.raw("1/2/3/4/5") != Self.raw("1/2/3/4/6"))
    }
}
