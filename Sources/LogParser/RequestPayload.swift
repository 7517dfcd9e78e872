/// The HAProxy message itself: `option httplog`, `option httplog clf` or `option tcplog`.
///
/// Only the fields up to the queue counters are read. What follows (captured
/// headers, the request line) may hold spaces, quotes and braces, and HAProxy
/// truncates it when a line is too long; none of it is needed, so none of it
/// can make a line fail.
@usableFromInline
enum RequestPayload {
    @usableFromInline @_transparent
    static func scan(
        _ c: inout ByteCursor, framing: LogFraming, hint: PayloadHint = PayloadHint()
    ) throws(LogRejection) -> LogRecord {
        if let record = CommonRequestLine.scan(c, framing: framing, hint: hint) { return record }
        return try scanCarefully(&c, framing: framing, fastCLFTail: true)
    }

    /// Every shape the grammar allows, each failure named. `fastCLFTail` lets
    /// ``CommonCLFTail`` try the fields after a CLF line's request first.
    @inlinable
    static func scanCarefully(
        _ c: inout ByteCursor, framing: LogFraming, fastCLFTail: Bool = false
    ) throws(LogRejection) -> LogRecord {
        let client = c.token()
        guard !client.isEmpty, c.peek() == .space else { throw .notARequestLog }
        c.position &+= 1
        let next = c.peek()
        if next == .openBracket {
            return try native(&c, framing: framing)
        }
        if next == .minus && c.peek(1) == .space && c.peek(2) == .minus && c.peek(3) == .space
            && c.peek(4) == .openBracket
        {
            c.position &+= 4
            return try clf(&c, framing: framing, fastTail: fastCLFTail)
        }
        throw .notARequestLog
    }

    /// `[22/Nov/2026:21:10:58.882]`: 24 bytes between the brackets in every
    /// HAProxy version, so the common case is one comparison. Answers the
    /// bytes between the brackets.
    @inlinable @inline(__always)
    static func bracketedDate(_ c: inout ByteCursor) throws(LogRejection) -> ByteRange {
        let start = c.position &+ 1
        if c.peek(25) == .closeBracket {
            c.position &+= 26
            return ByteRange(start, start &+ 24)
        }
        let i = c.find(.closeBracket, from: start)
        guard i < c.end else { throw .truncated }
        c.position = i &+ 1
        return ByteRange(start, i)
    }

    @inlinable @inline(__always)
    static func frontendName(_ c: ByteCursor, _ r: ByteRange) -> (ByteRange, ssl: Bool) {
        if !r.isEmpty && c.base[Int(r.upperBound) &- 1] == .tilde {
            return (ByteRange(Int(r.lowerBound), Int(r.upperBound) &- 1), true)
        }
        return (r, false)
    }

    /// `client:port [date] frontend backend/server timers ...`
    @inlinable @inline(__always)
    static func native(_ c: inout ByteCursor, framing: LogFraming) throws(LogRejection) -> LogRecord {
        let acceptDate = try bracketedDate(&c)
        try c.fastSeparator()
        let (frontend, ssl) = frontendName(c, c.token())
        try c.fastSeparator()

        // backend/server: names never hold a '/', so the first one splits them.
        let bStart = c.position
        let slash = c.find(.slash, or: .space)
        guard slash < c.end else { throw .truncated }
        guard c.base[slash] == .slash, slash > bStart else { throw .malformedField }
        let backend = ByteRange(bStart, slash)
        c.position = slash &+ 1
        let server = c.token()
        guard !server.isEmpty else { throw .malformedField }
        try c.fastSeparator()

        // Timers: five in http mode (TR/Tw/Tc/Tr/Ta, or Tq/Tw/Tc/Tr/Tt), three in tcp mode (Tw/Tc/Tt).
        var t = (Int32(0), Int32(0), Int32(0), Int32(0), Int32(0))
        var count = 3
        var lastPlus: Bool
        t.0 = try c.int32().value
        try c.expect(.slash)
        t.1 = try c.int32().value
        try c.expect(.slash)
        (t.2, lastPlus) = try c.int32()
        if c.peek() == .slash {
            c.position &+= 1
            t.3 = try c.int32().value
            try c.expect(.slash)
            (t.4, lastPlus) = try c.int32()
            count = 5
            guard c.peek() != .slash else { throw .malformedField }
        }
        try c.fastSeparator()

        if count == 5 {
            let (status, _) = try c.int32()
            guard status == -1 || (status >= 100 && status <= 999) else {
                throw status > 999 ? .numberOverflow : .malformedField
            }
            try c.fastSeparator()
            let (bytes, bytesPlus) = try c.signedInteger()
            try c.fastSeparator()
            _ = c.token()  // captured request cookie
            try c.fastSeparator()
            _ = c.token()  // captured response cookie
            try c.fastSeparator()
            let termination = c.token()
            guard termination.count == 4 else { throw .malformedField }
            try c.fastSeparator()
            try c.slashSeparatedCounters(5)  // actconn/feconn/beconn/srv_conn/retries
            try c.fastSeparator()
            try c.slashSeparatedCounters(2)  // srv_queue/backend_queue
            try c.expectFieldEnd()
            return LogRecord(
                framing: framing, mode: .http, isCLF: false,
                frontend: frontend, isSSLFrontend: ssl, backend: backend, server: server,
                TR: t.0, Tw: t.1, Tc: t.2, Tr: t.3, Ta: t.4,
                status: Int16(truncatingIfNeeded: status), bytes: bytes,
                termination: termination, isLogasap: lastPlus || bytesPlus,
                acceptDate: acceptDate)
        }
        guard count == 3 else { throw .malformedField }
        let (bytes, bytesPlus) = try c.signedInteger()
        try c.fastSeparator()
        let termination = c.token()
        guard termination.count == 2 else { throw .malformedField }
        try c.fastSeparator()
        try c.slashSeparatedCounters(5)
        try c.fastSeparator()
        try c.slashSeparatedCounters(2)
        try c.expectFieldEnd()
        return LogRecord(
            framing: framing, mode: .tcp, isCLF: false,
            frontend: frontend, isSSLFrontend: ssl, backend: backend, server: server,
            TR: -1, Tw: t.0, Tc: t.1, Tr: -1, Ta: t.2,
            status: -1, bytes: bytes, termination: termination, isLogasap: lastPlus || bytesPlus,
            acceptDate: acceptDate)
    }

