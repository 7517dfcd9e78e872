import Foundation
import HAProxyNames
import HAProxySocket
import HAScaleTestKit
import Testing

/// `hascale doctor` against a real HAProxy: a sound setup passes, and each broken
/// one is named with its fix.
@Suite("hascale doctor", .serialized)
struct DoctorCommandTests {
    final class Setup {
        let app: HTTPTestBackend
        let haproxy: HAProxyProcess
        let dir: URL
        let log: String, inventory: String, unit: String, userSocket: String
        let port: Int

        init() throws {
            app = try HTTPTestBackend(name: "s1", behaviour: .ok())
            port = try FreePort.next()
            dir = try HAProxyProcess.makeTemporaryDirectory("hascale-doctor")
            log = dir.appendingPathComponent("haproxy.log").path
            inventory = dir.appendingPathComponent("servers.json").path
            unit = dir.appendingPathComponent("hascale.service").path
            userSocket = dir.appendingPathComponent("user.sock").path
            haproxy = try HAProxyProcess(configBody: """
                frontend web
                  bind 127.0.0.1:\(port)
                  default_backend app
                backend app
                  server s1 \(app.address)
                  server s2 127.0.0.1:9 disabled
                """, logFile: log, directory: dir, extraGlobal: "stats socket \(userSocket) mode 660 level user")
            try """
                { "haproxy": { "socket": "\(haproxy.socketPath)" }, "log": "\(log)",
                  "backends": { "app": { "servers": { "s1": { "active": true }, "s2": { "active": false } } } } }
                """.write(toFile: inventory, atomically: true, encoding: .utf8)
            // The service's user: in the haproxy and adm groups, as the shipped unit says.
            try "[Service]\nDynamicUser=yes\nSupplementaryGroups=haproxy adm\n".write(toFile: unit, atomically: true, encoding: .utf8)
            let haproxyGroup = try #require(getgrnam("haproxy"), "Debian's haproxy package makes the haproxy group").pointee.gr_gid
            chmod(dir.path, 0o755)
            for f in [log, inventory, haproxy.socketPath, userSocket] {
                chown(f, uid_t.max, haproxyGroup)
                chmod(f, 0o640)
            }
            chmod(haproxy.socketPath, 0o660)
            for i in 0..<5 { #expect(HTTPGet.get(port: port, path: "/d\(i)")?.status == 200) }
            _ = try haproxy.waitForLines("five request lines in the log", { $0.filter { $0.contains("GET /d") }.count >= 5 })
            try waitUntil(10, "the request lines in \(log)") {
                ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").components(separatedBy: "GET /d").count > 5
            }
        }

        func doctor(_ extra: [String] = []) throws -> (code: Int32, out: String) {
            let r = try CLI.run(["doctor", "--config", inventory, "--unit-file", unit, "--wait", "0.3"] + extra)
            return (r.code, r.out + r.err)
        }

        func stop() {
            haproxy.stop()
            app.shutdown()
        }
    }

    static func line(_ out: String, _ check: String) -> String {
        out.split(separator: "\n").first { $0.dropFirst(5).hasPrefix("\(check):") }.map(String.init) ?? "(no \(check) line in:\n\(out))"
    }

    @Test func aSoundSetupPassesEveryCheck() throws {
        let s = try Setup()
        defer { s.stop() }
        let r = try s.doctor()
        #expect(r.code == 0, "\(r.out)")
        #expect(r.out.contains("all checks passed"))
        #expect(Self.line(r.out, "socket").hasPrefix("ok   socket: \(s.haproxy.socketPath) answers at level admin"))
        #expect(Self.line(r.out, "log").contains("5 request lines"), "\(r.out)")
        #expect(Self.line(r.out, "drift").hasPrefix("ok"))
        #expect(Self.line(r.out, "permissions").hasPrefix("ok"))
    }

    @Test func eachBrokenSetupIsNamedWithItsFix() throws {
        let s = try Setup()
        defer { s.stop() }

        let noSocket = try s.doctor(["--socket", s.dir.appendingPathComponent("missing.sock").path])
        #expect(noSocket.code == 1)
        #expect(Self.line(noSocket.out, "socket").hasPrefix("FAIL socket:") && noSocket.out.contains("missing.sock"), "\(noSocket.out)")
        #expect(noSocket.out.contains("level admin"), "the fix names the stats socket line")

        let user = try s.doctor(["--socket", s.userSocket])
        #expect(user.code == 1)
        #expect(Self.line(user.out, "socket").contains("answers at level user"), "\(user.out)")

        // A log of HAProxy's own messages only: `option httplog` is missing.
        let plain = s.dir.appendingPathComponent("plain.log").path
        try "Proxy web started.\nProxy app started.\n".write(toFile: plain, atomically: true, encoding: .utf8)
        chmod(plain, 0o644)
        let noHTTPLog = try s.doctor(["--log", plain])
        #expect(noHTTPLog.code == 1)
        #expect(Self.line(noHTTPLog.out, "log").contains("none an `option httplog` request"), "\(noHTTPLog.out)")
        #expect(noHTTPLog.out.contains("put `option httplog` in the frontend"))

        // A log only its owner reads: the service's user cannot.
        chmod(s.log, 0o600)
        let unreadable = try s.doctor()
        #expect(unreadable.code == 1)
        #expect(Self.line(unreadable.out, "permissions").contains("\(s.log) (mode 600"), "\(unreadable.out)")

        // The inventory and HAProxy disagree: s2 is up in HAProxy.
        chmod(s.log, 0o640)
        _ = try RuntimeAPIClient(address: .unix(path: s.haproxy.socketPath)).send(.setServerState(try ServerRef(parsing: "app/s2"), .ready))
        let drift = try s.doctor()
        #expect(Self.line(drift.out, "drift").hasPrefix("FAIL drift:") && drift.out.contains("s2"), "\(drift.out)")
    }

    /// journald's own notice that it dropped HAProxy's messages fails the journald check.
    @Test func journaldRateLimitingIsNamed() throws {
        let journald = try JournaldProcess()
        defer { journald.stop() }
        let s = try Setup()
        defer { s.stop() }
        // A unit of its own per run: the journal keeps earlier runs' notices for a day.
        let unit = "doctor-test-\(UInt32.random(in: 0...UInt32.max)).service"
        let clean = try s.doctor(["--log", "journal:\(unit)"])
        #expect(Self.line(clean.out, "journald").hasPrefix("ok   journald: no message of \(unit) suppressed"), "\(clean.out)")
        try JournalNative.send(["MESSAGE_ID": "a596d6fe7bfa4994828e72309e95d61e", "MESSAGE": "Suppressed 777 messages from \(unit)", "N_DROPPED": "777"])
        var limited = (code: Int32(0), out: "")
        try waitUntil(10, "journald to store the notice and doctor to see it") {
            limited = (try? s.doctor(["--log", "journal:\(unit)"])) ?? limited
            return Self.line(limited.out, "journald").hasPrefix("FAIL")
        }
        #expect(limited.code == 1)
        #expect(Self.line(limited.out, "journald").contains("suppressed 777 messages of \(unit)"), "\(limited.out)")
        #expect(limited.out.contains("RateLimitBurst") && limited.out.contains("udp://127.0.0.1:5140"))
    }
}
