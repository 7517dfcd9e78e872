/// The request line as nearly every busy proxy writes it, read at fixed cost.
///
/// `option httplog` lines almost always have the same shape: one space
/// between fields, a 24-byte date, unsigned timers and counters of a few
/// digits, no cookies captured, no `option logasap`, and the request after
/// the fields the scanner needs. For that shape every field after the server
/// name is found with a handful of word-wide mask operations instead of a
/// loop per field and a branch per digit; numbers convert without loops, and
/// the timers only when read (``LogTimers``).
///
/// `option tcplog` lines end with the queue counters, too close to the end
/// of the line for the fixed-width reads, so they always take the careful path.
///
/// It answers `nil` whenever a line leaves that shape in any way, never a
/// rejection: ``RequestPayload`` then reads the line again, carefully, and
/// names the reason. So this path can only be faster, never different; the
/// tests hold it to that by comparing both paths on every table line and on
/// millions of random and mutated ones.
@usableFromInline
enum CommonRequestLine {
    /// Past this many bytes from the timers, every fixed-width read below stays in the line.
    @inlinable static var tailMargin: Int { 56 }

    @inlinable @inline(__always)
    static func scan(_ cursor: ByteCursor, framing: LogFraming) -> LogRecord? {
        var c = cursor
        let base = c.base
        let end = c.end

        // `client:port [22/Nov/2026:21:10:58.882] `
        let client = c.token()
        let q = c.position
        guard !client.isEmpty, q &+ 29 <= end, base[q &+ 1] == .openBracket,
            base[q &+ 26] == .closeBracket, base[q &+ 27] == .space, base[q &+ 28] != .space
        else { return nil }

        // `frontend backend/server `
        c.position = q &+ 28
        let (frontend, ssl) = RequestPayload.frontendName(c, c.token())
        guard c.position &+ 1 < end, base[c.position &+ 1] != .space else { return nil }
        c.position &+= 1
        let backendStart = c.position
        let slash = c.find(.slash, or: .space)
        guard slash < end, base[slash] == .slash, slash > backendStart else { return nil }
        c.position = slash &+ 1
        let server = c.token()
        let t = c.position &+ 1
        guard !server.isEmpty, t &+ tailMargin <= end, base[t] != .space else { return nil }
        let backend = ByteRange(backendStart, slash)

        // Timers: `TR/Tw/Tc/Tr/Ta` (or 1.4's `Tq/Tw/Tc/Tr/Tt`).
        guard let timers = NumericField.read(base, at: t), timers.holds(5), base[timers.stop &+ 1] != .space
        else { return nil }
        // Five numbers and four slashes in at most 15 bytes: none is longer than
        // seven digits, so each converts from one word when it is read.
        let timerValues = LogTimers(
            raw: timers.word0, timers.word1, slashes: timers.slashes, length: timers.stop &- t)
        var p = timers.stop &+ 1

        // `status ` from 100 to 999.
        let statusWord = ByteCursor.load8(base, p)
        guard ByteCursor.nonDigitBytes(statusWord) & 0x80_8080 == 0, statusWord & 0xFF != 0x30,
            (statusWord &>> 24) & 0xFF == 0x20, (statusWord &>> 32) & 0xFF != 0x20
        else { return nil }
        let status = Int16(truncatingIfNeeded: ByteCursor.digitsValue(statusWord, count: 3))
        p &+= 4

        // `bytes `: one to seven digits.
        let bytesWord = ByteCursor.load8(base, p)
        let nonDigit = ByteCursor.nonDigitBytes(bytesWord)
        let digits = nonDigit.trailingZeroBitCount &>> 3
        guard nonDigit != 0, digits > 0, base[p &+ digits] == .space, base[p &+ digits &+ 1] != .space
        else { return nil }
        let bytes = Int64(ByteCursor.digitsValue(bytesWord, count: digits))
        p &+= digits &+ 1

        // `- - ` (no cookie captured), then four termination flags and one space.
        let cookies = UnsafeRawPointer(base + p).loadUnaligned(as: UInt32.self)
        guard UInt32(littleEndian: cookies) == 0x202D_202D else { return nil }
        p &+= 4
        let spaces = ByteCursor.equalBytes(ByteCursor.load8(base, p), .space)
        guard spaces & 0xFF_FFFF_FFFF == 0x80_0000_0000 else { return nil }
        let termination = ByteRange(p, p &+ 4)
        p &+= 5

        // `actconn/feconn/beconn/srv_conn/retries srv_queue/backend_queue`
        guard let connections = NumericField.read(base, at: p), connections.holds(5),
            base[connections.stop &+ 1] != .space
        else { return nil }
        p = connections.stop &+ 1
        if p &+ 16 <= end {
            guard NumericField.read(base, at: p)?.holds(2) == true else { return nil }
        } else {
            c.position = p
            do { try c.slashSeparatedCounters(2) } catch { return nil }
        }

        return LogRecord(
            framing: framing, mode: .http, isCLF: false,
            frontend: frontend, isSSLFrontend: ssl, backend: backend, server: server,
            timers: timerValues, status: status, bytes: bytes, termination: termination, isLogasap: false)
    }
}
