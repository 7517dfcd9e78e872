/// One request as HAProxy logged it: the fields the autoscaler needs, by value.
///
/// Names are ``ByteRange``s into the scanned line, so a record is only
/// meaningful next to that line; copy the names out (or intern them) before
/// the line's buffer is reused.
///
/// Timers are in milliseconds, `-1` where HAProxy logged `-1` (the phase never
/// happened: an aborted request, a refused connection). In `tcp` mode only
/// ``Tw``, ``Tc`` and ``Ta`` (which holds `Tt`) are set; ``TR`` and ``Tr`` are `-1`.
///
/// Only the accept date's position is stored for what the summary never
/// reads, and in two holes the layout already had (after ``isCLF`` and after
/// ``isSSLFrontend``), so the record and its last word are what they were:
/// the scanner's paths all meet where the record is written out, and each
/// value more is composed and kept live across all of them. Stored as two
/// ``ByteRange``s and an `Int16` after ``isLogasap``, the date, the counters
/// and CLF's `ms` field cost the scanner 5 % (measured with
/// `ScannerThroughput`); packed into the holes and the last word, still 4 %.
/// So the counters and the `ms` field are found again when asked
/// (``connections(in:)``, ``clfMilliseconds(in:)``) from fields the record
/// holds anyway, which they follow or precede in every format.
public struct LogRecord: Hashable, Sendable {
    public var framing: LogFraming
    public var mode: LogMode
    /// Whether the line is in the CLF variant of the HTTP log.
    public var isCLF: Bool
    /// ``acceptDate``'s length.
    @usableFromInline var acceptDateLength: UInt8
    /// The frontend name, without the `~` that marks an SSL frontend.
    public var frontend: ByteRange
    public var isSSLFrontend: Bool
    /// Where ``acceptDate`` starts: 16 bits hold any offset in a line of at
    /// most ``LogLineScanner/maximumLineLength`` bytes.
    @usableFromInline var acceptDateStart: UInt16
    public var backend: ByteRange
    /// The server name; `<NOSRV>` when no server was chosen.
    public var server: ByteRange
    /// The five timers; read them through ``TR``, ``Tw``, ``Tc``, ``Tr`` and ``Ta``.
    public var timers: LogTimers
    /// Time to receive the full request (`Tq` before HAProxy 1.5).
    @inlinable public var TR: Int32 {
        @inline(__always) get { timers[0] }
        set { timers[0] = newValue }
    }
    /// Time waiting in queues.
    @inlinable public var Tw: Int32 {
        @inline(__always) get { timers[1] }
        set { timers[1] = newValue }
    }
    /// Time to connect to the server.
    @inlinable public var Tc: Int32 {
        @inline(__always) get { timers[2] }
        set { timers[2] = newValue }
    }
    /// Server response time: the autoscaler's default signal.
    @inlinable public var Tr: Int32 {
        @inline(__always) get { timers[3] }
        set { timers[3] = newValue }
    }
    /// Active time of the request (`Tt` before 1.5, and the total time `Tt` in `tcp` mode).
    @inlinable public var Ta: Int32 {
        @inline(__always) get { timers[4] }
        set { timers[4] = newValue }
    }
    /// HTTP status, `-1` when none was sent, and `-1` in `tcp` mode.
    public var status: Int16
    /// Bytes sent to the client.
    public var bytes: Int64
    /// The termination state (`----`, `SC--`, `CD` ...).
    public var termination: ByteRange
    /// `option logasap` marked the bytes and the last timer with `+`: they are lower bounds.
    public var isLogasap: Bool

    /// The bytes between the accept date's brackets: `22/Nov/2026:21:10:58.880`,
    /// or `22/Nov/2026:21:10:58 +0000` in CLF. Kept as a range, converted only by
    /// ``acceptMilliseconds(in:utcOffsetSeconds:)``: the summary never reads the
    /// date, so the hot path must not pay for its arithmetic. Empty when the
    /// brackets hold more than 255 bytes, which no date does.
    @inlinable public var acceptDate: ByteRange {
        @inline(__always) get {
            ByteRange(Int(acceptDateStart), Int(acceptDateStart) &+ Int(acceptDateLength))
        }
        set { (acceptDateStart, acceptDateLength) = Self.pack(newValue) }
    }

