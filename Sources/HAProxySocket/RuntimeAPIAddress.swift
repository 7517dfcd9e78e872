/// Where the runtime API listens, written as in HAProxy's `stats socket` line:
/// a Unix socket path, `ipv4@host:port` or `ipv6@[addr]:port`.
public enum RuntimeAPIAddress: Hashable, Sendable, CustomStringConvertible {
    case unix(path: String)
    case tcp(host: String, port: UInt16, ipv6: Bool)

    public init(parsing text: String) throws(RuntimeAPIError) {
        if text.hasPrefix("ipv4@") {
            let rest = text.dropFirst(5)
            guard let colon = rest.lastIndex(of: ":"), let port = UInt16(rest[rest.index(after: colon)...]) else {
                throw .invalidName(text, reason: "is not ipv4@HOST:PORT")
            }
            self = .tcp(host: String(rest[..<colon]), port: port, ipv6: false)
        } else if text.hasPrefix("ipv6@") {
            let rest = text.dropFirst(5)
            guard rest.hasPrefix("["), let close = rest.firstIndex(of: "]"),
                rest[rest.index(after: close)...].hasPrefix(":"),
                let port = UInt16(rest[rest.index(close, offsetBy: 2)...])
            else { throw .invalidName(text, reason: "is not ipv6@[ADDR]:PORT") }
            self = .tcp(host: String(rest[rest.index(after: rest.startIndex)..<close]), port: port, ipv6: true)
        } else {
            guard !text.isEmpty else { throw .invalidName(text, reason: "is an empty socket path") }
            self = .unix(path: text.hasPrefix("unix@") ? String(text.dropFirst(5)) : text)
        }
    }

    public var description: String {
        switch self {
        case .unix(let path): path
        case .tcp(let host, let port, let v6): v6 ? "ipv6@[\(host)]:\(port)" : "ipv4@\(host):\(port)"
        }
    }
}
