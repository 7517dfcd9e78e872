import HAScaleParse
import Testing

@Suite("LatencyHistogram")
struct LatencyHistogramTests {
    @Test func exactBelowOneSecondAndBoundedAbove() {
        var h = LatencyHistogram()
        for v in 1...100 { h.record(Int32(v)) }
        h.record(-1)  // an aborted phase: not a latency
        #expect(h.count == 100 && h.max == 100)
        #expect(h.percentile(50) == 50 && h.percentile(95) == 95 && h.percentile(100) == 100)
        #expect(h.mean == 50.5)

        var slow = LatencyHistogram()
        for v: Int32 in [1_500, 40_000, Int32.max] { slow.record(v) }
        #expect(slow.percentile(100) == Int(Int32.max))
        let p50 = slow.percentile(50)
        #expect(p50 >= 40_000 && Double(p50) <= 40_000 * 1.002, "p50 \(p50) not within 0.2 % above 40000")
        #expect(slow.percentile(1) >= 1_500 && slow.percentile(1) <= 1_503)
    }

    @Test func mergeAndEqualityIgnoreHowManyBucketsWereAllocated() {
        var small = LatencyHistogram()
        var large = LatencyHistogram()
        for v: Int32 in [3, 70, 900] {
            small.record(v)
            large.record(v)
        }
        large.record(2_000_000)  // grows `large` far beyond `small`
        var merged = small
        merged.merge(large)
        var expected = LatencyHistogram()
        for v: Int32 in [3, 70, 900, 3, 70, 900, 2_000_000] { expected.record(v) }
        #expect(merged == expected)
        var other = large
        other.merge(small)
        #expect(other == expected)
        #expect(small != large)
        #expect(merged.percentile(100) >= 2_000_000)
    }
}
