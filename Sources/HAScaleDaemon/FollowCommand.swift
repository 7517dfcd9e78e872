import ArgumentParser
import HAScale
import HAScaleParse
import HAScaleRuntime
import LogParser
import SystemPackage

struct FollowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow",
        abstract: "Follow a HAProxy log like `tail -F` and print each request hascale parses, live.",
        discussion: """
            The same tailer `hascale run` uses: inotify-driven, it survives rename-and-create \
            rotation, copytruncate, deletion and late creation, and holds a partial last line \
            until its newline. Notices (rotation, waiting) and skipped lines go to stderr.
            """
    )

    @Flag(name: .long, help: "Print one JSON object per request (the `parse --json` format).")
    var json = false

    @Flag(name: .long, help: "Read what the file already holds first, instead of starting at its end.")
    var fromStart = false

    @Argument(help: "The log file to follow.")
    var file: String

    func run() throws {
        let follower: LogFollower
        do {
            follower = try LogFollower(path: FilePath(file), startAtEnd: !fromStart)
        } catch {
            throw ValidationError("\(error)")
        }
        StandardError.write("hascale: following \(file) \(fromStart ? "from its start" : "from its end")\n")
        var out = BufferedOutput(.standardOutput)
        var encoder = JSONRecordEncoder()
        while true {
            try follower.poll(timeout: .seconds(1)) { event in
                switch event {
                case .line(let line):
                    switch LogLineScanner.scan(line) {
                    case .record(let r):
                        if json {
                            encoder.append(r, line: line)
                            out.write(bytes: encoder.buffer)
                            encoder.removeAll()
                        } else {
                            out.write(Self.describe(r, line))
                        }
                    case .rejected(let why):
                        StandardError.write("skipped a line: \(why)\n")
                    }
                case .overlong:
                    StandardError.write("skipped a line longer than \(LogLineScanner.maximumLineLength) bytes\n")
                case .notice(let n):
                    StandardError.write("hascale: \(n)\n")
                }
            }
            out.flush()
        }
    }

    /// `app/srv1 200 Tr=12 Ta=14 ----`: what an operator scans for.
    static func describe(_ r: LogRecord, _ line: UnsafeRawBufferPointer) -> String {
        func text(_ b: ByteRange) -> String { String(decoding: b.bytes(in: line), as: UTF8.self) }
        let where_ = "\(text(r.backend))/\(text(r.server))"
        if r.mode == .tcp {
            return "\(where_) tcp Tc=\(r.Tc) Tt=\(r.Ta) \(text(r.termination))\n"
        }
        return "\(where_) \(r.status) Tr=\(r.Tr) Ta=\(r.Ta) \(text(r.termination))\n"
    }
}
