// How decisions and status lines print times: short, in the units operators read.

/// Milliseconds with no more digits than a reader needs.
package func formatMs(_ v: Double) -> String {
    v >= 100 || v == v.rounded() ? "\(Int(v.rounded())) ms" : "\((v * 10).rounded() / 10) ms"
}

/// `4m10s`, `12s`, `1h2m`: the durations operators read in a status line.
package func formatSeconds(_ d: Duration) -> String {
    let s = max(0, Int(d.seconds.rounded(.up)))
    if s >= 3600 { return "\(s / 3600)h\((s % 3600) / 60)m" }
    if s >= 60 { return "\(s / 60)m\(s % 60)s" }
    return "\(s)s"
}

/// The one conversion of `Duration` to plain numbers, for every layer above the core.
extension Duration {
    package var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// Whole milliseconds, clamped to `Int32` (what `poll(2)` takes).
    package var pollMilliseconds: Int32 {
        Int32(clamping: components.seconds &* 1000 &+ components.attoseconds / 1_000_000_000_000_000)
    }
}
