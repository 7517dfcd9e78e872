#if arch(x86_64)
// The compiler's own intrinsics module (clang's builtin headers), not a
// package dependency: SSE2 is part of every x86-64 CPU.
import _Builtin_intrinsics.intel
#endif

/// The spaces, digits, slashes and quotes among 64 bytes of a line, one bit per byte.
///
/// A request line's fields are told apart by three byte classes: the space
/// that ends each field, and the digits and slashes of the numeric fields
/// (timers, counters). With all three known for 64 bytes at once, finding a
/// field is a trailing-zero count and checking one is a mask comparison, so
/// the fast path has no loop per field and no branch per byte. On x86-64
/// each 16 bytes cost a load, three compares and three `pmovmskb`; elsewhere
/// the same masks come from word-wide arithmetic. A class nobody reads costs
/// nothing: the scanner's windows are inlined and the unused compares dropped.
///
/// Bit `i` stands for the byte at `start + i`. Bits for bytes past the
/// line's end are zero in every mask.
@usableFromInline
struct ByteClassMasks: Equatable {
    @usableFromInline var spaces: UInt64
    /// Digits and `/`.
    @usableFromInline var numeric: UInt64
    @usableFromInline var slashes: UInt64
    /// `"`: CLF's quoted names.
    @usableFromInline var quotes: UInt64

    @inlinable @inline(__always)
    init(spaces: UInt64, numeric: UInt64, slashes: UInt64, quotes: UInt64 = 0) {
        self.spaces = spaces
        self.numeric = numeric
        self.slashes = slashes
        self.quotes = quotes
    }

    /// The 64 bytes from `start`, or up to `end` when fewer remain. Answers
    /// `nil` only when the whole line is shorter than 64 bytes or `start`
    /// is not inside it: near the end, the window is read from `end - 64`
    /// (still inside the line) and shifted, so no byte outside is read.
    @inlinable @inline(__always)
    init?(_ base: UnsafePointer<UInt8>, at start: Int, end: Int) {
        if start &+ 64 <= end {
            self = Self.classify(UnsafeRawPointer(base + start))
            return
        }
        guard end >= 64, start < end else { return nil }
        let shift = UInt64(truncatingIfNeeded: start &- (end &- 64))
        let w = Self.classify(UnsafeRawPointer(base + (end &- 64)))
        self.init(
            spaces: w.spaces &>> shift, numeric: w.numeric &>> shift, slashes: w.slashes &>> shift,
            quotes: w.quotes &>> shift)
    }

    /// Where the fields of a window read at `start` end: its spaces, and the
    /// line's end when it falls inside the window (the last field may run to it).
    @inlinable @inline(__always)
    func fieldEnds(from start: Int, lineEnd end: Int) -> UInt64 {
        spaces | (end &- start < 64 ? UInt64.bit(end &- start) : 0)
    }

    /// Digits alone, without the slashes the numeric class also holds.
    @inlinable @inline(__always)
    var digits: UInt64 { numeric & ~slashes }

    /// Whether every byte under `fields` is a digit or a slash, with a digit on
    /// each side of every slash: slash-separated numbers, none of them empty.
    @inlinable @inline(__always)
    func holdsNumbers(_ fields: UInt64) -> Bool {
        return fields & ~numeric == 0 && slashes & fields & ~((digits &<< 1) & (digits &>> 1)) == 0
    }

    /// The masks of the 64 readable bytes at `p`.
    @inlinable @inline(__always)
    static func classify(_ p: UnsafeRawPointer) -> ByteClassMasks {
        #if arch(x86_64)
        return vector(p)
        #else
        return words(p)
        #endif
    }

