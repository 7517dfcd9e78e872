/// A read position over one line's bytes, with the few moves the log grammar needs.
///
/// Every read checks `position < end` first, so no input can make the
/// scanner read outside the line; the checks are the only cost, and they are
/// predictable branches.
@usableFromInline
struct ByteCursor {
    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline let end: Int
    @usableFromInline var position: Int

    @inlinable @inline(__always)
    init(base: UnsafePointer<UInt8>, start: Int, end: Int) {
        self.base = base
        self.position = start
        self.end = end
    }

    @inlinable @inline(__always)
    var isAtEnd: Bool { position >= end }

    /// The byte at `position + offset`, or 0 past the end (0 matches nothing the grammar expects).
    @inlinable @inline(__always)
    func peek(_ offset: Int = 0) -> UInt8 {
        let i = position &+ offset
        return i < end ? base[i] : 0
    }

    /// Eight bytes from `i` (which must leave 8 bytes before `end`), first byte lowest.
    @inlinable @inline(__always)
    func load8(_ i: Int) -> UInt64 { Self.load8(base, i) }

    /// Eight bytes from `base + i`, first byte lowest; the caller knows they are readable.
    @inlinable @inline(__always)
    static func load8(_ base: UnsafePointer<UInt8>, _ i: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
    }

    /// The value of the first `count` (1 to 8) bytes of `x`, ASCII digits, first
    /// byte lowest: the digits combined pairwise (10, 100, 10000) in one register,
    /// three multiply-adds instead of a loop.
    @inlinable @inline(__always)
    static func digitsValue(_ x: UInt64, count: Int) -> UInt64 {
        var v = (x & 0x0F0F_0F0F_0F0F_0F0F) &<< UInt64(truncatingIfNeeded: 64 &- count &* 8)
        v = ((v & 0x0F00_0F00_0F00_0F00) &>> 8) &+ (v & 0x000F_000F_000F_000F) &* 10
        v = ((v & 0x00FF_0000_00FF_0000) &>> 16) &+ (v & 0x0000_00FF_0000_00FF) &* 100
        v = ((v & 0x0000_FFFF_0000_0000) &>> 32) &+ (v & 0x0000_0000_0000_FFFF) &* 10000
        return v
    }

