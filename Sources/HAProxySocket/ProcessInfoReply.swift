/// What hascale reads from `show info`: which HAProxy process answers, and since
/// when. A new process (a reload or a restart) has reset every server's runtime
/// state from haproxy.cfg; the same process with changed state is a hand edit.
public struct ProcessInfoReply: Hashable, Sendable {
    public var pid: Int
    public var uptimeSeconds: Int
    public var version: String

    public init(pid: Int, uptimeSeconds: Int, version: String) {
        self.pid = pid
        self.uptimeSeconds = uptimeSeconds
        self.version = version
    }

    /// Parses `Name: value` lines; `Pid` and `Uptime_sec` are required (HAProxy has
    /// printed both since 1.4), the rest is ignored.
    public static func parse(_ answer: String, address: String) throws(RuntimeAPIError) -> ProcessInfoReply {
        var fields: [Substring: Substring] = [:]
        for line in answer.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon]] = line[line.index(after: colon)...].drop { $0 == " " }
        }
        func bad(_ d: String) -> RuntimeAPIError { .malformedReply(address: address, command: "show info", detail: d) }
        guard let pid = fields["Pid"].flatMap({ Int($0) }) else { throw bad("no numeric Pid line") }
        guard let uptime = fields["Uptime_sec"].flatMap({ Int($0) }) else { throw bad("no numeric Uptime_sec line") }
        return ProcessInfoReply(pid: pid, uptimeSeconds: uptime, version: fields["Version"].map(String.init) ?? "")
    }

    /// Whether `self`, read later, comes from another process than `earlier`:
    /// another pid, or an uptime that went back.
    public func isNewProcess(since earlier: ProcessInfoReply) -> Bool {
        pid != earlier.pid || uptimeSeconds < earlier.uptimeSeconds
    }
}
