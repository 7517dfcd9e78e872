import Dispatch
import LogParser

/// Summarises a mapped log on every core: the file is cut at line boundaries
/// into parts, each part gets its own ``LogSummary``, and the parts are merged
/// at the end. Nothing is shared while scanning.
///
/// There are several parts per worker, handed out as workers free up: a core
/// that is slowed (another process, a busy hypervisor) then takes fewer parts
/// instead of leaving the others waiting for its half of the file.
public enum LogFileSummarizer {
    public static func summarize(_ bytes: UnsafeRawBufferPointer, workers: Int) -> LogSummary {
        let partsPerWorker = workers > 1 ? 8 : 1
        let n = max(1, min(workers * partsPerWorker, bytes.count / (1 << 20) + 1))
        var bounds = [0]
        for k in 1..<n {
            let guess = max(bounds[k - 1], bytes.count * k / n)
            bounds.append(guess == 0 ? 0 : LineSplitter.nextLineStart(in: bytes, from: guess - 1))
        }
        bounds.append(bytes.count)
        let results = UnsafeMutableBufferPointer<LogSummary>.allocate(capacity: n)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        nonisolated(unsafe) let out = results
        nonisolated(unsafe) let input = bytes
        let cuts = bounds
        DispatchQueue.concurrentPerform(iterations: n) { k in
            var s = LogSummary()
            let part = UnsafeRawBufferPointer(rebasing: input[cuts[k]..<cuts[k + 1]])
            LineSplitter.forEachLine(in: part) { line in s.add(line: line) }
            (out.baseAddress! + k).initialize(to: s)
        }
        var total = results[0]
        for k in 1..<n { total.merge(results[k]) }
        return total
    }
}
