import LogParser

/// Renders records as one JSON object per line, appending to a reused byte
/// buffer, with exactly the keys `hascale parse --json` documents.
///
/// Written by hand because the key set is fixed and the hot loop must not
/// allocate; names are escaped (HAProxy allows only a safe charset, but a log
/// file can hold anything).
public struct JSONRecordEncoder {
    public private(set) var buffer: [UInt8] = []
    /// The zone HAProxy's local time was in, in seconds east of UTC, for
    /// `accept_ms` of native lines, whose date carries no zone (CLF dates
    /// carry theirs). 0 reads them as UTC.
    public var utcOffsetSeconds: Int

    public init(capacity: Int = 1 << 16, utcOffsetSeconds: Int = 0) {
        self.utcOffsetSeconds = utcOffsetSeconds
        buffer.reserveCapacity(capacity)
    }

    public mutating func removeAll() { buffer.removeAll(keepingCapacity: true) }

    @inline(__always)
    mutating func ascii(_ s: StaticString) {
        s.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func number<I: BinaryInteger>(_ v: I) {
        if v < 0 {
            buffer.append(UInt8(ascii: "-"))
            unsignedNumber(UInt64(-Int64(v)))
        } else {
            unsignedNumber(UInt64(v))
        }
    }

    /// A number, or `null` for a field the line holds but not as a valid value
    /// (a date that is no date): the key stays, so every object has the same keys.
    @inline(__always)
    mutating func optionalNumber<I: BinaryInteger>(_ v: I?) {
        if let v { number(v) } else { ascii("null") }
    }

    @inline(__always)
    mutating func unsignedNumber(_ v: UInt64) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        var x = v
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = UInt8(ascii: "0") + UInt8(x % 10)
                x /= 10
                n += 1
            } while x > 0
            while n > 0 {
                n -= 1
                buffer.append(d[n])
            }
        }
    }

    @inline(__always)
    mutating func string(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(UInt8(ascii: "\""))
        for b in bytes {
            switch b {
            case UInt8(ascii: "\""): ascii("\\\"")
            case UInt8(ascii: "\\"): ascii("\\\\")
            case 0..<0x20, 0x7F...:
                // Control bytes and anything outside ASCII: \u00XX keeps the output valid UTF-8 JSON.
                ascii("\\u00")
                let hex: StaticString = "0123456789abcdef"
                hex.withUTF8Buffer { h in
                    buffer.append(h[Int(b >> 4)])
                    buffer.append(h[Int(b & 0xF)])
                }
            default: buffer.append(b)
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// Appends `record` (scanned from `line`) and a newline.
    public mutating func append(_ r: LogRecord, line: UnsafeRawBufferPointer) {
        if r.mode == .http {
            ascii("{\"mode\":\"http\",\"frontend\":")
        } else {
            ascii("{\"mode\":\"tcp\",\"frontend\":")
        }
        string(r.frontend.bytes(in: line))
        ascii(",\"backend\":")
        string(r.backend.bytes(in: line))
        ascii(",\"server\":")
        string(r.server.bytes(in: line))
        if r.mode == .http {
            ascii(",\"TR\":"); number(r.TR)
            ascii(",\"Tw\":"); number(r.Tw)
            ascii(",\"Tc\":"); number(r.Tc)
            ascii(",\"Tr\":"); number(r.Tr)
            ascii(",\"Ta\":"); number(r.Ta)
            ascii(",\"status\":"); number(r.status)
        } else {
            ascii(",\"Tw\":"); number(r.Tw)
            ascii(",\"Tc\":"); number(r.Tc)
            ascii(",\"Tt\":"); number(r.Ta)
        }
        ascii(",\"bytes\":"); number(r.bytes)
        ascii(",\"termination\":")
        string(r.termination.bytes(in: line))
        ascii(",\"accept_ms\":")
        optionalNumber(r.acceptMilliseconds(in: line, utcOffsetSeconds: utcOffsetSeconds))
        let counts = r.connectionCounts(in: line)
        ascii(",\"beconn\":"); optionalNumber(counts?.beconn)
        ascii(",\"srv_conn\":"); optionalNumber(counts?.srvConn)
        ascii("}\n")
    }
}
