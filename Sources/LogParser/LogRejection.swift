/// Why a line is not an HAProxy request log line.
///
/// A log file carries much that is not a request: other programs' syslog
/// lines, HAProxy's own notices, torn writes. Each reason is counted and
/// reported so an operator can tell "my log format is wrong" (every line
/// rejected for the same reason) from ordinary noise.
public enum LogRejection: UInt8, Error, Sendable, CaseIterable, CustomStringConvertible {
    /// Nothing but white space.
    case empty
    /// Longer than ``LogLineScanner/maximumLineLength``; never truncated into a wrong result.
    case tooLong
    /// A syslog header that does not parse (bad `<PRI>`, timestamp or tag).
    case malformedSyslogHeader
    /// The message does not start like a request log (`client:port [date]`):
    /// another program's line, or HAProxy's own startup and health messages.
    case notARequestLog
    /// A request log whose fields end early.
    case truncated
    /// A field holds something other than what its position requires.
    case malformedField
    /// A number too large for its field.
    case numberOverflow

    public var description: String {
        switch self {
        case .empty: "empty"
        case .tooLong: "too_long"
        case .malformedSyslogHeader: "malformed_syslog_header"
        case .notARequestLog: "not_a_request_log"
        case .truncated: "truncated"
        case .malformedField: "malformed_field"
        case .numberOverflow: "number_overflow"
        }
    }
}
