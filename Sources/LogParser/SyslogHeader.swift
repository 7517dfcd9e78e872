/// Finds where the HAProxy message starts, past whatever syslog header wraps it.
///
/// The framing is told from the first bytes alone: `<` opens a priority
/// (RFC 5424 if a version `1 ` follows, else RFC 3164); `Mmm ` opens a BSD
/// timestamp as rsyslog writes it; `yyyy-` opens an RFC 3339 timestamp
/// (`RSYSLOG_FileFormat`); anything else is a raw payload.
@usableFromInline
enum SyslogHeader {
    @inlinable @inline(__always)
    static func skip(_ c: inout ByteCursor, carefully: Bool = false) throws(LogRejection) -> LogFraming {
        var hint = PayloadHint()
        return try skip(&c, carefully: carefully, hint: &hint)
    }

    /// `hint` receives what the header's fast path saw of the message
    /// (``PayloadHint``): the client's end, found in the header's own space
    /// mask beside the tag's end, and a guess at the names' window.
    @usableFromInline @_transparent
    static func skip(
        _ c: inout ByteCursor, carefully: Bool, hint: inout PayloadHint
    ) throws(LogRejection) -> LogFraming {
        let b0 = c.peek()
        if b0 == .lessThan {
            c.position &+= 1
            try priority(&c)
            if c.peek() == UInt8(ascii: "1") && c.peek(1) == .space {
                c.position &+= 2
                try rfc5424(&c, carefully: carefully, hint: &hint)
                return .rfc5424
            }
            try bsdTimestamp(&c, carefully: carefully)
            try hostAndTag(&c, carefully: carefully, hint: &hint)
            return .rfc3164
        }
        if b0.isUpperAlpha && c.peek(3) == .space {
            try bsdTimestamp(&c, carefully: carefully)
            try hostAndTag(&c, carefully: carefully, hint: &hint)
            return .bsdFile
        }
        if b0.isDigit && c.peek(1).isDigit && c.peek(2).isDigit && c.peek(3).isDigit
            && c.peek(4) == .minus
        {
            // RSYSLOG_FileFormat: the timestamp's end, the host and tag, and
            // often the client's end, from one window opened past the timestamp's
            // first 16 bytes.
            let origin = c.position &+ spaceFreeSixteen(c)
            if !carefully, c.peek(7) == .minus, c.peek(10) == UInt8(ascii: "T"),
                let w = ByteClassMasks(c.base, at: origin, end: c.end)
            {
                let stamp = w.spaces.trailingZeroBitCount
                if stamp < 64 {
                    c.position = origin &+ stamp &+ 1
                    // The host, tag and client take about 40 bytes past the
                    // timestamp's end, and the date 28.
                    hint.namesGuess = origin &+ 64
                    if !tag(&c, origin: origin, spaces: w.spaces & (w.spaces &- 1), hint: &hint) {
                        try hostAndTag(&c, carefully: false, hint: &hint)
                    }
                    return .isoFile
                }
            }
            try isoTimestamp(&c)
            try hostAndTag(&c, carefully: carefully, hint: &hint)
            return .isoFile
        }
        // No header: the client and the date, then the names.
        hint.namesGuess = c.position &+ 32
        return .raw
    }

    /// 16 when the 16 bytes at `position` lie in the line and hold no space,
    /// else 0: a timestamp's first bytes, which a window can then open past,
    /// so that it reaches the fields after the header.
    @inlinable @inline(__always)
    static func spaceFreeSixteen(_ c: ByteCursor) -> Int {
        guard c.position &+ 16 <= c.end else { return 0 }
        let spaces = ByteCursor.equalBytes(c.load8(c.position), .space)
            | ByteCursor.equalBytes(c.load8(c.position &+ 8), .space)
        // A branch, not a select: it is predictable, and taken speculatively it
        // lets the window's load start before these 16 bytes are checked.
        if _fastPath(spaces == 0) { return 16 }
        return 0
    }

