/// The request line as nearly every busy proxy writes it, read at fixed cost.
///
/// `option httplog` lines almost always have the same shape: one space
/// between fields, a 24-byte date, unsigned timers (or `-1`) and counters,
/// one-byte cookie fields, no `option logasap`. For that shape the line is
/// read as windows of 64 bytes (the client, unless the syslog header's window
/// already saw its end; the names; the numbers), each classified at once
/// (``ByteClassMasks``): a field's end is a trailing-zero count of the space
/// mask, and a field is checked with one mask comparison instead of a loop
/// per field and a branch per byte. Each window's address is a field end
/// found in the one before, so those ends are found in as few dependent
/// steps as possible: past a point the scan waits on that chain, not on its
/// instruction count. Numbers convert without loops, and the timers only
/// when read (``LogTimers``).
///
/// It answers `nil` whenever a line leaves that shape in any way, never a
/// rejection: ``RequestPayload`` then reads the line again, carefully, and
/// names the reason. So this path can only be faster, never different; the
/// tests hold it to that by comparing both paths on every table line and on
/// millions of random and mutated ones.
@usableFromInline
enum CommonRequestLine {
    @usableFromInline @_transparent
    static func scan(_ cursor: ByteCursor, framing: LogFraming, hint: PayloadHint = PayloadHint()) -> LogRecord? {
        let base = cursor.base
        let end = cursor.end

        // `client:port [22/Nov/2026:21:10:58.882] `: the client's end is often
        // known from the syslog header's window already (0 when not).
        let p = cursor.position
        var q = hint.clientEnd
        if q == 0 {
            guard let client = ByteClassMasks(base, at: p, end: end), client.spaces != 0 else { return nil }
            q = p &+ client.spaces.trailingZeroBitCount
        }
        guard q > p, q &+ 29 <= end, base[q &+ 1] == .openBracket,
            base[q &+ 26] == .closeBracket, base[q &+ 27] == .space, base[q &+ 28] != .space
        else { return nil }

        // `frontend backend/server `: the backend ends at the first slash after
        // the frontend, the server at the next space. They are read from the
        // window at the header's guess when it opened at most 24 bytes early
        // (its address waits on nothing, so its load runs beside the header's),
        // or else from a window opened at `f`.
        let f = q &+ 28
        let namesGuess = hint.namesGuess
        // The frontend's length, the slash and the server's end, from a mask
        // of which the first `known` bits are known.
        @inline(__always) func split(_ names: ByteClassMasks, known: Int) -> (Int, Int, Int)? {
            let frontendLength = names.spaces.trailingZeroBitCount
            guard frontendLength < known &- 2 else { return nil }
            let afterFrontend = ~UInt64.below(frontendLength &+ 1)
            // The second space: the lowest bit cleared, rather than the bits up to
            // the frontend's end, so the next window's address waits on less.
            let serverEnd = (names.spaces & (names.spaces &- 1)).trailingZeroBitCount
            let slash = (names.slashes & afterFrontend).trailingZeroBitCount
            guard slash > frontendLength &+ 1, slash &+ 1 < serverEnd, serverEnd < known &- 1,
                names.spaces & UInt64.bit(serverEnd &+ 1) == 0
            else { return nil }
            return (frontendLength, slash, serverEnd)
        }
        var found: (Int, Int, Int)? = nil
        if f >= namesGuess, f &- namesGuess <= 24,
            let g = ByteClassMasks(base, at: namesGuess, end: end)
        {
            let shift = UInt64(truncatingIfNeeded: f &- namesGuess)
            let shifted = ByteClassMasks(spaces: g.spaces &>> shift, numeric: 0, slashes: g.slashes &>> shift)
            found = split(shifted, known: 64 &- (f &- namesGuess))
        }
        if found == nil {
            guard let names = ByteClassMasks(base, at: f, end: end) else { return nil }
            found = split(names, known: 64)
        }
        guard let (frontendLength, slash, serverEnd) = found else { return nil }
        let backendStart = frontendLength &+ 1
        let (frontend, ssl) = RequestPayload.frontendName(cursor, ByteRange(f, f &+ frontendLength))
        let backend = ByteRange(f &+ backendStart, f &+ slash)
        let server = ByteRange(f &+ slash &+ 1, f &+ serverEnd)

        // `TR/Tw/Tc/Tr/Ta status bytes - - term ac/fc/bc/sc/rc sq/bq`, to a space
        // or the line's end. `option httplog`: timers in 15 bytes or fewer
        // (``LogTimers`` keeps 16), a three-digit status, one to eight digits of
        // bytes, two one-byte cookie fields (`- -`; the scanner never reads
        // them), four termination flags, then two non-empty counter fields, each
        // field followed by one space. The fixed-width run from the status to
        // the termination is one comparison of the field-end bits; the numbers
        // are then checked at once. Any other shape may still be `option tcplog`.
        let t = f &+ serverEnd &+ 1
        guard let w = ByteClassMasks(base, at: t, end: end) else { return nil }
        let ends = w.fieldEnds(from: t, lineEnd: end)
        let timersEnd = ends.trailingZeroBitCount
        let statusEnd = timersEnd &+ 4
        let bytesEnd = (ends & ~UInt64.below(statusEnd &+ 1)).trailingZeroBitCount
        guard timersEnd > 0, timersEnd < 16,
            (ends &>> UInt64(truncatingIfNeeded: timersEnd)) & 0x1F == 0b1_0001,  // ` 200 `
            UInt(bitPattern: bytesEnd &- statusEnd &- 2) < 8,
            (ends &>> UInt64(truncatingIfNeeded: bytesEnd)) & 0x3FF == 0b10_0001_0101  // ` - - ---- `
        else { return tcp(base, t, end, framing: framing, frontend: frontend, ssl: ssl, backend: backend, server: server) }
        let terminationEnd = bytesEnd &+ 9
        var rest = ends & ~UInt64.below(terminationEnd &+ 1)
        let connectionsEnd = rest.takeLowestBit()
        let queuesEnd = rest.takeLowestBit()
        guard connectionsEnd > terminationEnd &+ 1, queuesEnd > connectionsEnd &+ 1, queuesEnd < 64 else {
            return tcp(base, t, end, framing: framing, frontend: frontend, ssl: ssl, backend: backend, server: server)
        }
        let numbers =
            (UInt64.below(bytesEnd) | UInt64.below(queuesEnd) & ~UInt64.below(terminationEnd &+ 1)) & ~w.spaces
        let slashes = w.slashes & numbers
        let timerSlashes = slashes & UInt64.below(timersEnd)
        let counterSlashes = slashes & ~UInt64.below(terminationEnd)
        guard timerSlashes.hasExactly(4),  // five timers
            slashes & UInt64.below(bytesEnd) == timerSlashes,  // none in the status or the bytes
            (counterSlashes & UInt64.below(connectionsEnd)).hasExactly(4),  // five connection counters
            (counterSlashes & ~UInt64.below(connectionsEnd)).hasExactly(1),  // two queue counters
            base[t &+ timersEnd &+ 1] != .digitZero
        else { return nil }

        let status = ByteCursor.digitsValue(ByteCursor.load8(base, t &+ timersEnd &+ 1), count: 3)
        let bytes = ByteCursor.digitsValue(ByteCursor.load8(base, t &+ statusEnd &+ 1), count: bytesEnd &- statusEnd &- 1)
        let timers: LogTimers
        if _fastPath(w.holdsNumbers(numbers)) {
            // The fields checked above run past t + 16, so both words lie in the line.
            timers = LogTimers(
                raw: ByteCursor.load8(base, t), ByteCursor.load8(base, t &+ 8),
                slashes: UInt32(truncatingIfNeeded: timerSlashes), length: timersEnd)
        } else {
            guard let converted = minusOneTimers(base, t, w, numbers: numbers, slashes: timerSlashes, length: timersEnd)
            else { return nil }
            timers = converted
        }
        return LogRecord(
            framing: framing, mode: .http,
            frontend: frontend, isSSLFrontend: ssl, backend: backend, server: server,
            timers: timers, status: Int16(truncatingIfNeeded: status), bytes: Int64(bytes),
            termination: ByteRange(t &+ bytesEnd &+ 5, t &+ terminationEnd),
            acceptDateStart: Self.dateStart(frontend), acceptDateLength: 24)
    }

