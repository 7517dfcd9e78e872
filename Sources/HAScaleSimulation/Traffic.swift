/// Requests per second over time: `seconds,rate` rows, each rate holding from
/// its second on; the last row's second ends the run.
public struct Traffic: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var second: Double
        public var rate: Double

        public init(second: Double, rate: Double) {
            self.second = second
            self.rate = rate
        }
    }

    public private(set) var rows: [Row]

    /// A CSV file's text that is not a traffic shape, with the line to fix.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// At least two rows, seconds rising from 0, rates at least 0.
    public init(rows: [Row]) throws(Invalid) {
        guard rows.count >= 2 else { throw Invalid(line: rows.count, message: "a traffic shape needs at least two rows: a start and an end") }
        guard rows[0].second == 0 else { throw Invalid(line: 1, message: "the first row must be at second 0") }
        for (i, r) in rows.enumerated() {
            guard r.rate >= 0, r.rate.isFinite else { throw Invalid(line: i + 1, message: "the rate must be a number of requests per second, at least 0") }
            if i > 0, r.second <= rows[i - 1].second {
                throw Invalid(line: i + 1, message: "seconds must rise from row to row (\(r.second) after \(rows[i - 1].second))")
            }
        }
        self.rows = rows
    }

    /// `seconds,rate` lines; a first line that is not numbers is a header, `#` starts a comment.
    public init(csv text: String) throws(Invalid) {
        var rows: [Row] = []
        var header = false
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = line.split(separator: ",").map { $0.trimmingSpaces }
            if fields.allSatisfy(\.isEmpty) { continue }
            guard fields.count == 2, let s = Double(fields[0]), let r = Double(fields[1]) else {
                if rows.isEmpty, !header {
                    header = true
                    continue
                }
                throw Invalid(line: n + 1, message: "expected `seconds,rate`, found \(String(raw).debugDescription)")
            }
            rows.append(Row(second: s, rate: r))
        }
        try self.init(rows: rows)
    }

    public var duration: Double { rows[rows.count - 1].second }

    /// The rate at `t`, and when it next changes.
    func segment(at t: Double, from hint: inout Int) -> (rate: Double, until: Double) {
        while hint + 1 < rows.count, rows[hint + 1].second <= t { hint += 1 }
        return (rows[hint].rate, hint + 1 < rows.count ? rows[hint + 1].second : .infinity)
    }

    /// The offered rate during whole second `s`, for the oracle.
    public func rate(inSecond s: Int) -> Double {
        var hint = 0
        return rate(inSecond: s, from: &hint)
    }

    /// The same, from row `hint` on (seconds asked in order walk the rows once).
    func rate(inSecond s: Int, from hint: inout Int) -> Double {
        var t = Double(s)
        let end = Double(s + 1)
        var total = 0.0
        while t < end {
            let (r, until) = segment(at: t, from: &hint)
            let stop = min(end, until)
            total += r * (stop - t)
            t = stop
        }
        return total
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return s
    }
}
