/// One row of `show servers conn` (HAProxy 2.0+): a server's connections to
/// its backend — those carrying requests now and those kept idle for reuse.
public struct ServerConnRow: Hashable, Sendable {
    public var backend: String
    public var server: String
    /// Connections in use now (`used_cur`).
    public var usedCurrent: Int
    public var usedMax: Int
    /// Idle connections kept for reuse (`idle_cur`).
    public var idleCurrent: Int

    public init(backend: String, server: String, usedCurrent: Int, usedMax: Int, idleCurrent: Int) {
        self.backend = backend
        self.server = server
        self.usedCurrent = usedCurrent
        self.usedMax = usedMax
        self.idleCurrent = idleCurrent
    }

    /// Parses the answer: a `#` header naming the columns (found by name, so
    /// versions that add columns still parse: 3.3 added `served` and `idle_sess`), then
    /// `backend/server …` rows, none for a backend without servers. The last header
    /// name, `idle_per_thr[N]`, stands for N per-thread counts, or none. `address` is
    /// where the answer came from; it goes into the error of an answer that does not
    /// have this shape.
    public static func parse(_ answer: String, address: String) throws(RuntimeAPIError) -> [ServerConnRow] {
        var lines = answer.split(separator: "\n", omittingEmptySubsequences: true)[...]
        func bad(_ d: String) -> RuntimeAPIError { .malformedReply(address: address, command: "show servers conn", detail: d) }
        guard let header = lines.popFirst(), header.hasPrefix("#") else { throw bad("missing the # header line") }
        let names = header.dropFirst().split(separator: " ").map(String.init)
        func col(_ n: String) throws(RuntimeAPIError) -> Int {
            guard let i = names.firstIndex(of: n) else { throw bad("no column \(n) in the header") }
            return i
        }
        let id = try col("bkname/svname"), used = try col("used_cur"), usedMax = try col("used_max"), idle = try col("idle_cur")
        var rows: [ServerConnRow] = []
        for line in lines where !line.hasPrefix("#") {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count > max(id, used, usedMax, idle) else {
                throw bad("short row (\(f.count) of \(names.count) columns): \(line)")
            }
            let parts = f[id].split(separator: "/", maxSplits: 1)
            guard parts.count == 2 else { throw bad("\(String(f[id]).debugDescription) is not backend/server in row: \(line)") }
            guard let u = Int(f[used]), let m = Int(f[usedMax]), let i = Int(f[idle]) else {
                throw bad("non-numeric count in row: \(line)")
            }
            rows.append(ServerConnRow(backend: String(parts[0]), server: String(parts[1]), usedCurrent: u, usedMax: m, idleCurrent: i))
        }
        return rows
    }
}
