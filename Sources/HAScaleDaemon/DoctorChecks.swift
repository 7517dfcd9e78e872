import Foundation
import Glibc
import HAProxySocket
import HAScale
import HAScaleRuntime
import LogParser
import SystemPackage

/// The checks `hascale doctor` runs, each appending its findings.
enum DoctorChecks {
    static func inventory(_ path: String, _ findings: inout [DoctorFinding]) -> Inventory? {
        do {
            let inv = try InventoryFile.load(path: path)
            let servers = inv.backends.reduce(0) { $0 + $1.servers.count }
            findings.append(.ok("inventory", "\(path): \(inv.backends.count) backend\(inv.backends.count == 1 ? "" : "s"), \(servers) servers"))
            return inv
        } catch {
            if error.errors.contains(where: { $0.kind == .missing }) {
                findings.append(.fail("inventory", "no inventory at \(path)", fix: "write one from HAProxy: hascale init --output \(path)"))
            } else {
                findings.append(.fail("inventory", error.errors.map(\.description).joined(separator: "; "),
                                      fix: "mend each error (hascale check-config \(path) lists them), or start again from hascale init"))
            }
            return nil
        }
    }

    /// Reachable, and at `level admin` (`show cli level`); the executor when it answers.
    static func socket(_ text: String, _ findings: inout [DoctorFinding]) async -> ScaleExecutor? {
        let address: RuntimeAPIAddress
        do { address = try RuntimeAPIAddress(parsing: text) } catch {
            findings.append(.fail("socket", error.description, fix: "a Unix socket path, ipv4@HOST:PORT or ipv6@[ADDR]:PORT in \"haproxy.socket\""))
            return nil
        }
        let client = RuntimeAPIClient(address: address)
        let level: String
        do {
            level = try client.send(.showCliLevel).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            findings.append(.fail("socket", error.description, fix: "is HAProxy running? its global section needs `stats socket \(text) mode 660 group haproxy level admin`"))
            return nil
        }
        guard level == "admin" else {
            findings.append(.fail("socket", "\(text) answers at level \(level): a `level \(level)` socket can show servers but not change them",
                                  fix: "`stats socket \(text) mode 660 group haproxy level admin` in haproxy.cfg's global section, then reload HAProxy"))
            return ScaleExecutor(api: OffloadedRuntimeAPI(client))
        }
        findings.append(.ok("socket", "\(text) answers at level admin"))
        return ScaleExecutor(api: OffloadedRuntimeAPI(client))
    }

    /// What the log lines were: requests hascale reads, and the others.
    struct Tally {
        var requests = 0, tcp = 0, others = 0, overlong = 0
        var firstOther: String?, firstReason: String?
        var notices: [String] = []
        var lost: UInt64 = 0

        mutating func add(_ e: LogStreamEvent) {
            switch e {
            case .line(let line, _):
                switch LogLineScanner.scan(line) {
                case .record(let r):
                    requests += 1
                    if r.mode == .tcp { tcp += 1 }
                case .rejected(let why):
                    others += 1
                    if firstOther == nil {
                        firstOther = String(decoding: line.prefix(140), as: UTF8.self)
                        firstReason = "\(why)"
                    }
                }
            case .overlong: overlong += 1
            case .notice(let n): notices.append(n)
            case .lost(let n, _): lost += n
            case .ended: break
            }
        }
    }

    /// The source delivers `option httplog` request lines: what it holds lately, else what arrives within `wait`.
    static func logLines(_ source: LogSource, inventory: Inventory?, wait: Duration, _ findings: inout [DoctorFinding]) {
        var tally = Tally()
        let reader: any LogReader
        do {
            switch source {
            case .standardInput:
                findings.append(.skip("log", "standard input: nothing to check before a log is piped in"))
                return
            case .file(let path):
                try recentLines(of: path) { tally.add($0) }
                reader = try LogFollower(path: FilePath(path), startAtEnd: true)
            case .journal(let unit):
                reader = try JournalFollower(unit: unit, fromStart: false, backlog: 500, wakeup: nil)
            case .udp, .unixDatagram:
                reader = try source.open(allowed: inventory?.logSourcesAllowed ?? [])
            }
        } catch {
            if error.errno == .addressInUse {
                findings.append(.skip("log", "\(source) is in use (by the running hascale?): its status line shows what it reads"))
            } else {
                findings.append(.fail("log", error.description, fix: fixForOpening(source)))
            }
            return
        }
        let deadline = ContinuousClock.now + wait
        do {
            try reader.readAvailable { tally.add($0) }
            while tally.requests == 0, case let left = deadline - ContinuousClock.now, left > .zero {
                reader.waiter.wait(timeout: min(left, .milliseconds(200)))
                try reader.readAvailable { tally.add($0) }
            }
        } catch {
            findings.append(.fail("log", error.description, fix: fixForOpening(source)))
            return
        }
        let seconds = wait.components.seconds
        if tally.requests > 0 {
            var detail = "\(source): \(tally.requests) request line\(tally.requests == 1 ? "" : "s")"
            if tally.others > 0 { detail += ", \(tally.others) other line\(tally.others == 1 ? "" : "s") (HAProxy's own messages, skipped)" }
            if tally.tcp == tally.requests { detail += "; all `option tcplog`: hascale scales on Tt there, not on the response time" }
            findings.append(.ok("log", detail))
        } else if tally.others > 0 {
            findings.append(.fail("log", "\(source): \(tally.others) line\(tally.others == 1 ? "" : "s"), none an `option httplog` request (\(tally.firstReason ?? "?")): \(tally.firstOther ?? "")",
                                  fix: "put `option httplog` in the frontend (or defaults) and remove any custom `log-format` there, then reload HAProxy"))
        } else {
            findings.append(.fail("log", "\(source): no line in what it holds nor within \(seconds) s",
                                  fix: "send a request through HAProxy and run doctor again; else check HAProxy's `log` line: \(configLine(source))"))
        }
    }

