import LogParser

/// What a ``LogReader`` hands the loop: lines, and what an operator should know
/// about the stream they come from.
public enum LogStreamEvent {
    /// One line (or datagram, or journal entry), valid only during the callback,
    /// and who sent it: an index into the sender list the reader was opened with
    /// (``DatagramLogReceiver``'s `senders`), or ``unknownSender``.
    case line(UnsafeRawBufferPointer, sender: Int)
    /// A line longer than the scanner's limit was skipped.
    case overlong
    /// Something an operator should know: waiting, rotation, truncation, reconnection.
    case notice(String)
    /// Lines that never reached hascale, counted where the source can tell.
    case lost(count: UInt64, LogLoss)
    /// The source will give nothing more (standard input closed).
    case ended
}

extension LogStreamEvent {
    /// A line whose sender the source cannot tell (a file, standard input, the journal,
    /// or a datagram from an address not in the sender list).
    public static let unknownSender = -1

    /// What a ``LineAssembler`` hands out, as the loop hears it: every line-based reader's one conversion.
    public init(_ e: LineAssembler.Event) {
        switch e {
        case .line(let l): self = .line(l, sender: Self.unknownSender)
        case .overlong: self = .overlong
        }
    }
}

/// Why log lines were lost before hascale read them: each cause has its own fix.
public enum LogLoss: Sendable, Equatable {
    /// The kernel dropped datagrams: the receive buffer was full (`SO_MEMINFO` after each drain, or `SO_RXQ_OVFL`).
    case receiveBufferFull(bufferBytes: Int)
    /// hascale's own queue between the receiver thread and the loop was full.
    case queueFull
    /// journald suppressed HAProxy's messages (`RateLimitBurst`).
    case journalRateLimited(unit: String)
    /// A datagram from a host not in `"log_sources_allowed"` (not a loss of HAProxy's lines: refused).
    case senderNotAllowed(String)
}

extension LogLoss {
    /// The warning an operator reads, with the fix for this cause.
    public func warning(count: UInt64, source: String) -> String {
        switch self {
        case .receiveBufferFull(let bytes):
            return "the kernel dropped \(count) log datagrams on \(source): its receive buffer (\(bytes) bytes) was full. Raise net.core.rmem_max and --receive-buffer (or \"log_receive_buffer_bytes\"); decisions until then saw fewer requests than HAProxy served"
        case .queueFull:
            return "\(count) log lines from \(source) were dropped: hascale fell more than \(DatagramLogReceiver.maximumQueuedBytes >> 20) MiB behind (is the machine overloaded?)"
        case .journalRateLimited(let unit):
            return "journald suppressed \(count) messages from \(unit): HAProxy's request lines are being lost. \(fix)"
        case .senderNotAllowed(let sender):
            return "refused \(count) log datagrams on \(source) from senders not in \"log_sources_allowed\" (the last from \(sender))"
        }
    }

    /// What to do about it.
    public var fix: String {
        switch self {
        case .receiveBufferFull: "Raise net.core.rmem_max and --receive-buffer (or \"log_receive_buffer_bytes\")"
        case .queueFull: "Give hascale more CPU, or lower HAProxy's log volume"
        case .journalRateLimited(let unit):
            "Raise RateLimitBurst= (journald.conf, or LogRateLimitBurst= in a drop-in for \(unit)), or give HAProxy a second log line to hascale's receiver: `log 127.0.0.1:5140 len 8192 local0` and \"log\": \"udp://127.0.0.1:5140\""
        case .senderNotAllowed: "Add the sender to \"log_sources_allowed\" if it is one of your HAProxy hosts"
        }
    }

    /// One key per cause, for counting and for rate-limiting the warning.
    public var kind: String {
        switch self {
        case .receiveBufferFull: "kernel"
        case .queueFull: "queue"
        case .journalRateLimited: "journal"
        case .senderNotAllowed: "refused"
        }
    }
}

/// The log source ended (standard input closed): a daemon with no log cannot
/// scale, so it stops, and a non-zero exit lets systemd restart it.
public struct LogEndedError: Error, CustomStringConvertible {
    public var source: String
    public var description: String { "the log on \(source) ended; restart hascale once its source is back" }
}