    /// A mask whose lowest set bit lies in the first zero byte of `x` (bits above
    /// it may be wrong, so only the lowest is ever used).
    @inlinable @inline(__always)
    static func zeroBytes(_ x: UInt64) -> UInt64 {
        (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }

    @inlinable @inline(__always)
    static func splat(_ b: UInt8) -> UInt64 { 0x0101_0101_0101_0101 &* UInt64(b) }

    /// Offset from `position` of the first `a` or `b`, or `end` when neither occurs.
    /// Eight bytes a step while eight remain, so a field costs one or two steps
    /// and one predictable exit instead of a branch per byte.
    @inlinable @inline(__always)
    func find(_ a: UInt8, or b: UInt8) -> Int {
        var i = position
        let sa = Self.splat(a)
        let sb = Self.splat(b)
        while i &+ 8 <= end {
            let x = load8(i)
            let m = Self.zeroBytes(x ^ sa) | Self.zeroBytes(x ^ sb)
            if m != 0 { return i &+ (m.trailingZeroBitCount &>> 3) }
            i &+= 8
        }
        while i < end && base[i] != a && base[i] != b { i &+= 1 }
        return i
    }

    /// Offset of the first `b` at or after `i`, or `end` (a quoted request or name).
    @inlinable @inline(__always)
    func find(_ b: UInt8, from i: Int) -> Int {
        var c = self
        c.position = i
        return c.find(b, or: b)
    }

    /// Offset of the first space from `position`, or `end`: one comparison a word.
    @inlinable @inline(__always)
    func findSpace() -> Int {
        var i = position
        let spaces = Self.splat(.space)
        while i &+ 8 <= end {
            let m = Self.zeroBytes(load8(i) ^ spaces)
            if m != 0 { return i &+ (m.trailingZeroBitCount &>> 3) }
            i &+= 8
        }
        while i < end && base[i] != .space { i &+= 1 }
        return i
    }

    /// Consumes bytes up to (not including) the next space or the end.
    @inlinable @inline(__always)
    mutating func token() -> ByteRange {
        let start = position
        let i = findSpace()
        position = i
        return ByteRange(start, i)
    }

    /// Consumes a token that may be wrapped in double quotes (CLF's `%{+Q}`),
    /// answering the range inside the quotes.
    @inlinable @inline(__always)
    mutating func maybeQuotedToken() throws(LogRejection) -> ByteRange {
        guard peek() == .quote else { return token() }
        let start = position &+ 1
        let i = find(.quote, from: start)
        guard i < end else { throw .truncated }
        position = i &+ 1
        return ByteRange(start, i)
    }

    /// Consumes one field separator: one or more spaces. At the end of the line the
    /// record is truncated; anything else between fields is malformed.
    @inlinable @inline(__always)
    mutating func separator() throws(LogRejection) {
        guard position < end else { throw .truncated }
        guard base[position] == .space else { throw .malformedField }
        repeat { position &+= 1 } while position < end && base[position] == .space
        guard position < end else { throw .truncated }
    }

    /// After the last field the scanner needs: the end of the line or a space
    /// (what follows, captures and the request, is not the scanner's concern).
    @inlinable @inline(__always)
    func expectFieldEnd() throws(LogRejection) {
        guard position >= end || base[position] == .space else { throw .malformedField }
    }

    @inlinable @inline(__always)
    mutating func expect(_ byte: UInt8) throws(LogRejection) {
        guard position < end else { throw .truncated }
        guard base[position] == byte else { throw .malformedField }
        position &+= 1
    }

    /// Parses `[+|-]digits`. Answers the value and whether a `+` (option logasap) led it.
    /// More digits than an `Int64` holds is an overflow, never a wrapped value.
    @inlinable @inline(__always)
    mutating func signedInteger() throws(LogRejection) -> (value: Int64, plus: Bool) {
        guard position < end else { throw .truncated }
        var negative = false
        var plus = false
        let sign = base[position]
        if sign == .minus {
            negative = true
            position &+= 1
        } else if sign == .plus {
            plus = true
            position &+= 1
        }
        let value = try digits()
        return (negative ? -value : value, plus)
    }

    /// One or more decimal digits. Up to seven digits (every timer, counter and
    /// status in practice) are found and converted without a branch per digit:
    /// the digit bytes are located with one mask and combined pairwise
    /// (10, 100, 10000) in a single 64-bit register.
    @inlinable @inline(__always)
    mutating func digits() throws(LogRejection) -> Int64 {
        if position &+ 8 <= end {
            let x = load8(position)
            let nonDigit = ((x & 0xF0F0_F0F0_F0F0_F0F0) ^ 0x3030_3030_3030_3030)
                | (((x & 0x0F0F_0F0F_0F0F_0F0F) &+ 0x0606_0606_0606_0606) & 0x1010_1010_1010_1010)
            if nonDigit != 0 {
                let n = nonDigit.trailingZeroBitCount &>> 3
                guard n > 0 else { throw .malformedField }
                position &+= n
                return Int64(Self.digitsValue(x, count: n))
            }
        }
        var value: UInt64 = 0
        let start = position
        while position < end {
            let digit = base[position] &- .digitZero
            if digit > 9 { break }
            // 18 digits always fit in an Int64; check the slow path beyond that.
            if position &- start >= 18 {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(UInt64(digit))
                guard !o1, !o2, s <= UInt64(Int64.max) else { throw .numberOverflow }
                value = s
            } else {
                value = value &* 10 &+ UInt64(digit)
            }
            position &+= 1
        }
        guard position > start else {
            throw position < end ? .malformedField : .truncated
        }
        return Int64(value)
    }

    /// A timer or counter: an `Int32`, `-1` allowed.
    @inlinable @inline(__always)
    mutating func int32() throws(LogRejection) -> (value: Int32, plus: Bool) {
        let (v, plus) = try signedInteger()
        guard v >= Int64(Int32.min), v <= Int64(Int32.max) else { throw .numberOverflow }
        return (Int32(truncatingIfNeeded: v), plus)
    }

    /// A mask with 0x80 in exactly the bytes of `x` equal to `b`.
    @inlinable @inline(__always)
    static func equalBytes(_ x: UInt64, _ b: UInt8) -> UInt64 {
        let y = x ^ splat(b)
        return ~(((y & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | y) & 0x8080_8080_8080_8080
    }

    /// A mask with 0x80 in exactly the bytes of `x` that are not ASCII digits.
    @inlinable @inline(__always)
    static func nonDigitBytes(_ x: UInt64) -> UInt64 {
        let nd = ((x & 0xF0F0_F0F0_F0F0_F0F0) ^ 0x3030_3030_3030_3030)
            | (((x & 0x0F0F_0F0F_0F0F_0F0F) &+ 0x0606_0606_0606_0606) & 0x1010_1010_1010_1010)
        return (((nd & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | nd) & 0x8080_8080_8080_8080
    }

    /// Up to eight bytes from `i`, zero-filled past `n` (for the last bytes of a line).
    @inlinable @inline(__always)
    func load(_ i: Int, _ n: Int) -> UInt64 {
        if i &+ 8 <= end { return load8(i) }
        var x: UInt64 = 0
        for k in 0..<n { x |= UInt64(base[i &+ k]) &<< UInt64(k &* 8) }
        return x
    }

    /// `n1/n2/.../nk` with exactly `count` numbers (connection counts, queues).
    /// The values are not needed, so the field is checked, eight bytes a step,
    /// rather than converted: digits, `/` and signs only, `count - 1` slashes,
    /// never two slashes in a row, a digit first (after an optional sign) and last.
    @inlinable @inline(__always)
    mutating func slashSeparatedCounters(_ count: Int) throws(LogRejection) {
        let start = position
        let stop = findSpace()
        guard stop > start else { throw position < end ? .malformedField : .truncated }
        var slashes = 0
        var bad: UInt64 = 0
        var i = start
        while i < stop {
            let n = Swift.min(8, stop &- i)
            let x = load(i, n)
            let valid: UInt64 = n == 8 ? 0x8080_8080_8080_8080 : 0x8080_8080_8080_8080 & ((1 &<< UInt64(n &* 8)) &- 1)
            let slash = Self.equalBytes(x, .slash) & valid
            let sign = (Self.equalBytes(x, .plus) | Self.equalBytes(x, .minus)) & valid
            bad |= Self.nonDigitBytes(x) & valid & ~(slash | sign)
            bad |= slash & (slash &>> 8)
            slashes &+= slash.nonzeroBitCount
            i &+= n
        }
        let signed = base[start] == .plus || base[start] == .minus
        let first: UInt8 = !signed ? base[start] : (start &+ 1 < stop ? base[start &+ 1] : 0)
        let last = base[stop &- 1]
        guard bad == 0, slashes == count &- 1, first.isDigit, last.isDigit else {
            let cutShort = slashes < count &- 1 || !last.isDigit
            throw stop >= end && bad == 0 && cutShort ? .truncated : .malformedField
        }
        position = stop
    }

    /// Consumes one field separator when it is a single space (the common case)
    /// without a loop.
    @inlinable @inline(__always)
    mutating func fastSeparator() throws(LogRejection) {
        if position &+ 1 < end && base[position] == .space && base[position &+ 1] != .space {
            position &+= 1
            return
        }
        try separator()
    }
}

extension UInt8 {
    @inlinable static var space: UInt8 { UInt8(ascii: " ") }
    @inlinable static var quote: UInt8 { 0x22 }
    @inlinable static var slash: UInt8 { UInt8(ascii: "/") }
    @inlinable static var colon: UInt8 { UInt8(ascii: ":") }
    @inlinable static var minus: UInt8 { UInt8(ascii: "-") }
    @inlinable static var plus: UInt8 { UInt8(ascii: "+") }
    @inlinable static var digitZero: UInt8 { UInt8(ascii: "0") }
    @inlinable static var lessThan: UInt8 { UInt8(ascii: "<") }
    @inlinable static var greaterThan: UInt8 { UInt8(ascii: ">") }
    @inlinable static var openBracket: UInt8 { UInt8(ascii: "[") }
    @inlinable static var closeBracket: UInt8 { UInt8(ascii: "]") }
    @inlinable static var backslash: UInt8 { UInt8(ascii: "\\") }
    @inlinable static var tilde: UInt8 { UInt8(ascii: "~") }
    @inlinable static var cr: UInt8 { UInt8(ascii: "\r") }
    @inlinable static var lf: UInt8 { UInt8(ascii: "\n") }
    @inlinable static var tab: UInt8 { UInt8(ascii: "\t") }

    @inlinable @inline(__always) var isDigit: Bool { self &- .digitZero < 10 }
    @inlinable @inline(__always) var isUpperAlpha: Bool { self &- UInt8(ascii: "A") < 26 }
    @inlinable @inline(__always) var isLowerAlpha: Bool { self &- UInt8(ascii: "a") < 26 }
}
