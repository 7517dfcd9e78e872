// Allocation and throughput figures for the scanner, measured by
// ordo-one/benchmark (its malloc interposer counts every allocation).
// Run: `swift package --package-path Benchmarks benchmark` or scripts/bench-parser.
import Benchmark
import HAScaleParse
import LogParser

#if canImport(Glibc)
import Glibc
#endif

/// A fixed mix of real-looking lines (every framing and payload), repeated.
let sampleLines: [[UInt8]] = [
    "Nov 22 10:00:00 lb-1 haproxy[6037]: 10.52.44.152:28675 [22/Nov/2026:10:00:00.654] www app3/web-302 0/0/0/1/3 200 35813 - - ---- 0/48/5/6/0 0/0 {app3.example.com|Go-http-client/1.1} \"GET /cart/checkout HTTP/1.1\"",
    "<134>Nov 22 21:10:58 haproxy[6037]: 2001:db8::1:5555 [22/Nov/2026:21:10:58.882] https-in~ app_pool.v2/web-01.dc1 1/0/2/143/150 302 0 - - --VN 3/2/1/1/0 0/0 \"GET /login HTTP/2.0\"",
    "2026-11-22T21:10:58.882126+00:00 lb-1 haproxy[6037]: 127.0.0.1:33716 [22/Nov/2026:21:54:24.998] fe fe/<NOSRV> 0/-1/-1/-1/0 403 192 - - PR-- 1/1/0/0/0 0/0 \"GET /deny HTTP/1.1\"",
    "<134>1 2026-11-22T21:10:58.882126+00:00 lb-1 haproxy 6037 - - 127.0.0.1:33286 [22/Nov/2026:21:54:28.055] fetcp betcp/t1 1/0/1 461 -- 1/1/0/0/0 0/0",
    "127.0.0.1 - - [22/Nov/2026:21:54:28 +0000] \"GET /x HTTP/1.1\" 404 500 \"\" \"\" 55400 029 \"feclf\" \"be1\" \"s1\" 0 0 0 12 12 ---- 1 1 0 0 0 0 0 \"\" \"\" ",
    "Nov 22 21:10:58 lb-1 CRON[123]: (root) CMD (run-parts /etc/cron.hourly)",
].map { Array($0.utf8) }

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .instructions],
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 1_000
    )

    // 1,000 lines per iteration (scalingFactor .kilo): mallocs per line = mallocCountTotal / 1000.
    Benchmark("scan 1000 lines") { benchmark in
        var parsed = 0
        for _ in benchmark.scaledIterations {
            for line in sampleLines {
                line.withUnsafeBytes { buf in
                    if case .record(let r) = LogLineScanner.scan(buf) { parsed &+= Int(r.Tr) }
                }
            }
        }
        blackHole(parsed)
    }

    Benchmark("summarize 1000 lines") { benchmark in
        var summary = LogSummary()
        // Warm the table so every server is known: what a long run looks like.
        for line in sampleLines { line.withUnsafeBytes { summary.add(line: $0) } }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for line in sampleLines { line.withUnsafeBytes { summary.add(line: $0) } }
        }
        blackHole(summary.parsed)
    }
}
