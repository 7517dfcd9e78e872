import Foundation
import HAScale
import HAScaleParse
import LogParser

/// The text `hascale parse --summary` prints.
enum SummaryReport {
    static func table(_ s: LogSummary) -> String {
        var rows: [[String]] = [["backend", "server", "requests", "5xx%", "mean_ms", "p50_ms", "p95_ms", "p99_ms", "max_ms"]]
        let t = s.servers
        let order = (0..<t.count).sorted { (t.backends[$0], t.servers[$0]) < (t.backends[$1], t.servers[$1]) }
        for k in order {
            let v = t[k]
            rows.append([
                t.backends[k], t.servers[k], String(v.requests),
                String(format: "%.2f", v.serverErrorShare * 100),
                String(format: "%.1f", v.latency.mean),
                String(v.latency.percentile(50)), String(v.latency.percentile(95)),
                String(v.latency.percentile(99)), String(v.latency.max),
            ])
        }
        return TextTable.render(rows, rightAlignedFrom: 2)
    }

    static func trailer(_ s: LogSummary, elapsed: Duration) -> String {
        let seconds = elapsed.seconds
        var text = "lines read: \(s.linesRead)\nparsed: \(s.parsed)\nrejected: \(s.rejectedTotal)\n"
        for reason in LogRejection.allCases where s.rejected(reason) > 0 {
            text += "  \(reason): \(s.rejected(reason))\n"
        }
        text += String(format: "seconds: %.3f\nlines/s: %.0f\nMB/s: %.1f\n",
                       seconds, Double(s.linesRead) / max(seconds, 1e-9),
                       Double(s.bytesRead) / 1e6 / max(seconds, 1e-9))
        return text
    }
}

/// Left-aligned text columns, numbers right-aligned: what operators paste into tickets.
enum TextTable {
    /// `4m50s`, `12s`, `1h2m`, as status lines print durations.
    static func seconds(_ s: Int) -> String { formatSeconds(.seconds(s)) }

    static func render(_ rows: [[String]], rightAlignedFrom: Int) -> String {
        guard let first = rows.first else { return "" }
        var widths = Array(repeating: 0, count: first.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var out = ""
        for row in rows {
            var line = ""
            for (i, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                if i > 0 { line += "  " }
                line += i >= rightAlignedFrom ? pad + cell : cell + pad
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