    #if arch(x86_64)
    /// SSE2: `'/'...'9'` is the byte range 0x2F-0x39; adding 0x51 moves it to
    /// 0x80-0x8A, the lowest signed values, so one signed compare finds it.
    @inlinable @inline(__always)
    static func vector(_ p: UnsafeRawPointer) -> ByteClassMasks {
        let space = _mm_set1_epi8(0x20)
        let slash = _mm_set1_epi8(0x2F)
        let quote = _mm_set1_epi8(0x22)
        let shift = _mm_set1_epi8(0x51)
        let limit = _mm_set1_epi8(-117)  // 0x8B
        var s: UInt64 = 0
        var n: UInt64 = 0
        var l: UInt64 = 0
        var q: UInt64 = 0
        for k in 0..<4 {
            let v = _mm_loadu_si128((p + 16 &* k).assumingMemoryBound(to: __m128i.self))
            let at = UInt64(truncatingIfNeeded: 16 &* k)
            s |= bits(_mm_cmpeq_epi8(v, space)) &<< at
            n |= bits(_mm_cmplt_epi8(_mm_add_epi8(v, shift), limit)) &<< at
            l |= bits(_mm_cmpeq_epi8(v, slash)) &<< at
            q |= bits(_mm_cmpeq_epi8(v, quote)) &<< at
        }
        return ByteClassMasks(spaces: s, numeric: n, slashes: l, quotes: q)
    }

    /// One bit per byte of a compare's result, bit `i` for byte `i`.
    @inlinable @inline(__always)
    static func bits(_ v: __m128i) -> UInt64 {
        UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(v)))
    }
    #endif

    /// Portable: eight bytes a step, each class marked with 0x80 per byte and
    /// the markers gathered into eight bits by one multiply.
    @inlinable @inline(__always)
    static func words(_ p: UnsafeRawPointer) -> ByteClassMasks {
        var s: UInt64 = 0
        var n: UInt64 = 0
        var l: UInt64 = 0
        var q: UInt64 = 0
        for k in 0..<8 {
            let x = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8 &* k, as: UInt64.self))
            let at = UInt64(truncatingIfNeeded: 8 &* k)
            let high: UInt64 = 0x8080_8080_8080_8080
            let low7 = x & 0x7F7F_7F7F_7F7F_7F7F
            let atLeastSlash = low7 &+ 0x5151_5151_5151_5151  // bit 7 set when >= 0x2F
            let aboveNine = low7 &+ 0x4646_4646_4646_4646  // bit 7 set when > 0x39
            let inRange = atLeastSlash & ~aboveNine & ~x & high
            s |= gather(ByteCursor.equalBytes(x, .space)) &<< at
            n |= gather(inRange) &<< at
            l |= gather(ByteCursor.equalBytes(x, .slash)) &<< at
            q |= gather(ByteCursor.equalBytes(x, .quote)) &<< at
        }
        return ByteClassMasks(spaces: s, numeric: n, slashes: l, quotes: q)
    }

    /// The 0x80 byte markers of a word as eight bits, bit `i` for byte `i`.
    @inlinable @inline(__always)
    static func gather(_ markers: UInt64) -> UInt64 {
        ((markers &>> 7) &* 0x0102_0408_1020_4080) &>> 56
    }
}

extension UInt64 {
    /// Bit `i` alone, for `i` from 0 to 63.
    @inlinable @inline(__always)
    static func bit(_ i: Int) -> UInt64 {
        1 &<< UInt64(truncatingIfNeeded: i)
    }

    /// Bits `0 ..< n` set, for `n` from 0 to 63.
    @inlinable @inline(__always)
    static func below(_ n: Int) -> UInt64 {
        bit(n) &- 1
    }

    /// The lowest set bit's index (64 when none), cleared: the next field end of a space mask.
    @inlinable @inline(__always)
    mutating func takeLowestBit() -> Int {
        let i = trailingZeroBitCount
        self &= self &- 1
        return i
    }

    /// Whether exactly `n` bits (1 or more) are set: with the lowest `n - 1`
    /// cleared, exactly one must be left. No branch per bit, and no
    /// population-count instruction, which the baseline x86-64 target lacks.
    @inlinable @inline(__always)
    func hasExactly(_ n: Int) -> Bool {
        var rest = self
        for _ in 1..<n { rest &= rest &- 1 }
        return rest != 0 && rest & (rest &- 1) == 0
    }
}
