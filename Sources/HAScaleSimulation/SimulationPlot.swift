/// An SVG of runs, one panel per policy: the pool (servers serving) over the
/// offered rate, and the mean and p95 response time against the SLO line, for
/// an operator who would rather look than read a table.
public enum SimulationPlot {
    static let width = 960.0
    static let panelHeight = 300.0
    static let left = 60.0, right = 60.0

    public static func svg(_ results: [SimulationResult], title: String) -> String {
        let height = 40 + panelHeight * Double(results.count)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += "<text x=\"\(left)\" y=\"24\" font-size=\"16\">\(escape(title))</text>\n"
        for (k, r) in results.enumerated() {
            out += panel(r, top: 40 + panelHeight * Double(k))
        }
        return out + "</svg>\n"
    }

    static func escape(_ s: String) -> String {
        s.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
    }

    static func f(_ v: Double) -> String { "\((v * 10).rounded() / 10)" }

    static func panel(_ r: SimulationResult, top: Double) -> String {
        let rows = r.timeline
        guard rows.count > 1 else { return "" }
        let plotWidth = width - left - right
        let poolTop = top + 30, poolHeight = 110.0
        let latTop = poolTop + poolHeight + 30, latHeight = 100.0
        let seconds = Double(rows.count - 1)
        func x(_ s: Double) -> Double { left + s / seconds * plotWidth }
        let maxServing = max(1, rows.map(\.serving).max() ?? 1, r.maxActive)
        let maxRate = max(1, rows.map(\.rate).max() ?? 1)
        let latCeiling = 3 * r.sloMs
        // At most one point per pixel column: the largest value of the column.
        let columns = Int(plotWidth)
        func path(_ value: (TimelineRow) -> Double?, _ y: (Double) -> Double, step: Bool) -> String {
            var d = ""
            var column = -1
            var best: Double?
            var lastY: Double?
            func flush(_ c: Int) {
                guard let b = best else { return }
                let px = left + Double(c) / Double(columns) * plotWidth
                let py = y(b)
                if d.isEmpty { d = "M\(f(px)),\(f(py))" } else if step, let ly = lastY { d += " L\(f(px)),\(f(ly)) L\(f(px)),\(f(py))" } else { d += " L\(f(px)),\(f(py))" }
                lastY = py
            }
            for row in rows {
                let c = Int(Double(row.second) / seconds * Double(columns - 1))
                if c != column {
                    flush(column)
                    column = c
                    best = nil
                }
                if let v = value(row) { best = max(best ?? v, v) }
            }
            flush(column)
            return d
        }
        var s = "<g>\n"
        s += "<text x=\"\(left)\" y=\"\(f(top + 18))\" font-size=\"14\">\(escape(r.policy)): \(r.sloViolationSeconds) s over \(Int(r.sloMs)) ms, "
            + "\(Int(r.serverSeconds.rounded())) server-seconds (\(f(r.costRatio))× the hindsight pool), \(r.flaps) flaps</text>\n"
        // The pool, over the offered rate in grey.
        s += "<rect x=\"\(left)\" y=\"\(f(poolTop))\" width=\"\(f(plotWidth))\" height=\"\(poolHeight)\" fill=\"none\" stroke=\"#ccc\"/>\n"
        let rateY: (Double) -> Double = { poolTop + poolHeight - $0 / maxRate * poolHeight }
        let poolY: (Double) -> Double = { poolTop + poolHeight - $0 / Double(maxServing) * poolHeight }
        s += "<path d=\"\(path({ $0.rate }, rateY, step: false))\" fill=\"none\" stroke=\"#bbb\"/>\n"
        s += "<path d=\"\(path({ Double($0.serving) }, poolY, step: true))\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\"/>\n"
        s += "<text x=\"\(left - 6)\" y=\"\(f(poolTop + 10))\" text-anchor=\"end\" fill=\"#1f77b4\">\(maxServing)</text>\n"
        s += "<text x=\"\(left - 6)\" y=\"\(f(poolTop + poolHeight))\" text-anchor=\"end\" fill=\"#1f77b4\">0</text>\n"
        s += "<text x=\"\(left + plotWidth + 6)\" y=\"\(f(poolTop + 10))\" fill=\"#888\">\(Int(maxRate)) req/s</text>\n"
        s += "<text x=\"\(left + 4)\" y=\"\(f(poolTop - 4))\" fill=\"#1f77b4\">servers serving</text>\n"
        // Latency, clipped at three times the SLO.
        let latY: (Double) -> Double = { latTop + latHeight - min($0, latCeiling) / latCeiling * latHeight }
        s += "<rect x=\"\(left)\" y=\"\(f(latTop))\" width=\"\(f(plotWidth))\" height=\"\(latHeight)\" fill=\"none\" stroke=\"#ccc\"/>\n"
        s += "<path d=\"\(path({ $0.p95Ms }, latY, step: false))\" fill=\"none\" stroke=\"#ff7f0e\" stroke-opacity=\"0.6\"/>\n"
        s += "<path d=\"\(path({ $0.meanMs }, latY, step: false))\" fill=\"none\" stroke=\"#2ca02c\" stroke-width=\"1.5\"/>\n"
        s += "<line x1=\"\(left)\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(latY(r.sloMs)))\" y2=\"\(f(latY(r.sloMs)))\" stroke=\"#d62728\" stroke-dasharray=\"4 3\"/>\n"
        s += "<text x=\"\(left - 6)\" y=\"\(f(latY(r.sloMs) + 4))\" text-anchor=\"end\" fill=\"#d62728\">\(Int(r.sloMs)) ms</text>\n"
        s += "<text x=\"\(left + 4)\" y=\"\(f(latTop - 4))\" fill=\"#2ca02c\">mean ms<tspan fill=\"#ff7f0e\"> p95 ms</tspan></text>\n"
        s += "<text x=\"\(f(left + plotWidth))\" y=\"\(f(latTop + latHeight + 14))\" text-anchor=\"end\" fill=\"#888\">\(Int(seconds)) s</text>\n"
        _ = x
        return s + "</g>\n"
    }
}
