/// The fields after the request in an `option httplog clf` line, read at fixed cost.
///
/// `status bytes "" "" cport ms "fe" "be" "srv" TR Tw Tc Tr Ta term ac fc bc sc rc sq bq`:
/// twenty-two fields, which the careful scan reads one number and one
/// separator at a time, each with a data-dependent loop exit. Here they are
/// two windows (``ByteClassMasks``): the field ends are the space bits, and
/// the numeric fields are checked with one mask. The client, the date and
/// the request, which may hold spaces and quotes, are still found by the
/// careful scan's own code, so only this part has a second implementation.
///
/// It answers `nil` for any other shape (a `-1` timer, `+` from `option
/// logasap`, unquoted or empty names, more than one space between fields),
/// and the careful scan reads the line and names the reason. The tests and
/// the fuzz target hold the two to the same answers.
@usableFromInline
enum CommonCLFTail {
    /// `c` stands just after the request's closing quote; `acceptDate` is what
    /// the careful scan found between the date's brackets.
    @inlinable @inline(never)
    static func scan(_ c: ByteCursor, framing: LogFraming, acceptDate: ByteRange = ByteRange(0, 0)) -> LogRecord? {
        let base = c.base
        let end = c.end
        let r = c.position &+ 1
        guard r < end, base[c.position] == .space,
            let a = ByteClassMasks(base, at: r, end: end)
        else { return nil }

        // `200 21746 "" "" 41373 765 "fe" "be" "srv" `
        var ends = a.fieldEnds(from: r, lineEnd: end)
        let e = (
            ends.takeLowestBit(), ends.takeLowestBit(), ends.takeLowestBit(),
            ends.takeLowestBit(), ends.takeLowestBit(), ends.takeLowestBit(),
            ends.takeLowestBit(), ends.takeLowestBit(), ends.takeLowestBit()
        )
        let aNumbers = UInt64.below(e.1) | UInt64.below(e.5) & ~UInt64.below(e.3 &+ 1)
        guard e.0 == 3, UInt(bitPattern: e.1 &- e.0 &- 2) < 8,  // status, bytes (1 to 8 digits)
            e.2 == e.1 &+ 3, e.3 == e.2 &+ 3,  // `""` `""`
            UInt(bitPattern: e.4 &- e.3 &- 2) < 9, UInt(bitPattern: e.5 &- e.4 &- 2) < 9,  // port, ms
            e.6 > e.5 &+ 2, e.7 > e.6 &+ 3, e.8 > e.7 &+ 3, e.8 < 64,  // "fe" "be" "srv"
            aNumbers & ~a.spaces & ~a.digits == 0,
            base[r] != .digitZero,
            // Quotes exactly at both ends of the five quoted fields, none inside:
            // what the careful scan's quoted-token read takes as one field each.
            a.quotes & (UInt64.below(e.3) & ~UInt64.below(e.1 &+ 1) | UInt64.below(e.8) & ~UInt64.below(e.5 &+ 1))
                == .bit(e.1 &+ 1) | .bit(e.2 &- 1) | .bit(e.2 &+ 1) | .bit(e.3 &- 1) | .bit(e.5 &+ 1)
                | .bit(e.6 &- 1) | .bit(e.6 &+ 1) | .bit(e.7 &- 1) | .bit(e.7 &+ 1) | .bit(e.8 &- 1)
        else { return nil }

        // `TR Tw Tc Tr Ta term ac fc bc sc rc sq bq`, to a space or the line's end.
        let u = r &+ e.8 &+ 1
        guard let b = ByteClassMasks(base, at: u, end: end) else { return nil }
        var bEnds = b.fieldEnds(from: u, lineEnd: end)
        let t = (
            bEnds.takeLowestBit(), bEnds.takeLowestBit(), bEnds.takeLowestBit(),
            bEnds.takeLowestBit(), bEnds.takeLowestBit(), bEnds.takeLowestBit()
        )
        var counterEnd = t.5
        var countersOK = true
        for _ in 0..<7 {  // one to nine digits each: no Int32 overflow
            let next = bEnds.takeLowestBit()
            countersOK = countersOK && UInt(bitPattern: next &- counterEnd &- 2) < 9
            counterEnd = next
        }
        let bNumbers = (UInt64.below(t.4) | UInt64.below(counterEnd) & ~UInt64.below(t.5 &+ 1)) & ~b.spaces
        guard UInt(bitPattern: t.0 &- 1) < 8, UInt(bitPattern: t.1 &- t.0 &- 2) < 8,
            UInt(bitPattern: t.2 &- t.1 &- 2) < 8, UInt(bitPattern: t.3 &- t.2 &- 2) < 8,
            UInt(bitPattern: t.4 &- t.3 &- 2) < 8,  // timers, 1 to 8 digits
            t.5 == t.4 &+ 5, base[u &+ t.4 &+ 1] != .quote,  // four termination flags
            countersOK, counterEnd < 64,
            bNumbers & ~b.digits == 0
        else { return nil }

        @inline(__always) func number(_ from: Int, _ to: Int) -> UInt64 {
            ByteCursor.digitsValue(ByteCursor.load8(base, from), count: to &- from)
        }
        @inline(__always) func timer(_ from: Int, _ to: Int) -> Int32 {
            Int32(truncatingIfNeeded: number(u &+ from, u &+ to))
        }
        let (frontend, ssl) = RequestPayload.frontendName(c, ByteRange(r &+ e.5 &+ 2, r &+ e.6 &- 1))
        return LogRecord(
            framing: framing, mode: .http, isCLF: true,
            frontend: frontend, isSSLFrontend: ssl,
            backend: ByteRange(r &+ e.6 &+ 2, r &+ e.7 &- 1), server: ByteRange(r &+ e.7 &+ 2, r &+ e.8 &- 1),
            timers: LogTimers(
                timer(0, t.0), timer(t.0 &+ 1, t.1), timer(t.1 &+ 1, t.2), timer(t.2 &+ 1, t.3), timer(t.3 &+ 1, t.4)),
            status: Int16(truncatingIfNeeded: number(r, r &+ 3)), bytes: Int64(number(r &+ 4, r &+ e.1)),
            termination: ByteRange(u &+ t.4 &+ 1, u &+ t.5), isLogasap: false, acceptDate: acceptDate)
    }
}
