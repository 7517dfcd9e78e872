/// Where HAProxy's request log is read from: `--log SOURCE` and the inventory's `"log"`.
///
/// One spelling for every command (`run`, `follow`, `doctor`), parsed here so a
/// wrong one is refused with the inventory's file and line before anything opens.
public enum LogSource: Hashable, Sendable, CustomStringConvertible {
    /// A file, followed like `tail -F`.
    case file(String)
    /// The systemd journal, entries of `unit` (or `SYSLOG_IDENTIFIER=haproxy` outside a unit).
    case journal(unit: String)
    /// A syslog receiver on a UDP port: HAProxy's `log 127.0.0.1:PORT local0`.
    case udp(IPAddress, port: UInt16)
    /// A syslog receiver on a Unix datagram socket: HAProxy's `log /path local0`.
    case unixDatagram(String)
    /// `-`: standard input (`log stdout` in a container, piped in).
    case standardInput

    /// The unit `journal` alone means: Debian's packaged HAProxy.
    public static let defaultJournalUnit = "haproxy.service"
    /// Where Debian's rsyslog rule (`/etc/rsyslog.d/49-haproxy.conf`) writes.
    public static let defaultFile = "/var/log/haproxy.log"

    public init(parsing text: String) throws(LogSourceError) {
        guard !text.isEmpty else { throw LogSourceError(text: text, problem: "is empty: give a path, journal[:UNIT], udp://ADDR:PORT, unix:PATH or -") }
        if text == "-" {
            self = .standardInput
        } else if text == "journal" {
            self = .journal(unit: Self.defaultJournalUnit)
        } else if text.hasPrefix("journal:") {
            let unit = String(text.dropFirst("journal:".count))
            guard Self.isUnitName(unit) else {
                throw LogSourceError(text: text, problem: "\(unit.debugDescription) is not a systemd unit name (like haproxy.service)")
            }
            self = .journal(unit: unit.contains(".") ? unit : unit + ".service")
        } else if text.hasPrefix("udp://") {
            self = try Self.udp(text, String(text.dropFirst("udp://".count)))
        } else if text.hasPrefix("unix:") {
            let path = String(text.dropFirst("unix:".count))
            guard path.hasPrefix("/") else { throw LogSourceError(text: text, problem: "needs an absolute socket path, like unix:/run/hascale/haproxy.sock") }
            guard path.utf8.count < 108 else { throw LogSourceError(text: text, problem: "the socket path is longer than the 107 bytes a Unix socket address holds") }
            self = .unixDatagram(path)
        } else if let scheme = text.firstRange(of: "://") {
            throw LogSourceError(text: text, problem: "\(text[..<scheme.lowerBound].debugDescription) is not a log source scheme: use udp://ADDR:PORT, unix:PATH, journal[:UNIT], - or a file path")
        } else {
            self = .file(text)
        }
    }

    /// `udp://127.0.0.1:5140`, `udp://[::1]:5140`, `udp://:5140` (loopback).
    static func udp(_ text: String, _ rest: String) throws(LogSourceError) -> LogSource {
        do {
            let endpoint = try IPEndpoint(parsing: rest, scheme: "udp://", examplePort: 5140)
            return .udp(endpoint.address, port: endpoint.port)
        } catch {
            throw LogSourceError(text: text, problem: error.problem)
        }
    }

    static func isUnitName(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 255 && s.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b == 0x2d || b == 0x5f || b == 0x2e || b == 0x40 || b == 0x3a || b == 0x5c
        }
    }

    /// What `"log"` means when it is not set, and why, for the start-up log line:
    /// the file when Debian's rsyslog rule writes it, else the journal, where a
    /// stock Debian 12 HAProxy (`log /dev/log local0`, no rsyslog) logs.
    public static func detected(fileExists: (String) -> Bool) -> (source: LogSource, why: String) {
        if fileExists(defaultFile) {
            return (.file(defaultFile), "\(defaultFile) exists (rsyslog writes HAProxy's log there)")
        }
        return (.journal(unit: defaultJournalUnit), "\(defaultFile) does not exist, so HAProxy logs to journald only (Debian 12 without rsyslog)")
    }

    /// A receiver bound to a non-loopback address hears the network: it needs
    /// `"log_sources_allowed"`.
    public var listensBeyondLoopback: Bool {
        if case .udp(let a, _) = self { return !a.isLoopback }
        return false
    }

    public var description: String {
        switch self {
        case .file(let p): return p
        case .journal(let u): return "journal:\(u)"
        case .udp(let a, let p): return "udp://\(IPEndpoint(address: a, port: p))"
        case .unixDatagram(let p): return "unix:\(p)"
        case .standardInput: return "-"
        }
    }
}

/// A `--log` or `"log"` that names no source hascale can read.
public struct LogSourceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var problem: String
    public var description: String { "\(text.debugDescription) \(problem)" }
}
