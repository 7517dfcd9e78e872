/// An IP literal and a port as operators write them: `127.0.0.1:9101`,
/// `[::1]:9101`, or `:9101` for loopback. The log receiver's `udp://` and the
/// metrics endpoint's `"metrics"` share this one spelling, so a mistake reads
/// the same wherever it is made.
public struct IPEndpoint: Hashable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16

    public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// `scheme` and `port` only shape the examples in the refusals (`udp://`, 5140),
    /// so each names a spelling the caller accepts.
    public init(parsing text: String, scheme: String = "", examplePort: UInt16) throws(IPEndpointError) {
        let host: Substring, port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw IPEndpointError(problem: "an IPv6 address goes in brackets with the port after: \(scheme)[::1]:\(examplePort)")
            }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw IPEndpointError(problem: "needs a port: \(scheme)127.0.0.1:\(examplePort)") }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
            guard !host.contains(":") else {
                throw IPEndpointError(problem: "is not an IP address and port: an IPv6 address goes in brackets, \(scheme)[::1]:\(examplePort)")
            }
        }
        guard let p = UInt16(port), p > 0 else { throw IPEndpointError(problem: "\(String(port).debugDescription) is not a port (1-65535)") }
        self.port = p
        if host.isEmpty {
            address = .v4(0x7f00_0001)
            return
        }
        guard let a = IPAddress(String(host)) else {
            throw IPEndpointError(problem: "\(String(host).debugDescription) is not an IP address (a literal, no host names)")
        }
        address = a
    }

    /// `127.0.0.1:9101`, `[::1]:9101`: what ``init(parsing:scheme:examplePort:)`` reads back.
    public var description: String {
        if case .v6 = address { return "[\(address)]:\(port)" }
        return "\(address):\(port)"
    }
}

/// An endpoint spelling that is not an IP literal and a port; `problem` says what to write.
public struct IPEndpointError: Error, Sendable, Equatable {
    public var problem: String

    public init(problem: String) { self.problem = problem }
}
