/// One row of `show servers state`: what HAProxy really has for a server.
public struct ServerStateRow: Hashable, Sendable {
    /// `srv_op_state`: what health checks and traffic say.
    public enum Operational: Int, Sendable {
        case stopped = 0, starting = 1, running = 2, stopping = 3
    }

    public var backend: String
    public var server: String
    public var address: String
    public var operational: Operational
    /// `srv_admin_state` bits (HAProxy's `SRV_ADMF_*`): 0x01 forced maintenance
    /// (`state maint`), 0x02 maintenance inherited from a tracked server, 0x04 from the
    /// configuration (`disabled`), 0x08 forced drain, 0x10 drain inherited from a tracked
    /// server, 0x20 down for a failed DNS resolution, 0x40 the FQDN was changed at run time
    /// (a marker, not a state). A server DOWN by its health check keeps 0 here: that is
    /// ``operational``'s business.
    public var adminBits: Int
    /// The user-set weight (`srv_uweight`).
    public var weight: Int
    public var initialWeight: Int
    /// `srv_port`: the port traffic goes to; 0 for a server configured without one
    /// (HAProxy then connects to the port the client reached the frontend on). Nil
    /// when the answer has no such column, or no number in it.
    public var port: Int?

    public init(backend: String, server: String, address: String, operational: Operational, adminBits: Int, weight: Int, initialWeight: Int, port: Int? = nil) {
        self.backend = backend
        self.server = server
        self.address = address
        self.operational = operational
        self.adminBits = adminBits
        self.weight = weight
        self.initialWeight = initialWeight
        self.port = port
    }

    /// HAProxy 2.6 sets 0x01 together with 0x04 for a server `disabled` in the
    /// configuration, and leaves 0x04 alone set after `state ready` while the server
    /// runs, so 0x04 by itself does not mean maintenance (HAProxy's own `SRV_ADMF_MAINT`
    /// mask, 0x23, leaves it out too).
    public var inMaintenance: Bool { adminBits & (0x01 | 0x02 | 0x20) != 0 }
    public var draining: Bool { adminBits & (0x08 | 0x10) != 0 }
    /// Admitted to new traffic by its admin state and weight: not in maintenance, not
    /// draining, weight above 0. A server DOWN by its health check (``operational``
    /// `.stopped` with no admin bit) still counts: HAProxy sends it traffic again as
    /// soon as a check passes, without anyone touching it.
    public var inService: Bool { !inMaintenance && !draining && weight > 0 }

    public var adminDescription: String {
        inMaintenance ? "maint" : draining ? "drain" : "ready"
    }

    /// Parses the whole answer: a version line (`1`), a `#` header naming the
    /// columns, then rows (none for a backend without servers). Columns are found by
    /// name, so versions that add columns still parse. `address` is where the answer
    /// came from; it goes into the error of an answer that does not have this shape.
    public static func parse(_ answer: String, address: String) throws(RuntimeAPIError) -> [ServerStateRow] {
        var lines = answer.split(separator: "\n", omittingEmptySubsequences: true)[...]
        func bad(_ d: String) -> RuntimeAPIError { .malformedReply(address: address, command: "show servers state", detail: d) }
        guard let version = lines.popFirst() else { throw bad("empty answer: expected format version 1 on the first line") }
        guard String(version).trimmingWhitespace() == "1" else {
            throw bad("expected format version 1 on the first line, got: \(version.prefix(80))")
        }
        guard let header = lines.popFirst(), header.hasPrefix("#") else { throw bad("missing the # header line") }
        let names = header.dropFirst().split(separator: " ").map(String.init)
        func col(_ n: String) throws(RuntimeAPIError) -> Int {
            guard let i = names.firstIndex(of: n) else { throw bad("no column \(n) in the header") }
            return i
        }
        let be = try col("be_name"), sv = try col("srv_name"), addr = try col("srv_addr")
        let op = try col("srv_op_state"), admin = try col("srv_admin_state")
        let uw = try col("srv_uweight"), iw = try col("srv_iweight")
        let portColumn = names.firstIndex(of: "srv_port")
        var rows: [ServerStateRow] = []
        for line in lines where !line.hasPrefix("#") {
            let f = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard f.count >= names.count - 1, f.count > max(be, sv, addr, op, admin, uw, iw) else {
                throw bad("short row (\(f.count) of \(names.count) columns): \(line)")
            }
            guard let o = Int(f[op]), let a = Int(f[admin]), let w = Int(f[uw]), let i = Int(f[iw]) else {
                throw bad("non-numeric state in row: \(line)")
            }
            guard let operational = Operational(rawValue: o) else {
                throw bad("srv_op_state \(o) is none of 0-3 in row: \(line)")
            }
            // Read leniently: the daemon's resync parses this answer too, and a port it
            // does not use must never make it fail.
            let port = portColumn.flatMap { $0 < f.count ? Int(f[$0]) : nil }.flatMap { (0...65535).contains($0) ? $0 : nil }
            rows.append(ServerStateRow(backend: f[be], server: f[sv], address: f[addr], operational: operational, adminBits: a, weight: w, initialWeight: i, port: port))
        }
        return rows
    }
}