    /// The last 64 KiB of the file, whole lines only: what HAProxy logged lately, without reading gigabytes.
    static func recentLines(of path: String, _ body: (LogStreamEvent) -> Void) throws(FileError) {
        let fd: FileDescriptor
        do { fd = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec]) } catch {
            throw FileError(path: FilePath(path), operation: "open", errno: error as? Errno ?? .ioError)
        }
        defer { try? fd.close() }
        let window: Int64 = 64 << 10
        var bytes = [UInt8](repeating: 0, count: Int(window))
        let n: Int
        do {
            let size = try fd.seek(offset: 0, from: .end)
            _ = try fd.seek(offset: max(0, size - window), from: .start)
            n = try bytes.withUnsafeMutableBytes { try fd.read(into: $0) }
            if size > window, let firstNewline = bytes.prefix(n).firstIndex(of: 0x0a) {
                bytes.removeFirst(firstNewline + 1)
            }
        } catch {
            throw FileError(path: FilePath(path), operation: "read", errno: error as? Errno ?? .ioError)
        }
        let kept = min(n, bytes.count)
        var assembler = LineAssembler()
        bytes.withUnsafeBytes { raw in
            assembler.consume(UnsafeRawBufferPointer(rebasing: raw[..<kept])) { body(LogStreamEvent($0)) }
        }
    }

    static func fixForOpening(_ source: LogSource) -> String {
        switch source {
        case .file(let p): "is HAProxy logging to \(p) (rsyslog's /etc/rsyslog.d/49-haproxy.conf)? Without rsyslog, use \"log\": \"journal\"; the service's user must read it (group adm)"
        case .journal: "reading the journal needs root or the adm or systemd-journal group; is journald running?"
        case .udp: "is another process on that port (rsyslog's imudp, a second hascale)? choose another: \(configLine(source))"
        case .unixDatagram: "hascale must be able to create the socket there (RuntimeDirectory=hascale gives /run/hascale)"
        case .standardInput: "pipe HAProxy's log in"
        }
    }

    /// The line haproxy.cfg's global section needs for this source.
    static func configLine(_ source: LogSource) -> String {
        switch source {
        case .file: "`log /dev/log local0` with rsyslog writing the file"
        case .journal: "`log /dev/log local0` (journald's syslog socket)"
        case .udp(let a, let p):
            if case .v6 = a { "`log [\(a)]:\(p) len 8192 local0`" } else { "`log \(a):\(p) len 8192 local0`" }
        case .unixDatagram(let p): "`log \(p) len 8192 local0` (inside HAProxy's chroot, if it has one)"
        case .standardInput: "`log stdout format raw local0`"
        }
    }

    /// journald drops what a unit logs past `RateLimitBurst`: in the last day, did it drop HAProxy's?
    static func journalRateLimit(_ source: LogSource, _ findings: inout [DoctorFinding]) {
        guard case .journal(let unit) = source else {
            findings.append(.skip("journald", "the log does not come through the journal"))
            return
        }
        let since = UInt64((Date().timeIntervalSince1970 - 86_400) * 1_000_000)
        do {
            let (notices, messages) = try JournalFollower.suppressions(of: unit, sinceMicroseconds: since)
            if notices == 0 {
                findings.append(.ok("journald", "no message of \(unit) suppressed in the last 24 h"))
            } else {
                findings.append(.fail("journald", "journald suppressed \(messages) messages of \(unit) in the last 24 h (\(notices) notices): request lines were lost",
                                      fix: LogLoss.journalRateLimited(unit: unit).fix))
            }
        } catch {
            findings.append(.fail("journald", error.description, fix: fixForOpening(source)))
        }
    }

    static func drift(_ inventory: Inventory, _ exec: ScaleExecutor, _ findings: inout [DoctorFinding]) async {
        do {
            let states = try await exec.serverStates(nil)
            let stats = try await exec.stats()
            let lines = InventoryDrift.report(inventory, ServerObservations.make(states: states, stats: stats))
            if lines.isEmpty {
                findings.append(.ok("drift", "HAProxy matches the inventory"))
            } else {
                findings.append(.fail("drift", lines.joined(separator: "; "),
                                      fix: "`hascale servers` shows both sides: mend the inventory, or HAProxy's state with `hascale enable`/`disable`"))
            }
        } catch {
            findings.append(.fail("drift", error.description, fix: "the socket check above says why HAProxy did not answer"))
        }
    }

    /// The groups the service runs with: the installed unit's `SupplementaryGroups=`, else the shipped unit's.
    static func serviceGroups(unitFile: String?) -> (groups: [String], from: String) {
        let candidates = unitFile.map { [$0] } ?? ["/etc/systemd/system/hascale.service", "/lib/systemd/system/hascale.service", "/usr/lib/systemd/system/hascale.service"]
        for path in candidates {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            let groups = text.split(separator: "\n")
                .filter { $0.hasPrefix("SupplementaryGroups=") }
                .flatMap { $0.dropFirst("SupplementaryGroups=".count).split(separator: " ").map(String.init) }
            return (groups, path)
        }
        return (["haproxy", "adm"], "the shipped unit")
    }

    /// A user that owns nothing, in `groups`, may do `need` (read, or read and write) on `path` and reach it.
    static func access(_ path: String, _ gids: Set<gid_t>, write: Bool) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return "\(path): \(Errno(rawValue: errno))" }
        let r = write ? (S_IRGRP | S_IWGRP, S_IROTH | S_IWOTH) : (S_IRGRP, S_IROTH)
        let byGroup = gids.contains(st.st_gid) && st.st_mode & r.0 == r.0
        if !(byGroup || st.st_mode & r.1 == r.1) {
            let group = getgrgid(st.st_gid).map { String(cString: $0.pointee.gr_name) } ?? "\(st.st_gid)"
            return "\(path) (mode \(String(st.st_mode & 0o777, radix: 8)), group \(group)) is not \(write ? "readable and writable" : "readable") by those groups"
        }
        var dir = (path as NSString).deletingLastPathComponent
        while dir != "/" && !dir.isEmpty {
            var d = stat()
            if stat(dir, &d) == 0, !(gids.contains(d.st_gid) && d.st_mode & S_IXGRP != 0), d.st_mode & S_IXOTH == 0 {
                return "\(dir) cannot be entered by those groups, so \(path) cannot be reached"
            }
            dir = (dir as NSString).deletingLastPathComponent
        }
        return nil
    }

    static func permissions(groups: (groups: [String], from: String), config: String, socket: String, source: LogSource?, _ findings: inout [DoctorFinding]) {
        var gids = Set<gid_t>()
        var missing: [String] = []
        for g in groups.groups {
            if let e = getgrnam(g) { gids.insert(e.pointee.gr_gid) } else { missing.append(g) }
        }
        var problems: [String] = missing.map { "group \($0) does not exist here" }
        if FileManager.default.fileExists(atPath: config), let p = access(config, gids, write: false) { problems.append(p) }
        if case .unix(let path)? = try? RuntimeAPIAddress(parsing: socket), let p = access(path, gids, write: true) { problems.append(p) }
        switch source {
        case .file(let path)?:
            if let p = access(path, gids, write: false) { problems.append(p) }
        case .journal?:
            if !groups.groups.contains("adm") && !groups.groups.contains("systemd-journal") {
                problems.append("reading the journal needs the adm or systemd-journal group")
            }
        default: break
        }
        let who = "the service's user (groups \(groups.groups.joined(separator: " ")), from \(groups.from))"
        if problems.isEmpty {
            findings.append(.ok("permissions", "\(who) can read the inventory and the log and use the socket"))
        } else {
            findings.append(.fail("permissions", "\(who): " + problems.joined(separator: "; "),
                                  fix: "give the file its group (chgrp haproxy FILE; chmod g+r FILE, g+rw for the socket: `stats socket … mode 660 group haproxy`), or add the group to SupplementaryGroups= in the unit"))
        }
    }
}