    /// Timers some of which are `-1`, a phase that never happened: the
    /// `<NOSRV> 2/0/-1/-1/3 503` lines of a backend with no server up, which
    /// can be most of a log while an outage lasts, so they must not be the
    /// slow ones. Each `-` must open a timer and be followed by `1` and the
    /// timer's end (any other negative number is left to the careful scan);
    /// the `-1`s then count as digits for the numbers check. The values are
    /// converted here, since the record's raw form holds digits only.
    @inlinable @inline(never)
    static func minusOneTimers(
        _ base: UnsafePointer<UInt8>, _ t: Int, _ w: ByteClassMasks, numbers: UInt64, slashes: UInt64, length: Int
    ) -> LogTimers? {
        let field = UInt64.below(length)
        let lo = ByteCursor.load8(base, t)
        let hi = ByteCursor.load8(base, t &+ 8)
        @inline(__always) func bits(_ b: UInt8) -> UInt64 {
            (ByteClassMasks.gather(ByteCursor.equalBytes(lo, b))
                | ByteClassMasks.gather(ByteCursor.equalBytes(hi, b)) &<< 8) & field
        }
        let minus = bits(.minus)
        let starts = (slashes &<< 1 | 1) & field
        let ends = slashes | UInt64.bit(length)
        guard minus != 0, minus & ~starts == 0, (minus &<< 1) & ~bits(UInt8(ascii: "1")) == 0,
            (minus &<< 2) & ~ends == 0,
            ByteClassMasks(spaces: w.spaces, numeric: w.numeric | minus, slashes: w.slashes).holdsNumbers(numbers)
        else { return nil }
        var rest = slashes
        @inline(__always) func value(_ start: Int, _ end: Int) -> Int32 {
            minus & UInt64.bit(start) != 0
                ? -1
                : Int32(truncatingIfNeeded: ByteCursor.digitsValue(ByteCursor.load8(base, t &+ start), count: end &- start))
        }
        let s = (rest.takeLowestBit(), rest.takeLowestBit(), rest.takeLowestBit(), rest.takeLowestBit())
        return LogTimers(
            value(0, s.0), value(s.0 &+ 1, s.1), value(s.1 &+ 1, s.2), value(s.2 &+ 1, s.3), value(s.3 &+ 1, length))
    }

