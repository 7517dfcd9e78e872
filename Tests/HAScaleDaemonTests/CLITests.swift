import Foundation
import HAScaleTestKit
import Testing

/// Runs the built `hascale` binary, as an operator would.
enum CLI {
    /// `hascale` beside the test bundle, in the build's bin path (`.build/debug`,
    /// `.build/release`, a `--scratch-path`), which the manifest makes the tests depend on;
    /// `HASCALE_BINARY` overrides it.
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["HASCALE_BINARY"] { return path }
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: runner).deletingLastPathComponent()
        // The runner may sit inside the test bundle (`hascalePackageTests.xctest/...`).
        while !FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("hascale").path), dir.pathComponents.count > 1 {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent("hascale").path
    }()

    static func run(_ args: [String], stdin: String? = nil) throws -> (code: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}

@Suite("hascale command line", .serialized)
struct CLITests {
    @Test func parseJSONAndSummary() throws {
        let log = """
            <134>Nov 22 21:10:58 haproxy[1]: 127.0.0.1:1 [22/Nov/2026:21:10:58.882] fe be/s1 0/0/1/40/41 200 10 - - ---- 1/1/1/1/0 0/0 "GET / HTTP/1.1"
            not a log line
            127.0.0.1:2 [22/Nov/2026:21:10:58.882] fe be/s1 0/0/1/60/61 503 10 - - ---- 1/1/1/1/0 0/0
            127.0.0.1:3 [22/Nov/2026:21:10:58.882] t tb/t1 0/1/+500 +99 -- 1/1/1/1/0 0/0

            """
        let json = try CLI.run(["parse", "--json"], stdin: log)
        #expect(json.code == 0)
        let objects = json.out.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.count == 3)
        let first = try #require(objects[0])
        #expect(Set(first.keys) == ["mode", "frontend", "backend", "server", "TR", "Tw", "Tc", "Tr", "Ta", "status", "bytes", "termination", "accept_ms", "beconn", "srv_conn"])
        #expect(first["Tr"] as? Int == 40 && first["status"] as? Int == 200 && first["server"] as? String == "s1")
        #expect(first["accept_ms"] as? Int == 1_795_381_858_882 && first["beconn"] as? Int == 1 && first["srv_conn"] as? Int == 1)
        let tcp = try #require(objects[2])
        #expect(Set(tcp.keys) == ["mode", "frontend", "backend", "server", "Tw", "Tc", "Tt", "bytes", "termination", "accept_ms", "beconn", "srv_conn"])
        #expect(tcp["Tt"] as? Int == 500 && tcp["bytes"] as? Int == 99)

