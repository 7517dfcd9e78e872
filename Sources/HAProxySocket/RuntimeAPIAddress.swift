/// Where the runtime API listens, written as in HAProxy's `stats socket` line:
/// a Unix socket path (`/run/haproxy/admin.sock`, `unix@/run/haproxy/admin.sock`),
/// `ipv4@ADDR:PORT` or `ipv6@[ADDR]:PORT`. As HAProxy does, a bare `ADDR:PORT` or
/// `[ADDR]:PORT` with a numeric address is TCP, not a file name.
///
/// Addresses are numeric (hascale resolves no names) and ports are 1-65535, so
/// everything that can be refused before connecting is refused here.
public enum RuntimeAPIAddress: Hashable, Sendable, CustomStringConvertible {
    case unix(path: String)
    case tcp(host: String, port: UInt16, ipv6: Bool)

    /// The longest Unix socket path in bytes: Linux's `sun_path` holds 108 with the
    /// terminating NUL. (Plain Swift, no Glibc: the grammar could move to a target
    /// without the client.)
    static let maxUnixPathBytes = 107

    /// HAProxy's other address families, which hascale cannot connect through.
    static let otherFamilies = [
        "abns@", "abnsz@", "uxdg@", "uxst@", "ip@", "tcp@", "tcp4@", "tcp6@", "mptcp@", "mptcp4@", "mptcp6@",
        "udp@", "udp4@", "udp6@", "quic4@", "quic6@", "fd@", "sockpair@", "rhttp@",
    ]

    public init(parsing text: String) throws(RuntimeAPIError) {
        func bad(_ reason: String) -> RuntimeAPIError { .invalidAddress(text, reason: reason) }
        if text.hasPrefix("ipv4@") {
            self = try Self.ipv4(text.dropFirst(5), bad)
        } else if text.hasPrefix("ipv6@") {
            self = try Self.ipv6(text.dropFirst(5), bad)
        } else if let family = Self.otherFamilies.first(where: { text.hasPrefix($0) }) {
            throw bad("uses HAProxy's \(family) address family, which hascale does not connect through")
        } else if text.isEmpty {
            throw bad("is an empty socket path")
        } else if text.hasPrefix("unix@") {
            self = try Self.unix(text.dropFirst(5), bad)
        } else if text.first == "[" {
            self = try Self.ipv6(text[...], bad)
        } else if let colon = text.lastIndex(of: ":"), Self.isIPv4(text[..<colon]) {
            self = try Self.ipv4(text[...], bad)
        } else {
            self = try Self.unix(text[...], bad)
        }
    }

    private static func unix(_ path: Substring, _ bad: (String) -> RuntimeAPIError) throws(RuntimeAPIError) -> Self {
        guard !path.isEmpty else { throw bad("has an empty socket path after unix@") }
        guard path.utf8.count <= maxUnixPathBytes else {
            throw bad("is a socket path of \(path.utf8.count) bytes; a Unix socket path holds at most \(maxUnixPathBytes)")
        }
        return .unix(path: String(path))
    }

    /// `ADDR:PORT`, the part after `ipv4@`.
    private static func ipv4(_ rest: Substring, _ bad: (String) -> RuntimeAPIError) throws(RuntimeAPIError) -> Self {
        guard let colon = rest.lastIndex(of: ":") else { throw bad("is not ipv4@ADDR:PORT (no port)") }
        let host = rest[..<colon]
        guard !host.isEmpty else { throw bad("is not ipv4@ADDR:PORT (no address before the port)") }
        guard isIPv4(host) else {
            throw bad("has \(String(host).debugDescription), which is not a numeric IPv4 address (hascale resolves no names; write ipv4@127.0.0.1:PORT, or ipv6@[ADDR]:PORT for IPv6)")
        }
        let port = try port(rest[rest.index(after: colon)...], bad)
        return .tcp(host: String(host), port: port, ipv6: false)
    }

    /// `[ADDR]:PORT`, the part after `ipv6@`.
    private static func ipv6(_ rest: Substring, _ bad: (String) -> RuntimeAPIError) throws(RuntimeAPIError) -> Self {
        guard rest.hasPrefix("["), let close = rest.firstIndex(of: "]") else {
            throw bad("is not ipv6@[ADDR]:PORT (the address needs its brackets)")
        }
        let host = rest[rest.index(after: rest.startIndex)..<close]
        let tail = rest[rest.index(after: close)...]
        guard tail.hasPrefix(":") else { throw bad("is not ipv6@[ADDR]:PORT (no port after the brackets)") }
        guard !host.isEmpty else { throw bad("is not ipv6@[ADDR]:PORT (empty brackets)") }
        guard isIPv6(host) else { throw bad("has \(String(host).debugDescription), which is not a numeric IPv6 address") }
        let port = try port(tail.dropFirst(), bad)
        return .tcp(host: String(host), port: port, ipv6: true)
    }

    private static func port(_ text: Substring, _ bad: (String) -> RuntimeAPIError) throws(RuntimeAPIError) -> UInt16 {
        guard !text.isEmpty else { throw bad("has no port after the colon") }
        guard text.utf8.allSatisfy(isDigit), let n = Int(text), n <= 65535 else {
            throw bad("has the port \(String(text).debugDescription), which is not a number from 1 to 65535")
        }
        guard n > 0 else { throw bad("has the port 0: HAProxy listens on no port 0") }
        return UInt16(n)
    }

    /// A dotted quad as `inet_pton(AF_INET)` reads it: four decimal numbers 0-255,
    /// no leading zeros.
    static func isIPv4(_ host: Substring) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in
            (1...3).contains(p.utf8.count) && p.utf8.allSatisfy(isDigit)
                && (p.utf8.count == 1 || p.utf8.first != UInt8(ascii: "0")) && Int(p)! <= 255
        }
    }

    /// An IPv6 address as `inet_pton(AF_INET6)` reads it: eight groups of 1-4 hex
    /// digits, one `::` standing for one or more zero groups, and optionally a dotted
    /// quad for the last two groups. No zone (`%lo`).
    static func isIPv6(_ host: Substring) -> Bool {
        let compressed = host.firstRange(of: "::")
        let head = compressed.map { host[..<$0.lowerBound] } ?? host
        let tail = compressed.map { host[$0.upperBound...] } ?? host[host.endIndex...]
        func groups(_ part: Substring) -> [Substring]? {
            if part.isEmpty { return [] }
            let g = part.split(separator: ":", omittingEmptySubsequences: false)
            return g.contains(where: \.isEmpty) ? nil : g
        }
        guard let h = groups(head), let t = groups(tail) else { return false }
        var hex = h + t
        var count = hex.count
        if let last = (compressed == nil ? h : t).last, last.contains(".") {
            guard isIPv4(last) else { return false }
            hex.removeLast()
            count += 1
        }
        guard hex.allSatisfy({ (1...4).contains($0.utf8.count) && $0.utf8.allSatisfy(isHexDigit) }) else { return false }
        return compressed == nil ? count == 8 : count <= 7
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    private static func isHexDigit(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "f")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "F"))
    }

    public var description: String {
        switch self {
        case .unix(let path): path
        case .tcp(let host, let port, let v6): v6 ? "ipv6@[\(host)]:\(port)" : "ipv4@\(host):\(port)"
        }
    }
}