    /// A range as a 16-bit start and an 8-bit length; one too long to be a
    /// date (or out of a line) is an empty one. Selects, not branches: the
    /// scanner's fast paths pack a date of known length at an offset they
    /// have checked against the line's end.
    @inlinable @inline(__always)
    static func pack(_ r: ByteRange) -> (UInt16, UInt8) {
        let fits = UInt32(bitPattern: r.lowerBound) <= UInt32(UInt16.max) && UInt(bitPattern: r.count) <= 255
        return (
            fits ? UInt16(truncatingIfNeeded: r.lowerBound) : 0, fits ? UInt8(truncatingIfNeeded: r.count) : 0
        )
    }

    @inlinable
    public init(
        framing: LogFraming, mode: LogMode, isCLF: Bool,
        frontend: ByteRange, isSSLFrontend: Bool, backend: ByteRange, server: ByteRange,
        TR: Int32, Tw: Int32, Tc: Int32, Tr: Int32, Ta: Int32,
        status: Int16, bytes: Int64, termination: ByteRange, isLogasap: Bool,
        acceptDate: ByteRange = ByteRange(0, 0)
    ) {
        self.init(
            framing: framing, mode: mode, isCLF: isCLF,
            frontend: frontend, isSSLFrontend: isSSLFrontend, backend: backend, server: server,
            timers: LogTimers(TR, Tw, Tc, Tr, Ta),
            status: status, bytes: bytes, termination: termination, isLogasap: isLogasap,
            acceptDate: acceptDate)
    }

    @inlinable
    public init(
        framing: LogFraming, mode: LogMode, isCLF: Bool,
        frontend: ByteRange, isSSLFrontend: Bool, backend: ByteRange, server: ByteRange,
        timers: LogTimers, status: Int16, bytes: Int64, termination: ByteRange, isLogasap: Bool,
        acceptDate: ByteRange = ByteRange(0, 0)
    ) {
        self.framing = framing
        self.mode = mode
        self.isCLF = isCLF
        self.frontend = frontend
        self.isSSLFrontend = isSSLFrontend
        self.backend = backend
        self.server = server
        self.timers = timers
        self.status = status
        self.bytes = bytes
        self.termination = termination
        self.isLogasap = isLogasap
        (acceptDateStart, acceptDateLength) = Self.pack(acceptDate)
    }

    /// The fast paths' record: a date at an offset they checked against the
    /// line's end, of the length they checked, so no ``pack(_:)`` select.
    @inlinable @inline(__always)
    init(
        framing: LogFraming, mode: LogMode,
        frontend: ByteRange, isSSLFrontend: Bool, backend: ByteRange, server: ByteRange,
        timers: LogTimers, status: Int16, bytes: Int64, termination: ByteRange,
        acceptDateStart: Int, acceptDateLength: UInt8
    ) {
        self.init(
            framing: framing, mode: mode, isCLF: false,
            frontend: frontend, isSSLFrontend: isSSLFrontend, backend: backend, server: server,
            timers: timers, status: status, bytes: bytes, termination: termination, isLogasap: false)
        self.acceptDateStart = UInt16(truncatingIfNeeded: acceptDateStart)
        self.acceptDateLength = acceptDateLength
    }
}

/// The answer for one line: a record, or the reason there is none.
public enum LogParseResult: Hashable, Sendable {
    case record(LogRecord)
    case rejected(LogRejection)

    @inlinable public var record: LogRecord? {
        if case .record(let r) = self { return r }
        return nil
    }

    @inlinable public var rejection: LogRejection? {
        if case .rejected(let r) = self { return r }
        return nil
    }
}
