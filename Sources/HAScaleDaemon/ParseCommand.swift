import ArgumentParser
import Foundation
import HAScale
import HAScaleParse
import LogParser
import SystemPackage

struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Read HAProxy log lines and print what hascale sees in them.",
        discussion: """
            Every framing is recognised in the same file: `log stdout format raw`, RFC 3164 \
            (as HAProxy sends it and as rsyslog writes it), RSYSLOG_FileFormat and RFC 5424; \
            payloads from `option httplog` (and its `clf` variant) and `option tcplog`. Lines that \
            are not request logs are counted by reason and skipped.

            --summary (the default) answers "which server is slow?": per backend and server the \
            request count, the share of 5xx answers and the mean/p50/p95/p99 server response time \
            (`Tr`; `Tt` for tcp lines), then, on stderr, lines read, parsed, rejected by reason, \
            and the throughput. Files are read on every core.

            --json prints one JSON object per request line: http lines carry mode, frontend, \
            backend, server, TR, Tw, Tc, Tr, Ta, status, bytes, termination, accept_ms, beconn, \
            srv_conn; tcp lines carry mode, frontend, backend, server, Tw, Tc, Tt, bytes, \
            termination, accept_ms, beconn, srv_conn. accept_ms is the accept date in ms since \
            the Unix epoch (dates without a zone are read as UTC); it, beconn and srv_conn are \
            null when the field does not convert. Rejected lines print nothing.
            """
    )

    @Flag(name: .long, help: "Print one JSON object per request line.")
    var json = false

    @Flag(name: .long, help: "Print a per-server latency summary (the default).")
    var summary = false

    @Argument(help: "Log files to read; standard input when none is given.")
    var files: [String] = []

    func validate() throws {
        if json && summary { throw ValidationError("Choose one of --json and --summary.") }
    }

    func run() throws {
        let started = ContinuousClock.now
        var total = LogSummary()
        var out = BufferedOutput(.standardOutput)
        var encoder = JSONRecordEncoder()
        let workers = json ? 1 : ProcessInfo.processInfo.activeProcessorCount

        func emit(_ line: UnsafeRawBufferPointer) {
            if case .record(let r) = total.add(line: line) {
                encoder.append(r, line: line)
                if encoder.buffer.count >= 1 << 16 {
                    out.write(bytes: encoder.buffer)
                    encoder.removeAll()
                }
            }
        }

        if files.isEmpty {
            var assembler = LineAssembler()
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let n = try chunk.withUnsafeMutableBytes { try FileDescriptor.standardInput.read(into: $0) }
                if n == 0 { break }
                chunk.withUnsafeBytes { buf in
                    assembler.consume(UnsafeRawBufferPointer(rebasing: buf[..<n])) { event in
                        switch event {
                        case .line(let line):
                            if json { emit(line) } else { total.add(line: line) }
                        case .overlong:
                            total.addOverlong(byteCount: LogLineScanner.maximumLineLength)
                        }
                    }
                }
            }
            assembler.flush { event in
                if case .line(let line) = event {
                    if json { emit(line) } else { total.add(line: line) }
                }
            }
        } else {
            for file in files {
                let mapped: MappedFile
                do {
                    mapped = try MappedFile(path: FilePath(file))
                } catch {
                    throw ValidationError(error.description)
                }
                if json {
                    LineSplitter.forEachLine(in: mapped.bytes) { emit($0) }
                } else {
                    total.merge(LogFileSummarizer.summarize(mapped.bytes, workers: workers))
                }
            }
        }
        if json {
            out.write(bytes: encoder.buffer)
        } else {
            out.write(SummaryReport.table(total))
        }
        out.flush()
        let elapsed = started.duration(to: .now)
        StandardError.write(SummaryReport.trailer(total, elapsed: elapsed))
    }
}
