// How decisions and status lines print times: short, in the units operators read.

/// Milliseconds with no more digits than a reader needs.
package func formatMs(_ v: Double) -> String {
    // A prediction for a pool that cannot carry the load is infinite: never trap on it.
    guard v.isFinite, abs(v) < 1e9 else { return v > 0 ? "∞ ms" : "-∞ ms" }
    return v >= 100 || v == v.rounded() ? "\(Int(v.rounded())) ms" : "\((v * 10).rounded() / 10) ms"
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

    /// Whole milliseconds, clamped to 0...`Int32.max` (what `poll(2)` takes:
    /// a negative timeout would mean "wait forever").
    package var pollMilliseconds: Int32 {
        let (s, a) = components
        guard s >= 0, a >= 0 else { return 0 }
        guard s < Int64(Int32.max) / 1000 else { return Int32.max }
        return Int32(s * 1000 + a / 1_000_000_000_000_000)
    }
}
