/// Response times, exactly summed and binned at about 3 % resolution for
/// percentiles, in constant memory however many requests a run has.
struct LatencyRecorder {
    /// Bins of 1/32 of a power of two above 32 µs-units; below that, exact.
    static let bins = 32 * 40
    private(set) var counts = [UInt64](repeating: 0, count: LatencyRecorder.bins)
    private(set) var count: UInt64 = 0
    private(set) var sum = 0.0

    @inline(__always)
    static func bin(_ ms: Double) -> Int {
        let units = UInt64(max(0, ms * 32))  // 1/32 ms
        guard units >= 32 else { return Int(units) }
        let exponent = 63 - units.leadingZeroBitCount  // ≥ 5
        let mantissa = Int((units >> UInt64(exponent - 5)) & 31)
        return min(bins - 1, (exponent - 4) * 32 + mantissa)
    }

    static func value(ofBin b: Int) -> Double {
        guard b >= 32 else { return Double(b) / 32 }
        let exponent = b / 32 + 4
        let mantissa = Double(b % 32)
        // The middle of the bin.
        return (32 + mantissa + 0.5) * Double(1 << (exponent - 5)) / 32
    }

    @inline(__always)
    mutating func add(_ ms: Double) {
        counts[Self.bin(ms)] &+= 1
        count &+= 1
        sum += ms
    }

    mutating func removeAll() {
        for i in counts.indices { counts[i] = 0 }
        count = 0
        sum = 0
    }

    var mean: Double? { count > 0 ? sum / Double(count) : nil }

    func percentile(_ p: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = max(1, UInt64((p / 100 * Double(count)).rounded(.up)))
        var seen: UInt64 = 0
        for (b, c) in counts.enumerated() where c > 0 {
            seen += c
            if seen >= rank { return Self.value(ofBin: b) }
        }
        return Self.value(ofBin: Self.bins - 1)
    }
}
