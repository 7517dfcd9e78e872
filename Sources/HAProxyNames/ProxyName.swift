/// A backend or server name that is safe to put into a runtime-API command.
///
/// HAProxy accepts only letters, digits, `-`, `_`, `.` and `:` in proxy and
/// server names. Anything else — a `;` (command separator), a space, a
/// newline — could make one command into two, so it is refused here, before
/// any byte reaches the socket.
public struct ProxyName: Hashable, Sendable, CustomStringConvertible, Comparable {
    public let value: String

    public init(_ value: String) throws(InvalidProxyName) {
        guard !value.isEmpty else { throw InvalidProxyName(value, reason: "is empty") }
        guard value.utf8.count <= 255 else { throw InvalidProxyName(value, reason: "is longer than 255 bytes") }
        for scalar in value.unicodeScalars {
            let ok = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
                || (scalar >= "0" && scalar <= "9") || scalar == "-" || scalar == "_" || scalar == "." || scalar == ":"
            guard ok else {
                throw InvalidProxyName(value, reason: "holds \(scalar.escaped(asASCII: true).debugDescription); HAProxy names allow only letters, digits, '-', '_', '.' and ':'")
            }
        }
        self.value = value
    }

    public var description: String { value }
    public static func < (a: ProxyName, b: ProxyName) -> Bool { a.value < b.value }
}

/// `backend/server`, both names validated.
public struct ServerRef: Hashable, Sendable, CustomStringConvertible {
    public let backend: ProxyName
    public let server: ProxyName

    public init(backend: ProxyName, server: ProxyName) {
        self.backend = backend
        self.server = server
    }

    public init(backend: String, server: String) throws(InvalidProxyName) {
        self.backend = try ProxyName(backend)
        self.server = try ProxyName(server)
    }

    /// Parses `backend/server` as operators type it.
    public init(parsing text: String) throws(InvalidProxyName) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw InvalidProxyName(text, reason: "is not of the form BACKEND/SERVER") }
        try self.init(backend: String(parts[0]), server: String(parts[1]))
    }

    public var description: String { "\(backend)/\(server)" }
}