    /// `<0>` to `<191>`: up to three digits and `>`.
    @inlinable @inline(__always)
    static func priority(_ c: inout ByteCursor) throws(LogRejection) {
        var digits = 0
        var value = 0
        while c.peek().isDigit {
            value = value &* 10 &+ Int(c.peek() &- .digitZero)
            digits &+= 1
            c.position &+= 1
            guard digits <= 3 else { throw .malformedSyslogHeader }
        }
        guard digits > 0, value <= 191, c.peek() == .greaterThan else { throw .malformedSyslogHeader }
        c.position &+= 1
    }

    /// `Mmm dd hh:mm:ss ` (day padded with a space or a zero): fixed width, checked by position.
    @usableFromInline @_transparent
    static func bsdTimestamp(_ c: inout ByteCursor, carefully: Bool) throws(LogRejection) {
        if !carefully, c.position &+ 16 <= c.end {
            guard BSDTimestamp.matches(c.base + c.position) else { throw .malformedSyslogHeader }
            c.position &+= 16
            return
        }
        guard c.peek(0).isUpperAlpha, c.peek(1).isLowerAlpha, c.peek(2).isLowerAlpha,
            c.peek(3) == .space,
            c.peek(4) == .space || c.peek(4).isDigit, c.peek(5).isDigit, c.peek(6) == .space,
            c.peek(7).isDigit, c.peek(8).isDigit, c.peek(9) == .colon,
            c.peek(10).isDigit, c.peek(11).isDigit, c.peek(12) == .colon,
            c.peek(13).isDigit, c.peek(14).isDigit, c.peek(15) == .space
        else { throw .malformedSyslogHeader }
        c.position &+= 16
    }

    /// `2026-11-22T21:10:58.882126+00:00 `: the date is checked, the rest runs to the space.
    @inlinable @inline(__always)
    static func isoTimestamp(_ c: inout ByteCursor) throws(LogRejection) {
        guard c.peek(7) == .minus, c.peek(10) == UInt8(ascii: "T") else { throw .malformedSyslogHeader }
        _ = c.token()
        guard c.peek() == .space else { throw .malformedSyslogHeader }
        c.position &+= 1
    }

    /// `[host ]tag[pid]: `. HAProxy leaves the host out unless `log-send-hostname`
    /// is set, so the first token is the tag when it ends with `:`.
    @inlinable @inline(__always)
    static func hostAndTag(
        _ c: inout ByteCursor, carefully: Bool, hint: inout PayloadHint
    ) throws(LogRejection) {
        // Both tokens' ends from one space mask; anything unusual (a double
        // space, tokens past the window) is left to the loop below, which
        // `carefully` (for the tests) always takes.
        let origin = c.position
        if !carefully, let w = ByteClassMasks(c.base, at: origin, end: c.end),
            tag(&c, origin: origin, spaces: w.spaces, hint: &hint)
        {
            // `lb-1 haproxy[6037]: 10.52.44.152:28675 ` and the date: the names
            // most often start 60 to 70 bytes past the host.
            if hint.namesGuess == 0 { hint.namesGuess = origin &+ 48 }
            return
        }
        for _ in 0..<2 {
            let t = c.token()
            guard !t.isEmpty, c.peek() == .space else { throw .malformedSyslogHeader }
            c.position &+= 1
            if c.base[Int(t.upperBound) &- 1] == .colon { return }
        }
        throw .malformedSyslogHeader
    }

