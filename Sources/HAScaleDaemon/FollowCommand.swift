import ArgumentParser
import HAScale
import HAScaleParse
import HAScaleRuntime
import LogParser
import SystemPackage

struct FollowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow",
        abstract: "Follow HAProxy's log and print each request hascale parses, live.",
        discussion: """
            The same readers `hascale run` uses, from the same sources: a file (inotify-driven, \
            it survives rename-and-create rotation, copytruncate, deletion and late creation), \
            journal[:UNIT], a syslog receiver on udp://ADDR:PORT or unix:PATH, or - (standard \
            input). Notices (rotation, waiting, losses) and skipped lines go to stderr.
            """
    )

    @Flag(name: .long, help: "Print one JSON object per request (the `parse --json` format).")
    var json = false

    @Flag(name: .long, help: "Read what the file (or the journal) already holds first, instead of starting at its end.")
    var fromStart = false

    @Option(name: .long, help: "The receive buffer (SO_RCVBUF) of a udp:// or unix: receiver, in bytes.")
    var receiveBuffer: Int = DatagramLogReceiver.defaultReceiveBuffer

    @Option(name: .long, help: "Senders a receiver bound beyond loopback accepts (repeat it).")
    var allow: [String] = []

    @Argument(help: "The log source: a file path, journal[:UNIT], udp://ADDR:PORT, unix:PATH or -. Default: /var/log/haproxy.log if it exists, else journal:haproxy.service.")
    var source: String?

    func run() throws {
        let (log, why) = try LogSourceChoice.resolve(source, inventory: nil)
        var allowed: [IPAddress] = []
        for a in allow {
            guard let ip = IPAddress(a) else { throw ValidationError("--allow \(a.debugDescription) is not an IP address") }
            allowed.append(ip)
        }
        if log.listensBeyondLoopback && allowed.isEmpty {
            throw ValidationError("\(log) listens beyond loopback: name the senders with --allow ADDR")
        }
        let follower: any LogReader
        do {
            follower = try log.open(fromStart: fromStart, allowed: allowed, receiveBuffer: receiveBuffer, journal: LogSourceChoice.openJournal)
        } catch {
            throw ValidationError("\(error)")
        }
        if let why { StandardError.write("hascale: reading \(log), because \(why)\n") }
        let hasPast = switch log { case .file, .journal: true; default: false }
        StandardError.write("hascale: following \(log)\(hasPast ? (fromStart ? " from its start" : " from its end") : "")\n")
        var ended = false
        var out = BufferedOutput(.standardOutput)
        var encoder = JSONRecordEncoder()
        while !ended {
            try follower.poll(timeout: .seconds(1)) { event in
                switch event {
                case .line(let line, _):
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
                case .lost(let count, let cause):
                    StandardError.write("hascale: \(cause.warning(count: count, source: log.description))\n")
                case .ended:
                    ended = true
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
