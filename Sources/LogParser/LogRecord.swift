/// One request as HAProxy logged it: the fields the autoscaler needs, by value.
///
/// Names are ``ByteRange``s into the scanned line, so a record is only
/// meaningful next to that line; copy the names out (or intern them) before
/// the line's buffer is reused.
///
/// Timers are in milliseconds, `-1` where HAProxy logged `-1` (the phase never
/// happened: an aborted request, a refused connection). In `tcp` mode only
/// ``Tw``, ``Tc`` and ``Ta`` (which holds `Tt`) are set; ``TR`` and ``Tr`` are `-1`.
public struct LogRecord: Hashable, Sendable {
    public var framing: LogFraming
    public var mode: LogMode
    /// Whether the line is in the CLF variant of the HTTP log.
    public var isCLF: Bool
    /// The frontend name, without the `~` that marks an SSL frontend.
    public var frontend: ByteRange
    public var isSSLFrontend: Bool
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

    @inlinable
    public init(
        framing: LogFraming, mode: LogMode, isCLF: Bool,
        frontend: ByteRange, isSSLFrontend: Bool, backend: ByteRange, server: ByteRange,
        TR: Int32, Tw: Int32, Tc: Int32, Tr: Int32, Ta: Int32,
        status: Int16, bytes: Int64, termination: ByteRange, isLogasap: Bool
    ) {
        self.init(
            framing: framing, mode: mode, isCLF: isCLF,
            frontend: frontend, isSSLFrontend: isSSLFrontend, backend: backend, server: server,
            timers: LogTimers(TR, Tw, Tc, Tr, Ta),
            status: status, bytes: bytes, termination: termination, isLogasap: isLogasap)
    }

    @inlinable
    public init(
        framing: LogFraming, mode: LogMode, isCLF: Bool,
        frontend: ByteRange, isSSLFrontend: Bool, backend: ByteRange, server: ByteRange,
        timers: LogTimers, status: Int16, bytes: Int64, termination: ByteRange, isLogasap: Bool
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