    /// `option tcplog`: `Tw/Tc/Tt bytes term ac/fc/bc/sc/rc sq/bq`. The three
    /// timers convert here, since the record's five slots hold two `-1`s.
    /// Kept out of line: two lines in a hundred are tcplog, and inlined it would
    /// cost the httplog path registers.
    @inlinable @inline(never)
    static func tcp(
        _ base: UnsafePointer<UInt8>, _ t: Int, _ end: Int, framing: LogFraming,
        frontend: ByteRange, ssl: Bool, backend: ByteRange, server: ByteRange
    ) -> LogRecord? {
        // The window is classified again rather than passed in, so the httplog
        // path keeps its values in registers.
        guard let w = ByteClassMasks(base, at: t, end: end) else { return nil }
        var ends = w.fieldEnds(from: t, lineEnd: end)
        let s = (ends.takeLowestBit(), ends.takeLowestBit(), ends.takeLowestBit(), ends.takeLowestBit(), ends.takeLowestBit())
        let timerSlashes = w.slashes & UInt64.below(s.0)
        guard s.0 < 16, UInt(bitPattern: s.1 &- s.0 &- 2) < 8, s.2 == s.1 &+ 3, s.3 > s.2 &+ 1, s.4 > s.3 &+ 1, s.4 < 64
        else { return nil }
        let numbers = (UInt64.below(s.1) | UInt64.below(s.4) & ~UInt64.below(s.2 &+ 1)) & ~w.spaces
        let slashes = w.slashes & numbers
        var rest = timerSlashes
        let first = rest.takeLowestBit()
        let second = rest.takeLowestBit()
        guard w.holdsNumbers(numbers), timerSlashes.hasExactly(2),
            slashes & UInt64.below(s.1) == timerSlashes,  // none in the bytes
            (slashes & UInt64.below(s.3)).hasExactly(6),  // five connection counters
            (slashes & ~UInt64.below(s.3)).hasExactly(1),  // two queue counters
            first <= 8, second &- first <= 9, s.0 &- second <= 9  // each timer in one word
        else { return nil }
        @inline(__always) func value(_ from: Int, _ to: Int) -> Int32 {
            Int32(truncatingIfNeeded: ByteCursor.digitsValue(ByteCursor.load8(base, t &+ from), count: to &- from))
        }
        return LogRecord(
            framing: framing, mode: .tcp,
            frontend: frontend, isSSLFrontend: ssl, backend: backend, server: server,
            timers: LogTimers(-1, value(0, first), value(first &+ 1, second), -1, value(second &+ 1, s.0)),
            status: -1, bytes: Int64(ByteCursor.digitsValue(ByteCursor.load8(base, t &+ s.0 &+ 1), count: s.1 &- s.0 &- 1)),
            termination: ByteRange(t &+ s.1 &+ 1, t &+ s.2),
            acceptDateStart: dateStart(frontend), acceptDateLength: 24)
    }

    /// The date's first byte: `[22/Nov/2026:21:10:58.882] ` stands just
    /// before the frontend on this path. Taken from the frontend's start,
    /// which the record holds anyway, rather than kept from the start of
    /// the scan: one value fewer live across it.
    @inlinable @inline(__always)
    static func dateStart(_ frontend: ByteRange) -> Int {
        Int(frontend.lowerBound) &- 26
    }
}
