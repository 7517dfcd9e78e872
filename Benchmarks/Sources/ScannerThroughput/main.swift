// The scanner alone, no I/O: the file is read into memory first, then every
// line is scanned `passes` times on one thread. Prints ns per line and lines/s
// for two passes over the same lines:
// - streamed: one pass over the whole buffer, so a 200 MB file comes from DRAM
//   while it is scanned;
// - warm: each 4,096-line chunk (about 1 MB) is brought into the cache first,
//   untimed, by touching one byte in 64. In `hascale parse` and the tailer the
//   line splitter has just read every byte of a line when the scanner reads it,
//   so this is the scanner's own cost.
// usage: ScannerThroughput FILE [passes] [--small-pages]
import HAScaleParse
import LogParser

#if canImport(Glibc)
import Glibc
#endif

let args = CommandLine.arguments
guard args.count >= 2 else {
    print("usage: ScannerThroughput FILE [passes] [--small-pages]")
    exit(2)
}
let passes = args.count > 2 ? Int(args[2]) ?? 5 : 5
guard let f = fopen(args[1], "rb") else {
    print("cannot open \(args[1])")
    exit(1)
}
fseek(f, 0, SEEK_END)
let size = ftell(f)
fseek(f, 0, SEEK_SET)

// One buffer backed by transparent huge pages where the kernel allows them:
// with 4 KiB pages a pass over 200 MB takes a TLB miss every 19 lines, and
// under a hypervisor's nested paging those walks, not the scanner, would be
// much of what the streamed figure shows (about 2 ns a line here).
let hugePage = 2 << 20
let capacity = (size + hugePage - 1) / hugePage * hugePage
var storage: UnsafeMutableRawPointer?
guard posix_memalign(&storage, hugePage, capacity) == 0, let storage else {
    print("cannot allocate \(size) bytes")
    exit(1)
}
if !args.contains("--small-pages") { _ = madvise(storage, capacity, MADV_HUGEPAGE) }
guard fread(storage, 1, size, f) == size else {
    print("cannot read \(args[1])")
    exit(1)
}
fclose(f)
let buf = UnsafeRawBufferPointer(start: storage, count: size)

// Line boundaries first, so the timed loops are the scanner and nothing else.
var starts: [Int] = []
var ends: [Int] = []
LineSplitter.forEachLine(in: buf) { line in
    let o = buf.baseAddress!.distance(to: line.baseAddress!)
    starts.append(o)
    ends.append(o + line.count)
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

var parsed = 0
var checksum: Int64 = 0

/// Scans lines `first ..< last`; the checksum reads `Tr` (converted on read)
/// and a name's end, as every consumer does.
@MainActor @inline(__always)
func scan(_ first: Int, _ last: Int) {
    for i in first..<last {
        let line = UnsafeRawBufferPointer(rebasing: buf[starts[i]..<ends[i]])
        if case .record(let r) = LogLineScanner.scan(line) {
            parsed &+= 1
            checksum &+= Int64(r.Tr) &+ Int64(r.server.upperBound)
        }
    }
}

var best = Double.infinity
for _ in 0..<passes {
    let t0 = now()
    parsed = 0
    scan(0, starts.count)
    best = min(best, now() - t0)
}
let parsedPerPass = parsed

var bestWarm = Double.infinity
var touched: UInt8 = 0
for _ in 0..<passes {
    var total = 0.0
    var first = 0
    while first < starts.count {
        let last = min(first &+ 4096, starts.count)
        var p = starts[first]
        while p < ends[last &- 1] {
            touched &+= buf[p]
            p &+= 64
        }
        let t0 = now()
        scan(first, last)
        total += now() - t0
        first = last
    }
    bestWarm = min(bestWarm, total)
}

let lines = Double(starts.count)
print("scanner_lines: \(starts.count)")
print("scanner_parsed: \(parsedPerPass)")
print("scanner_best_seconds: \(best)")
print("scanner_lines_per_second: \(Int(lines / best))")
print("scanner_ns_per_line: \(best / lines * 1e9)")
print("scanner_warm_lines_per_second: \(Int(lines / bestWarm))")
print("scanner_warm_ns_per_line: \(bestWarm / lines * 1e9)")
print("checksum: \(checksum) \(touched)")

// The same lines through LogSummary (scan + server table + histogram), one thread.
var bestSummary = Double.infinity
for _ in 0..<passes {
    let t0 = now()
    var summary = LogSummary()
    for i in 0..<starts.count {
        summary.add(line: UnsafeRawBufferPointer(rebasing: buf[starts[i]..<ends[i]]))
    }
    bestSummary = min(bestSummary, now() - t0)
    checksum &+= Int64(summary.parsed)
}
print("summary_ns_per_line: \(bestSummary / lines * 1e9)")
print("summary_lines_per_second: \(Int(lines / bestSummary))")
