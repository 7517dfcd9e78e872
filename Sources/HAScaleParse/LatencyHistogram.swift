/// Millisecond latencies in log-linear buckets: exact below 1024 ms, then
/// within 0.2 % of the value up to `Int32.max`.
///
/// One index computation per value: two histograms merge by adding counts,
/// and percentiles come out without keeping or sorting the values, which is
/// what a summary over millions of lines needs. The buckets are allocated up
/// to the largest value seen (1,024 of them cover every value below a second),
/// not for all of `Int32`'s range: a summary holds one histogram per server
/// and per worker, and 96 KiB each, zeroed and copied on first use, cost
/// more than the lines of a small log.
public struct LatencyHistogram: Sendable, Equatable {
    static let subBucketBits = 10
    static let subBucketCount = 1 << subBucketBits  // 1024
    static let halfCount = subBucketCount >> 1
    static let bucketCount = (32 - subBucketBits) * halfCount + subBucketCount

    private var counts: [UInt64] = []
    public private(set) var count: UInt64 = 0
    public private(set) var sum: UInt64 = 0
    public private(set) var max: Int32 = 0

    public init() {}

    @inline(__always)
    static func index(of value: Int32) -> Int {
        let v = Int(value)
        if v < subBucketCount { return v }
        let shift = (Int.bitWidth - v.leadingZeroBitCount) - subBucketBits
        return shift * halfCount + (v >> shift)
    }

    /// The largest value that falls into bucket `index` (what percentiles report,
    /// so a reported p99 is never below the true one).
    static func highestValue(inBucket index: Int) -> Int {
        if index < subBucketCount { return index }
        let shift = (index - subBucketCount) / halfCount + 1
        let sub = index - shift * halfCount
        return ((sub + 1) << shift) - 1
    }

    /// Records one value; negative values (HAProxy's `-1`, "did not happen") are ignored.
    @inline(__always)
    public mutating func record(_ value: Int32) {
        guard value >= 0 else { return }
        let i = Self.index(of: value)
        if i >= counts.count { grow(toInclude: i) }
        counts[i] &+= 1
        count &+= 1
        sum &+= UInt64(value)
        if value > max { max = value }
    }

    @inline(never)
    private mutating func grow(toInclude index: Int) {
        let n = Swift.min(Self.bucketCount, Swift.max(index + 1, Self.subBucketCount, counts.count * 2))
        counts.append(contentsOf: repeatElement(0, count: n - counts.count))
    }

    public mutating func merge(_ other: LatencyHistogram) {
        if other.counts.count > counts.count { grow(toInclude: other.counts.count - 1) }
        for i in 0..<other.counts.count { counts[i] &+= other.counts[i] }
        count &+= other.count
        sum &+= other.sum
        if other.max > max { max = other.max }
    }

    /// Equal when they hold the same values, however many buckets each has allocated.
    public static func == (a: LatencyHistogram, b: LatencyHistogram) -> Bool {
        guard a.count == b.count, a.sum == b.sum, a.max == b.max else { return false }
        let (short, long) = a.counts.count <= b.counts.count ? (a.counts, b.counts) : (b.counts, a.counts)
        return short[...] == long[..<short.count] && long[short.count...].allSatisfy { $0 == 0 }
    }

    public var mean: Double { count == 0 ? 0 : Double(sum) / Double(count) }

    /// The value at percentile `p` (0...100): the smallest bucket bound below
    /// which at least `p` % of the values fall. 0 when empty.
    public func percentile(_ p: Double) -> Int {
        guard count > 0 else { return 0 }
        let rank = Swift.max(1, UInt64((p / 100 * Double(count)).rounded(.up)))
        var seen: UInt64 = 0
        for (i, c) in counts.enumerated() where c > 0 {
            seen += c
            if seen >= rank { return Swift.min(Self.highestValue(inBucket: i), Int(max)) }
        }
        return Int(max)
    }
}
