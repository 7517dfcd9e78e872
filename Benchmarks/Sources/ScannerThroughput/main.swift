// The scanner alone, no I/O: the file is read into memory first, then every
// line is scanned `--passes` times on one thread. Prints lines/s.
import HAScale
import LogParser

#if canImport(Glibc)
import Glibc
#endif

let args = CommandLine.arguments
guard args.count >= 2 else {
    print("usage: ScannerThroughput FILE [passes]")
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
var data = [UInt8](repeating: 0, count: size)
_ = data.withUnsafeMutableBytes { fread($0.baseAddress, 1, size, f) }
fclose(f)

// Line boundaries first, so the timed loop is the scanner and nothing else.
var starts: [Int] = []
var ends: [Int] = []
data.withUnsafeBytes { buf in
    var s = 0
    LineSplitter.forEachLine(in: buf) { line in
        let o = buf.baseAddress!.distance(to: line.baseAddress!)
        starts.append(o)
        ends.append(o + line.count)
        s += 1
    }
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

var best = Double.infinity
var parsed = 0
var checksum: Int64 = 0
data.withUnsafeBytes { buf in
    for _ in 0..<passes {
        let t0 = now()
        parsed = 0
        for i in 0..<starts.count {
            let line = UnsafeRawBufferPointer(rebasing: buf[starts[i]..<ends[i]])
            if case .record(let r) = LogLineScanner.scan(line) {
                parsed &+= 1
                checksum &+= Int64(r.Tr) &+ Int64(r.server.upperBound)
            }
        }
        best = min(best, now() - t0)
    }
}
let lines = Double(starts.count)
print("scanner_lines: \(starts.count)")
print("scanner_parsed: \(parsed)")
print("scanner_best_seconds: \(best)")
print("scanner_lines_per_second: \(Int(lines / best))")
print("scanner_ns_per_line: \(best / lines * 1e9)")
print("checksum: \(checksum)")

// The same lines through LogSummary (scan + server table + histogram), one thread.
var bestSummary = Double.infinity
data.withUnsafeBytes { buf in
    for _ in 0..<passes {
        let t0 = now()
        var summary = LogSummary()
        for i in 0..<starts.count {
            summary.add(line: UnsafeRawBufferPointer(rebasing: buf[starts[i]..<ends[i]]))
        }
        bestSummary = min(bestSummary, now() - t0)
        checksum &+= Int64(summary.parsed)
    }
}
print("summary_ns_per_line: \(bestSummary / lines * 1e9)")
print("summary_lines_per_second: \(Int(lines / bestSummary))")
