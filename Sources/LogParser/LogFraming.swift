/// How the HAProxy message was wrapped when it reached the file.
///
/// Operators meet all of these in the wild, often in the same file after a
/// logging change, so the scanner recognises each one rather than asking for
/// a flag.
public enum LogFraming: UInt8, Sendable, CaseIterable {
    /// `log stdout format raw`: the payload alone.
    case raw
    /// RFC 3164 as HAProxy sends it: `<134>Nov 22 21:10:58 [host] haproxy[6037]: `.
    case rfc3164
    /// RFC 3164 as rsyslog writes it to a file: no `<PRI>`, the day padded with a space.
    case bsdFile
    /// rsyslog's `RSYSLOG_FileFormat`: an RFC 3339 timestamp, host, tag.
    case isoFile
    /// RFC 5424: `<134>1 TIMESTAMP HOST APP PROCID MSGID SD MSG`.
    case rfc5424
}

/// Which HAProxy log format the payload is in.
public enum LogMode: UInt8, Sendable {
    /// `option httplog` (including the 1.4 `Tq/Tw/Tc/Tr/Tt` order) or `option httplog clf`.
    case http
    /// `option tcplog`.
    case tcp
}
