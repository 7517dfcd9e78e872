/// The connection counters HAProxy logged when the request ended
/// (`%ac/%fc/%bc/%sc/%rc`): the load around the request, as HAProxy saw it.
///
/// `srvConn` and `beconn` tell the engine how busy a server and its backend
/// were without asking the runtime API. The scanner checks the field's shape
/// and no more (``LogRecord/connections(in:)`` finds it again), so lines
/// nobody asks about never pay for the conversion.
public struct ConnectionCounts: Hashable, Sendable {
    /// Connections the whole process held (`%ac`, actconn).
    public var actconn: Int32
    /// Connections on the frontend (`%fc`, feconn).
    public var feconn: Int32
    /// Connections on the backend, queued ones included (`%bc`, beconn).
    public var beconn: Int32
    /// Connections still active on the server (`%sc`, srv_conn).
    public var srvConn: Int32
    /// Connection retries (`%rc`). HAProxy writes it as `+1` when the request
    /// was redispatched to another server; the `+` is dropped here.
    public var retries: Int32

    @inlinable
    public init(actconn: Int32, feconn: Int32, beconn: Int32, srvConn: Int32, retries: Int32) {
        self.actconn = actconn
        self.feconn = feconn
        self.beconn = beconn
        self.srvConn = srvConn
        self.retries = retries
    }

    /// Five unsigned numbers, each at most `Int32.max`, the last one
    /// optionally `+`-prefixed; separated by one `/` (native) or by spaces
    /// (CLF). Anything else is `nil`: the scanner accepts a looser field
    /// (signs anywhere) since it never needs the values.
    @inlinable
    static func parse(_ b: UnsafeRawBufferPointer, separatedBySpaces: Bool) -> ConnectionCounts? {
        guard let p = b.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let n = b.count
        var i = 0
        @inline(__always) func number(last: Bool) -> Int32? {
            if last && i < n && p[i] == .plus { i &+= 1 }
            let start = i
            var value: Int64 = 0
            // Eleven digits would overflow `Int32` anyway; stopping at ten keeps `value` small.
            while i < n, p[i].isDigit, i &- start < 10 {
                value = value &* 10 &+ Int64(p[i] &- .digitZero)
                i &+= 1
            }
            guard i > start, value <= Int64(Int32.max) else { return nil }
            return Int32(truncatingIfNeeded: value)
        }
        @inline(__always) func separator() -> Bool {
            guard i < n else { return false }
            if separatedBySpaces {
                guard p[i] == .space else { return false }
                repeat { i &+= 1 } while i < n && p[i] == .space
                return true
            }
            guard p[i] == .slash else { return false }
            i &+= 1
            return true
        }
        guard let ac = number(last: false), separator(),
            let fc = number(last: false), separator(),
            let bc = number(last: false), separator(),
            let sc = number(last: false), separator(),
            let rc = number(last: true), i == n
        else { return nil }
        return ConnectionCounts(actconn: ac, feconn: fc, beconn: bc, srvConn: sc, retries: rc)
    }
}

extension LogRecord {
    /// The connection counters' bytes: `ac/fc/bc/sc/rc` on native lines, the
    /// span from `ac` to the end of `rc` (`ac fc bc sc rc`) in CLF; `nil` when
    /// they are not there (a record made by hand).
    ///
    /// Found when asked, not stored: in every format the counters are the
    /// field (CLF: the five fields) after the termination state, so the
    /// record needs no room for them, and the scanner's paths, which all meet
    /// where the record is written out, carry no more values across that join
    /// (see ``LogRecord``).
    ///
    /// `line` must be the buffer that was scanned.
    @inlinable
    public func connections(in line: UnsafeRawBufferPointer) -> ByteRange? {
        guard let p = line.baseAddress?.assumingMemoryBound(to: UInt8.self),
            termination.lowerBound >= 0, termination.lowerBound <= termination.upperBound,
            Int(termination.upperBound) <= line.count
        else { return nil }
        let n = line.count
        var i = Int(termination.upperBound)
        if isCLF && i < n && p[i] == .quote { i &+= 1 }  // `"----"`: CLF's fields may be quoted
        @inline(__always) func spaces() -> Bool {
            guard i < n, p[i] == .space else { return false }
            repeat { i &+= 1 } while i < n && p[i] == .space
            return true
        }
        @inline(__always) func token() -> Bool {
            let start = i
            while i < n && p[i] != .space { i &+= 1 }
            return i > start
        }
        guard spaces() else { return nil }
        let start = i
        guard token() else { return nil }
        if isCLF {
            for _ in 0..<4 {
                guard spaces(), token() else { return nil }
            }
        }
        return ByteRange(start, i)
    }

    /// The five connection counters; `nil` when the field is absent (a record
    /// made by hand) or is not five numbers.
    ///
    /// `line` must be the buffer that was scanned.
    @inlinable
    public func connectionCounts(in line: UnsafeRawBufferPointer) -> ConnectionCounts? {
        guard let range = connections(in: line) else { return nil }
        return ConnectionCounts.parse(range.bytes(in: line), separatedBySpaces: isCLF)
    }

    /// Connections on the backend when the request ended (`%bc`); see ``connectionCounts(in:)``.
    @inlinable
    public func beconn(in line: UnsafeRawBufferPointer) -> Int32? {
        connectionCounts(in: line)?.beconn
    }

    /// Connections on the server when the request ended (`%sc`); see ``connectionCounts(in:)``.
    @inlinable
    public func srvConn(in line: UnsafeRawBufferPointer) -> Int32? {
        connectionCounts(in: line)?.srvConn
    }
}
