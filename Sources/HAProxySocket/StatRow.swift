/// The fields hascale reads from one `show stat` CSV row.
public struct StatRow: Hashable, Sendable {
    public var proxy: String
    public var service: String
    /// Current sessions (`scur`): what a drain waits to reach 0.
    public var currentSessions: Int
    /// Queued requests (`qcur`).
    public var queued: Int
    /// `UP`, `DOWN`, `MAINT`, `DRAIN`, `no check` ...
    public var status: String
    public var weight: Int
    public var active: Bool
    /// `check_status` (`L4OK`, `L7OK`, `L4CON` ...), empty without checks.
    public var checkStatus: String

    public var isServer: Bool { service != "FRONTEND" && service != "BACKEND" }

    /// Parses the CSV answer, finding columns by the header's names.
    public static func parse(_ answer: String) throws(RuntimeAPIError) -> [StatRow] {
        var lines = answer.split(separator: "\n", omittingEmptySubsequences: true)[...]
        func bad(_ d: String) -> RuntimeAPIError { .malformedReply(address: "", command: "show stat", detail: d) }
        guard let header = lines.popFirst(), header.hasPrefix("# ") else { throw bad("missing the # header line") }
        let names = header.dropFirst(2).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        func col(_ n: String) throws(RuntimeAPIError) -> Int {
            guard let i = names.firstIndex(of: n) else { throw bad("no column \(n)") }
            return i
        }
        let px = try col("pxname"), sv = try col("svname"), scur = try col("scur"), qcur = try col("qcur")
        let status = try col("status"), weight = try col("weight"), act = try col("act")
        let check = names.firstIndex(of: "check_status")
        var rows: [StatRow] = []
        for line in lines {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count > max(px, sv, scur, qcur, status, weight, act) else { throw bad("short row: \(line)") }
            rows.append(StatRow(
                proxy: f[px], service: f[sv], currentSessions: Int(f[scur]) ?? 0, queued: Int(f[qcur]) ?? 0,
                status: f[status], weight: Int(f[weight]) ?? 0, active: f[act] == "1" || f[act] == "Y",
                checkStatus: check.map { $0 < f.count ? f[$0] : "" } ?? ""))
        }
        return rows
    }
}
