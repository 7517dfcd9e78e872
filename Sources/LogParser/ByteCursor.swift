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

    /// Consumes bytes up to (not including) the next space or the end.
    @inlinable @inline(__always)
    mutating func token() -> ByteRange {
        let start = position
        var i = position
        while i < end && base[i] != .space { i &+= 1 }
        position = i
        return ByteRange(start, i)
    }

    /// Consumes a token that may be wrapped in double quotes (CLF's `%{+Q}`),
    /// answering the range inside the quotes.
    @inlinable @inline(__always)
    mutating func maybeQuotedToken() throws(LogRejection) -> ByteRange {
        guard peek() == .quote else { return token() }
        let start = position &+ 1
        var i = start
        while i < end && base[i] != .quote { i &+= 1 }
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
        var value: UInt64 = 0
        let start = position
        while position < end {
            let digit = base[position] &- .zero
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
        let signed = Int64(value)
        return (negative ? -signed : signed, plus)
    }

    /// A timer or counter: an `Int32`, `-1` allowed.
    @inlinable @inline(__always)
    mutating func int32() throws(LogRejection) -> (value: Int32, plus: Bool) {
        let (v, plus) = try signedInteger()
        guard v >= Int64(Int32.min), v <= Int64(Int32.max) else { throw .numberOverflow }
        return (Int32(truncatingIfNeeded: v), plus)
    }

    /// `n1/n2/.../nk` with exactly `count` numbers (connection counts, queues).
    @inlinable @inline(__always)
    mutating func slashSeparatedCounters(_ count: Int) throws(LogRejection) {
        var k = 0
        while true {
            _ = try int32()
            k &+= 1
            if k == count { return }
            try expect(.slash)
        }
    }
}

extension UInt8 {
    @usableFromInline static let space = UInt8(ascii: " ")
    @usableFromInline static let quote = UInt8(ascii: "\"")
    @usableFromInline static let slash = UInt8(ascii: "/")
    @usableFromInline static let colon = UInt8(ascii: ":")
    @usableFromInline static let minus = UInt8(ascii: "-")
    @usableFromInline static let plus = UInt8(ascii: "+")
    @usableFromInline static let zero = UInt8(ascii: "0")
    @usableFromInline static let lessThan = UInt8(ascii: "<")
    @usableFromInline static let greaterThan = UInt8(ascii: ">")
    @usableFromInline static let openBracket = UInt8(ascii: "[")
    @usableFromInline static let closeBracket = UInt8(ascii: "]")
    @usableFromInline static let backslash = UInt8(ascii: "\\")
    @usableFromInline static let tilde = UInt8(ascii: "~")
    @usableFromInline static let cr = UInt8(ascii: "\r")
    @usableFromInline static let lf = UInt8(ascii: "\n")
    @usableFromInline static let tab = UInt8(ascii: "\t")

    @inlinable @inline(__always) var isDigit: Bool { self &- .zero < 10 }
    @inlinable @inline(__always) var isUpperAlpha: Bool { self &- UInt8(ascii: "A") < 26 }
    @inlinable @inline(__always) var isLowerAlpha: Bool { self &- UInt8(ascii: "a") < 26 }
}
