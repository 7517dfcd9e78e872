/// The five timer slots of a request line (`TR/Tw/Tc/Tr/Ta`), converted when read.
///
/// Most readers want one timer: the summary and the decision engine read `Tr`
/// (or `Ta`), only `hascale parse --json` prints all five. So the fast path
/// (``CommonRequestLine``) keeps the timer field's bytes as they were, already
/// checked to be digits and slashes, and a timer is converted each time it is
/// read: one word-wide conversion for a reader of one timer, instead of five
/// per line for everyone. The careful path stores
/// converted values. Either way the value is the same, and equality and
/// hashing compare the values.
public struct LogTimers: Sendable {
    /// Raw: the field's first 16 bytes. Converted: slots 0-1 and 2-3, 32 bits each.
    @usableFromInline var word0: UInt64
    @usableFromInline var word1: UInt64
    /// Raw: the slash bits (bit `i` for byte `i`) and, from bit 16, the field's length.
    /// Converted: slot 4.
    @usableFromInline var word2: UInt32
    @usableFromInline var isRaw: Bool

    /// Converted values, `-1` for a phase that did not happen.
    @inlinable
    public init(_ t0: Int32, _ t1: Int32, _ t2: Int32, _ t3: Int32, _ t4: Int32) {
        word0 = UInt64(UInt32(bitPattern: t0)) | UInt64(UInt32(bitPattern: t1)) &<< 32
        word1 = UInt64(UInt32(bitPattern: t2)) | UInt64(UInt32(bitPattern: t3)) &<< 32
        word2 = UInt32(bitPattern: t4)
        isRaw = false
    }

    /// A field of five unsigned numbers of at most seven digits each, in 15
    /// bytes or fewer, as ``CommonRequestLine`` has checked it.
    @inlinable @inline(__always)
    init(raw word0: UInt64, _ word1: UInt64, slashes: UInt32, length: Int) {
        self.word0 = word0
        self.word1 = word1
        self.word2 = slashes | UInt32(truncatingIfNeeded: length) &<< 16
        self.isRaw = true
    }

    /// Slot `i` (0 to 4).
    @inlinable
    public subscript(_ i: Int) -> Int32 {
        @inline(__always) get {
            guard isRaw else {
                switch i {
                case 0: return Int32(truncatingIfNeeded: word0)
                case 1: return Int32(truncatingIfNeeded: word0 &>> 32)
                case 2: return Int32(truncatingIfNeeded: word1)
                case 3: return Int32(truncatingIfNeeded: word1 &>> 32)
                default: return Int32(bitPattern: word2)
                }
            }
            var slashes = word2 & 0xFFFF
            var start = 0
            for _ in 0..<i {
                start = slashes.trailingZeroBitCount &+ 1
                slashes &= slashes &- 1
            }
            let end = slashes == 0 ? Int(word2 &>> 16) : slashes.trailingZeroBitCount
            // The 16 bytes shifted right by `start` bytes, without a branch per case.
            let s = UInt64(truncatingIfNeeded: start &* 8)
            let low = (word0 &>> s) | ((word1 &<< 1) &<< (63 &- s))
            let x = s >= 64 ? word1 &>> (s &- 64) : low
            return Int32(truncatingIfNeeded: ByteCursor.digitsValue(x, count: end &- start))
        }
        set {
            var v = (self[0], self[1], self[2], self[3], self[4])
            switch i {
            case 0: v.0 = newValue
            case 1: v.1 = newValue
            case 2: v.2 = newValue
            case 3: v.3 = newValue
            default: v.4 = newValue
            }
            self = LogTimers(v.0, v.1, v.2, v.3, v.4)
        }
    }
}

extension LogTimers: Hashable {
    @inlinable
    public static func == (a: LogTimers, b: LogTimers) -> Bool {
        (0..<5).allSatisfy { a[$0] == b[$0] }
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
        for i in 0..<5 { hasher.combine(self[i]) }
    }
}