    /// The tag's end found in `spaces` (bit `i`: the byte at `origin + i` is a
    /// space, for as far as a window reached, 0 past it; none set before
    /// `position`), or `false` when the mask cannot tell and the token loop
    /// must. The three lowest bits are found side by side, so the client's
    /// end does not wait for the tag's.
    @inlinable @inline(__always)
    static func tag(_ c: inout ByteCursor, origin: Int, spaces: UInt64, hint: inout PayloadHint) -> Bool {
        let p = c.position
        let rest1 = spaces & (spaces &- 1)
        let rest2 = rest1 & (rest1 &- 1)
        let first = spaces.trailingZeroBitCount
        let second = rest1.trailingZeroBitCount
        let third = rest2.trailingZeroBitCount
        if first < 64, origin &+ first > p, c.base[origin &+ first &- 1] == .colon {
            c.position = origin &+ first &+ 1
            hint.clientEnd = second < 64 ? origin &+ second : 0
            return true
        }
        if second < 64, origin &+ first > p, second > first &+ 1, c.base[origin &+ second &- 1] == .colon {
            c.position = origin &+ second &+ 1
            hint.clientEnd = third < 64 ? origin &+ third : 0
            return true
        }
        return false
    }

    /// After `<PRI>1 `: TIMESTAMP HOSTNAME APP-NAME PROCID MSGID, then the
    /// structured data (`-` or one or more `[...]`, in which `\]` is escaped),
    /// then the message, which may open with a UTF-8 byte-order mark.
    @usableFromInline @_transparent
    static func rfc5424(
        _ c: inout ByteCursor, carefully: Bool, hint: inout PayloadHint
    ) throws(LogRejection) {
        // HAProxy's own shape, `TIMESTAMP HOST APP PID - - `, from one space
        // mask opened past the timestamp's first 16 bytes: five non-empty
        // tokens, then `-` for no structured data.
        let p = c.position
        let skip = spaceFreeSixteen(c)
        if !carefully, let w = ByteClassMasks(c.base, at: p &+ skip, end: c.end) {
            let q = p &+ skip
            var ends = w.spaces
            let e = (
                ends.takeLowestBit(), ends.takeLowestBit(), ends.takeLowestBit(),
                ends.takeLowestBit(), ends.takeLowestBit(), ends.takeLowestBit(),
                ends.takeLowestBit()
            )
            if e.0 &+ skip > 0, e.1 > e.0 &+ 1, e.2 > e.1 &+ 1, e.3 > e.2 &+ 1, e.4 > e.3 &+ 1,
                e.5 == e.4 &+ 2, e.5 < 63, c.base[q &+ e.4 &+ 1] == .minus,
                q &+ e.5 &+ 1 < c.end, c.base[q &+ e.5 &+ 1] != 0xEF  // no byte-order mark
            {
                c.position = q &+ e.5 &+ 1
                hint.clientEnd = e.6 < 64 ? q &+ e.6 : 0
                // The host, app, pid, `- - `, client and date: the names most
                // often start 70 to 80 bytes past the timestamp's 16th byte.
                hint.namesGuess = q &+ 64
                return
            }
        }
        try rfc5424Carefully(&c)
    }

    /// The token loop and structured data, for every shape the fast path leaves.
    @inlinable @inline(never)
    static func rfc5424Carefully(_ c: inout ByteCursor) throws(LogRejection) {
        for _ in 0..<5 {
            let t = c.token()
            guard !t.isEmpty, c.peek() == .space else { throw .malformedSyslogHeader }
            c.position &+= 1
        }
        if c.peek() == .minus {
            c.position &+= 1
        } else {
            guard c.peek() == .openBracket else { throw .malformedSyslogHeader }
            while c.peek() == .openBracket {
                c.position &+= 1
                while true {
                    guard !c.isAtEnd else { throw .malformedSyslogHeader }
                    let b = c.base[c.position]
                    if b == .backslash {
                        c.position &+= 2
                        continue
                    }
                    c.position &+= 1
                    if b == .closeBracket { break }
                }
            }
        }
        guard c.peek() == .space else { throw .malformedSyslogHeader }
        c.position &+= 1
        if c.peek() == 0xEF && c.peek(1) == 0xBB && c.peek(2) == 0xBF { c.position &+= 3 }
    }
}