        let summary = try CLI.run(["parse", "--summary"], stdin: log)
        #expect(summary.code == 0)
        let row = try #require(summary.out.split(separator: "\n").first { $0.hasPrefix("be ") })
        let cells = row.split(separator: " ")
        #expect(cells[2] == "2" && cells[3] == "50.00" && cells[4] == "50.0", "\(row)")
        #expect(summary.err.contains("lines read: 4") && summary.err.contains("not_a_request_log: 1"))
    }

    @Test func serversEnableDisableAgainstRealHAProxy() throws {
        let app = try HTTPTestBackend(name: "app", behaviour: .ok())
        defer { app.shutdown() }
        let haproxy = try HAProxyProcess(configBody: """
            backend pool
              server a \(app.address)
              server b \(app.address) disabled
            """)
        defer { haproxy.stop() }
        let dir = haproxy.directory.path
        let config = "\(dir)/servers.json"
        try """
            { "haproxy": { "socket": "\(haproxy.socketPath)" },
              "backends": { "pool": { "servers": {
                "a": { "active": true, "always_up": true },
                "b": { "active": false, "warmup_url": "http://\(app.address)/warm" } } } } }
            """.write(toFile: config, atomically: true, encoding: .utf8)

        let table = try CLI.run(["servers", "--config", config])
        #expect(table.code == 0, "\(table.err)")
        #expect(table.out.contains("always_up") && table.out.contains("spare") && table.out.contains("maint"))
        #expect(table.out.contains("no drift: HAProxy matches the inventory"), "\(table.out)")

        let dry = try CLI.run(["enable", "--config", config, "--dry-run", "pool/b"])
        #expect(dry.code == 0)
        #expect(dry.out.contains("would send: set weight pool/b 1"))
        #expect(dry.out.contains("would send: set server pool/b state ready"))
        #expect(app.requests.isEmpty, "a dry run sends nothing, not even the warm-up")

        let up = try CLI.run(["enable", "--config", config, "pool/b"])
        #expect(up.code == 0, "\(up.err)")
        #expect(app.requests.map(\.path) == ["/warm"])
        let after = try CLI.run(["servers", "--config", config, "pool"])
        let rows: [[Substring]] = after.out.split(separator: "\n").map { $0.split(separator: " ") }
        let rowB: [Substring]? = rows.first { (cells: [Substring]) -> Bool in cells.count > 2 && cells[0] == "pool" && cells[1] == "b" }
        #expect(rowB?[2] == "ready", "\(after.out)")
        #expect(after.out.contains("  pool/b: the inventory has it spare, HAProxy has it in service"), "one drift line per server: \(after.out)")

        let refused = try CLI.run(["disable", "--config", config, "pool/a"])
        #expect(refused.code == 3, "always_up is refused with exit code 3: \(refused.err)")
        let down = try CLI.run(["disable", "--config", config, "--drain-timeout", "5", "pool/b"])
        #expect(down.code == 0, "\(down.err)")
        #expect(down.out.contains("send: set server pool/b state maint"))
        let last = try CLI.run(["disable", "--socket", haproxy.socketPath, "--config", "/nonexistent.json", "pool/a"])
        #expect(last.code == 3, "the last server in service is refused: \(last.err)")

        let inject = try CLI.run(["enable", "--config", config, "pool/b;shutdown"])
        #expect(inject.code == 64)
        #expect(inject.err.contains("invalid name"))
        let noSocket = try CLI.run(["servers", "--socket", "\(dir)/missing.sock", "--config", "/nonexistent.json"])
        #expect(noSocket.code == 2 && noSocket.err.contains("stats socket"))
    }

    @Test func theOriginalScriptsFormRunsTheDaemon() throws {
        // `hascale LOGFILE`: `run` is the default subcommand, the log its argument.
        let scenario = try AutoscaleScenario(policy: "{}")
        defer { scenario.stop() }
        let other = scenario.haproxy.directory.appendingPathComponent("other.log").path
        FileManager.default.createFile(atPath: other, contents: nil)
        let hascale = try ChildProcess(CLI.binary, ["--config", scenario.inventoryPath, "--log-target", "stderr", other])
        defer { hascale.terminate() }
        try hascale.waitForLine("the daemon to follow the log given as its argument", timeout: 30) { $0.contains("following \(other)") }
        try hascale.waitForLine("the daemon to be ready", timeout: 30) { $0.contains("ready: app: 1/4 up") }
        #expect(hascale.terminate() == 0, "\(hascale.output.suffix(5))")
        // Without an inventory it refuses to start and says where the example is.
        let r = try CLI.run(["--config", "/nonexistent/servers.json", "/var/log/haproxy.log"])
        #expect(r.code == 64)
        #expect(r.err.contains("/nonexistent/servers.json: cannot read the file: no such file; copy examples/servers.json there"), "\(r.err)")
    }

    @Test func followPrintsRequestsLiveAcrossARotation() throws {
        let dir = try HAProxyProcess.makeTemporaryDirectory("hascale-follow")
        let log = dir.appendingPathComponent("haproxy.log").path
        func line(_ n: Int) -> String {
            "<134>Nov 22 21:10:58 haproxy[1]: 127.0.0.1:\(n) [22/Nov/2026:21:10:58.882] fe be/s1 0/0/1/\(n)/41 200 10 - - ---- 1/1/1/1/0 0/0 \"GET / HTTP/1.1\"\n"
        }
        try line(1).write(toFile: log, atomically: false, encoding: .utf8)
        let follow = try ChildProcess(CLI.binary, ["follow", "--json", log])
        defer { follow.terminate() }
        try follow.waitForLine("the follower to start at the end", timeout: 10) { $0.contains("following \(log) from its end") }
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        h.seekToEndOfFile()
        h.write(Data((line(2) + "garbage\n").utf8))
        try h.close()
        try follow.waitForLine("request 2", timeout: 10) { $0.contains("\"Tr\":2") }
        // Rotation: rename, then a new file at the path.
        #expect(rename(log, log + ".1") == 0)
        try line(3).write(toFile: log, atomically: false, encoding: .utf8)
        try follow.waitForLine("request 3 from the new file", timeout: 10) { $0.contains("\"Tr\":3") }
        let out = follow.output
        #expect(!out.contains { $0.contains("\"Tr\":1") }, "started at the end")
        #expect(out.contains { $0.contains("skipped a line: not_a_request_log") })
        #expect(out.contains { $0.contains("rotation") })
        #expect(out.filter { $0.hasPrefix("{") }.count == 2, "\(out)")
    }
}