    /// `client - - [date zone] "request" status bytes "" "" cport ms "fe" "be" "srv"
    ///  TR Tw Tc Tr Ta tsc ac fc bc sc rc sq bq ...` (HAProxy quotes the names with `%{+Q}`).
    @inlinable @inline(__always)
    static func clf(_ c: inout ByteCursor, framing: LogFraming, fastTail: Bool) throws(LogRejection) -> LogRecord {
        let acceptDate = try bracketedDate(&c)
        try c.fastSeparator()
        // The request line: HAProxy escapes '"' inside it, but a hand-made log may
        // not, so the closing quote is the one followed by a space and a status.
        guard c.peek() == .quote else { throw .malformedField }
        var i = c.position &+ 1
        while true {
            i = c.find(.quote, from: i)
            guard i &+ 2 < c.end else { throw .truncated }
            let after = c.base[i &+ 2]
            if c.base[i &+ 1] == .space && (after.isDigit || after == .minus) { break }
            i &+= 1
        }
        c.position = i &+ 1
        if fastTail, let record = CommonCLFTail.scan(c, framing: framing, acceptDate: acceptDate) { return record }
        try c.fastSeparator()
        let (status, _) = try c.int32()
        guard status == -1 || (status >= 100 && status <= 999) else {
            throw status > 999 ? .numberOverflow : .malformedField
        }
        try c.fastSeparator()
        let (bytes, bytesPlus) = try c.signedInteger()
        try c.fastSeparator()
        _ = try c.maybeQuotedToken()  // referer placeholder
        try c.fastSeparator()
        _ = try c.maybeQuotedToken()  // user-agent placeholder
        try c.fastSeparator()
        _ = try c.int32()  // client port
        try c.fastSeparator()
        _ = try c.int32()  // milliseconds of the date
        try c.fastSeparator()
        let (frontend, ssl) = frontendName(c, try c.maybeQuotedToken())
        try c.fastSeparator()
        let backend = try c.maybeQuotedToken()
        try c.fastSeparator()
        let server = try c.maybeQuotedToken()
        guard !backend.isEmpty, !server.isEmpty else { throw .malformedField }
        try c.fastSeparator()
        var t = (Int32(0), Int32(0), Int32(0), Int32(0), Int32(0))
        var lastPlus = false
        t.0 = try c.int32().value
        try c.fastSeparator()
        t.1 = try c.int32().value
        try c.fastSeparator()
        t.2 = try c.int32().value
        try c.fastSeparator()
        t.3 = try c.int32().value
        try c.fastSeparator()
        (t.4, lastPlus) = try c.int32()
        try c.fastSeparator()
        let termination = try c.maybeQuotedToken()
        guard termination.count == 4 else { throw .malformedField }
        for _ in 0..<7 {  // ac fc bc sc rc sq bq
            try c.fastSeparator()
            _ = try c.int32()
        }
        try c.expectFieldEnd()
        return LogRecord(
            framing: framing, mode: .http, isCLF: true,
            frontend: frontend, isSSLFrontend: ssl, backend: backend, server: server,
            TR: t.0, Tw: t.1, Tc: t.2, Tr: t.3, Ta: t.4,
            status: Int16(truncatingIfNeeded: status), bytes: bytes,
            termination: termination, isLogasap: lastPlus || bytesPlus,
            acceptDate: acceptDate)
    }
}
