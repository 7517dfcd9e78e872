#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// `Mmm dd hh:mm:ss ` (day padded with a space or a zero): sixteen bytes of
/// fixed shape, checked at once.
///
/// rsyslog writes this date before every line of `/var/log/haproxy.log`, and
/// HAProxy's own RFC 3164 messages carry it too, so it is read on most lines
/// an operator's log holds. On x86-64 one 16-byte load and four compares
/// check every position; elsewhere two words and masks do.
@usableFromInline
enum BSDTimestamp {
    /// Whether the 16 readable bytes at `p` are a timestamp with its trailing space.
    @inlinable @inline(__always)
    static func matches(_ p: UnsafePointer<UInt8>) -> Bool {
        #if arch(x86_64)
        return vector(p)
        #else
        return words(p)
        #endif
    }

    #if arch(x86_64)
    @inlinable @inline(__always)
    static func vector(_ p: UnsafePointer<UInt8>) -> Bool {
        let v = _mm_loadu_si128(UnsafeRawPointer(p).assumingMemoryBound(to: __m128i.self))
        // '0'...'9' + 0x50 and 'a'...'z' + 0x1F are the lowest signed byte values.
        let digits = ByteClassMasks.bits(_mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(0x50)), _mm_set1_epi8(-118)))
        // The first letter is made lower case (its case is checked apart), then all three
        // compared as lower-case letters.
        let lowered = _mm_or_si128(v, _mm_cvtsi32_si128(0x20))
        let letters = ByteClassMasks.bits(_mm_cmplt_epi8(_mm_add_epi8(lowered, _mm_set1_epi8(0x1F)), _mm_set1_epi8(-102)))
        let spaces = ByteClassMasks.bits(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x20)))
        let colons = ByteClassMasks.bits(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x3A)))
        // Every position holds what it must: letters at 0-2, spaces at 3, 6 and 15,
        // colons at 9 and 12, digits at 5, 7-8, 10-11 and 13-14, a digit or a space at 4.
        let found = digits & 0b0110_1101_1010_0000 | spaces & 0b1000_0000_0100_1000
            | colons & 0b0001_0010_0000_0000 | letters & 0b111 | (digits | spaces) & 0b1_0000
        return found == 0xFFFF && p[0] & 0x20 == 0  // the month's first letter upper case
    }

    #endif

    /// Two words: the separators compared under a mask, the digits checked at once.
    @inlinable @inline(__always)
    static func words(_ p: UnsafePointer<UInt8>) -> Bool {
        let w0 = ByteCursor.load8(p, 0)
        let w1 = ByteCursor.load8(p, 8)
        let separators = (w0 & 0x00FF_0000_FF00_0000) ^ 0x0020_0000_2000_0000
            | (w1 & 0xFF00_00FF_0000_FF00) ^ 0x2000_003A_0000_3A00
        let nonDigit0 = ByteCursor.nonDigitBytes(w0)
        let digits = nonDigit0 & 0x8000_8000_0000_0000
            | nonDigit0 & ~ByteCursor.equalBytes(w0, .space) & 0x0000_0080_0000_0000  // a space may pad the day
            | ByteCursor.nonDigitBytes(w1) & 0x0080_8000_8080_0080
        return separators | digits == 0 && p[0].isUpperAlpha && p[1].isLowerAlpha && p[2].isLowerAlpha
    }
}
