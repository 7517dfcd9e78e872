/// What can go wrong talking to HAProxy's runtime API, each case saying what to do.
public enum RuntimeAPIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A runtime-API address (`stats socket` form) that cannot be used. Nothing was sent.
    case invalidAddress(String, reason: String)
    /// The socket could not be reached.
    case connectFailed(address: String, errno: Int32, message: String)
    /// No answer within the timeout.
    case timedOut(address: String, command: String, seconds: Double)
    /// HAProxy answered with an error.
    case refused(address: String, command: String, kind: Refusal, answer: String)
    /// An answer that does not have the shape the command's reply has.
    case malformedReply(address: String, command: String, detail: String)

    /// HAProxy's error answers, by kind.
    public enum Refusal: String, Equatable, Sendable {
        case noSuchServer = "no such server"
        case noSuchBackend = "no such backend"
        case requireBackendServer = "backend/server required"
        case permissionDenied = "permission denied"
        case unknownCommand = "unknown command"
        case expertModeRequired = "expert mode required"
        case emptyAnswer = "empty answer"
        case other = "error"
    }

    public var description: String {
        switch self {
        case .invalidAddress(let text, let reason):
            return "invalid runtime-API address \(text.debugDescription): it \(reason); write a socket path, ipv4@HOST:PORT or ipv6@[ADDR]:PORT as in HAProxy's `stats socket` line"
        case .connectFailed(let address, _, let message):
            return "cannot reach HAProxy's runtime API at \(address): \(message). Check that HAProxy runs and its "
                + "global section has `stats socket \(address) mode 660 level admin`, and that this user may open it "
                + "(member of the socket's group, usually `haproxy`)."
        case .timedOut(let address, let command, let seconds):
            return "HAProxy at \(address) did not answer `\(command)` within \(seconds) s"
        case .refused(let address, let command, let kind, let answer):
            var hint = ""
            switch kind {
            case .permissionDenied: hint = " (the socket needs `level admin`)"
            case .noSuchServer, .noSuchBackend: hint = " (check the inventory against HAProxy's configuration)"
            case .expertModeRequired: hint = " (this command needs `expert-mode on`)"
            default: break
            }
            let text = answer.trimmingWhitespace()
            return "HAProxy at \(address) refused `\(command)`: \(kind.rawValue)\(hint)\(text.isEmpty ? "" : ": \(text.prefix(200))")"
        case .malformedReply(let address, let command, let detail):
            return "unexpected answer from HAProxy at \(address) to `\(command)`: \(detail)"
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
