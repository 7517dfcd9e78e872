/// A field of slash-separated unsigned numbers (`0/0/1/23/24`, `10/48/5/6/0`,
/// `0/0`) checked in one 16-byte window with word-wide masks.
///
/// Timers and connection counters are most of a request line's numbers, and
/// scanning them a number at a time costs a branch per digit or per number.
/// Checked as one shape (digits and slashes up to a space, no empty number)
/// they cost a few mask operations, and the slash positions fall out as bits.
/// Anything else (a sign, a field longer than the window, the line's end
/// within it) answers `nil`, and the caller takes the careful path.
@usableFromInline
struct NumericField {
    /// Offset of the space that ends the field.
    @usableFromInline let stop: Int
    /// One bit per slash, bit `i` for the byte at `start + i`.
    @usableFromInline let slashes: UInt32
    /// The window's bytes, first byte lowest, for a reader that converts later.
    @usableFromInline let word0: UInt64
    @usableFromInline let word1: UInt64

    @inlinable @inline(__always)
    init(stop: Int, slashes: UInt32, word0: UInt64, word1: UInt64) {
        self.stop = stop
        self.slashes = slashes
        self.word0 = word0
        self.word1 = word1
    }

    /// Whether the field holds exactly `count` numbers (`count - 1` slashes),
    /// told by clearing slash bits rather than by a population count, which
    /// the baseline x86-64 target does not have as one instruction.
    @inlinable @inline(__always)
    func holds(_ count: Int) -> Bool {
        var rest = slashes
        for _ in 1..<count {
            guard rest != 0 else { return false }
            rest &= rest &- 1
        }
        return rest == 0
    }

    /// The field starting at `start`, or `nil` when it is not plain digits and slashes
    /// ending in a space within 16 bytes. Reads `base[start ..< start + 16]`, which the
    /// caller guarantees lies in the line.
    @inlinable @inline(__always)
    static func read(_ base: UnsafePointer<UInt8>, at start: Int) -> NumericField? {
        let w0 = ByteCursor.load8(base, start)
        let w1 = ByteCursor.load8(base, start &+ 8)
        let (other0, slash0) = classify(w0)
        let (other1, slash1) = classify(w1)
        // The first byte that is neither a digit nor a slash must be the ending space.
        let other = compact(other0) | compact(other1) &<< 8
        guard other != 0 else { return nil }
        let end = other.trailingZeroBitCount
        let inside = (UInt32(1) &<< UInt32(truncatingIfNeeded: end)) &- 1
        let slashes = (compact(slash0) | compact(slash1) &<< 8) & inside
        guard end > 0, base[start &+ end] == .space,
            slashes & (slashes &>> 1) == 0,  // no empty number between two slashes
            slashes & (1 | (UInt32(1) &<< UInt32(truncatingIfNeeded: end &- 1))) == 0  // a digit first and last
        else { return nil }
        return NumericField(stop: start &+ end, slashes: slashes, word0: w0, word1: w1)
    }

    /// `0x80` markers on the bytes of `x` that are neither digits nor `/`, and on the
    /// slashes. `/` is 0x2F, just below `0`, so both are one range, 0x2F to 0x39:
    /// two additions tell the range, a third tells the slash.
    @inlinable @inline(__always)
    static func classify(_ x: UInt64) -> (other: UInt64, slash: UInt64) {
        let high: UInt64 = 0x8080_8080_8080_8080
        let low7 = x & 0x7F7F_7F7F_7F7F_7F7F
        let atLeastSlash = low7 &+ 0x5151_5151_5151_5151  // bit 7 set when >= 0x2F
        let aboveNine = low7 &+ 0x4646_4646_4646_4646  // bit 7 set when > 0x39
        let atLeastZero = low7 &+ 0x5050_5050_5050_5050  // bit 7 set when >= 0x30
        let inRange = atLeastSlash & ~aboveNine & ~x & high
        return (~inRange & high, inRange & ~atLeastZero)
    }

    /// The `0x80` byte markers of a word squeezed into eight bits, bit `i` for byte `i`.
    @inlinable @inline(__always)
    static func compact(_ markers: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: ((markers &>> 7) &* 0x0102_0408_1020_4080) &>> 56)
    }
}
