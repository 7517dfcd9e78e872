/// The fields hascale reads from one `show stat` CSV row.
public struct StatRow: Hashable, Sendable {
    public var proxy: String
    public var service: String
    /// Current sessions (`scur`): what a drain waits to reach 0.
    public var currentSessions: Int
    /// Queued requests (`qcur`).
    public var queued: Int
    /// `UP`, `DOWN`, `MAINT`, `DRAIN`, `no check`, `MAINT (via backend/server)` ...
    public var status: String
    public var weight: Int
    /// `act`: a server that is active, not `backup` (HAProxy prints 1, or `Y`); a backend
    /// with at least one active server up (it prints their count). A frontend has none.
    public var active: Bool
    /// `check_status` (`L4OK`, `L7OK`, `L4CON` ...), empty without checks.
    public var checkStatus: String

    public init(proxy: String, service: String, currentSessions: Int, queued: Int, status: String, weight: Int, active: Bool, checkStatus: String) {
        self.proxy = proxy
        self.service = service
        self.currentSessions = currentSessions
        self.queued = queued
        self.status = status
        self.weight = weight
        self.active = active
        self.checkStatus = checkStatus
    }

    public var isServer: Bool { service != "FRONTEND" && service != "BACKEND" }

    /// Parses the CSV answer, finding columns by the header's names, so versions
    /// that add columns still parse. A number column that is empty (a frontend has no
    /// queue and no weight) reads as 0. `address` is where the answer came from; it
    /// goes into the error of an answer that does not have this shape.
    public static func parse(_ answer: String, address: String) throws(RuntimeAPIError) -> [StatRow] {
        var lines = answer.split(separator: "\n", omittingEmptySubsequences: true)[...]
        func bad(_ d: String) -> RuntimeAPIError { .malformedReply(address: address, command: "show stat", detail: d) }
        guard let header = lines.popFirst(), header.hasPrefix("# ") else { throw bad("missing the # header line") }
        let names = header.dropFirst(2).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        func col(_ n: String) throws(RuntimeAPIError) -> Int {
            guard let i = names.firstIndex(of: n) else { throw bad("no column \(n) in the header") }
            return i
        }
        let px = try col("pxname"), sv = try col("svname"), scur = try col("scur"), qcur = try col("qcur")
        let status = try col("status"), weight = try col("weight"), act = try col("act")
        let check = names.firstIndex(of: "check_status")
        var rows: [StatRow] = []
        for line in lines where !line.hasPrefix("#") {
            let f = fields(line)
            guard f.count > max(px, sv, scur, qcur, status, weight, act) else {
                throw bad("short row (\(f.count) of \(names.count) columns): \(line.prefix(200))")
            }
            func number(_ i: Int, _ name: String) throws(RuntimeAPIError) -> Int {
                if f[i].isEmpty { return 0 }
                guard let n = Int(f[i]) else { throw bad("non-numeric \(name) \(f[i].debugDescription) in row: \(line.prefix(200))") }
                return n
            }
            rows.append(StatRow(
                proxy: f[px], service: f[sv], currentSessions: try number(scur, "scur"), queued: try number(qcur, "qcur"),
                status: f[status], weight: try number(weight, "weight"), active: Int(f[act]).map { $0 > 0 } ?? (f[act] == "Y"),
                checkStatus: check.map { $0 < f.count ? f[$0] : "" } ?? ""))
        }
        return rows
    }

    /// Splits one CSV row. HAProxy quotes a text field that holds a comma or a quote
    /// (`"Busy, ""really"", try later"` for an HTTP check's reason), doubling the quotes
    /// inside, so a plain split on commas would shift every later column.
    static func fields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            line.formIndex(after: &i)
            if quoted {
                if c != "\"" {
                    field.append(c)
                } else if i < line.endIndex, line[i] == "\"" {
                    field.append("\"")
                    line.formIndex(after: &i)
                } else {
                    quoted = false
                }
            } else if c == "\"", field.isEmpty {
                quoted = true
            } else if c == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(c)
            }
        }
        fields.append(field)
        return fields
    }
}
