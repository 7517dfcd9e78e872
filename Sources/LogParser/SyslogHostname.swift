extension LogRecord {
    /// The HOSTNAME field of the syslog header around the request, nil where the
    /// header has none.
    ///
    /// Several HAProxy nodes logging to one controller through a relay (rsyslog
    /// forwarding, one file for all) arrive from one address; the host each line
    /// names is then what tells the nodes apart. HAProxy writes it into its RFC 3164
    /// header only with `log-send-hostname`, and RFC 5424 writes `-` without it;
    /// rsyslog's files always carry one. Read again from the line when asked, since
    /// only a multi-node controller asks, and only for lines whose sender address
    /// did not already say.
    public func syslogHostname(in line: UnsafeRawBufferPointer) -> ByteRange? {
        var i = 0
        let n = line.count
        func token() -> Range<Int>? {
            while i < n, line[i] == .space { i &+= 1 }
            let start = i
            while i < n, line[i] != .space { i &+= 1 }
            return i > start ? start..<i : nil
        }
        func skipPriority() -> Bool {
            guard i < n, line[i] == .lessThan else { return false }
            while i < n, line[i] != UInt8(ascii: ">") { i &+= 1 }
            i &+= 1
            return i < n
        }
        /// `Mmm dd hh:mm:ss`, the day space-padded: three tokens.
        func skipBSDTimestamp() -> Bool { token() != nil && token() != nil && token() != nil }
        /// In the BSD forms the host is optional: the token after the timestamp is the
        /// tag when it ends with `:` (`haproxy[123]:`), else the host.
        func hostBeforeTag() -> ByteRange? {
            guard let host = token() else { return nil }
            guard line[host.upperBound &- 1] != UInt8(ascii: ":") else { return nil }
            return ByteRange(host.lowerBound, host.upperBound)
        }
        switch framing {
        case .raw:
            return nil
        case .rfc5424:
            guard skipPriority(), token() != nil /* version */, token() != nil /* timestamp */,
                  let host = token(), !(host.count == 1 && line[host.lowerBound] == .minus)
            else { return nil }
            return ByteRange(host.lowerBound, host.upperBound)
        case .rfc3164:
            guard skipPriority(), skipBSDTimestamp() else { return nil }
            return hostBeforeTag()
        case .bsdFile:
            guard skipBSDTimestamp() else { return nil }
            return hostBeforeTag()
        case .isoFile:
            guard token() != nil else { return nil }
            return hostBeforeTag()
        }
    }
}
