import Foundation
import HAScaleTestKit
import Testing

/// `hascale check-config` as an operator runs it after an edit: every mistake
/// at once, one `FILE:LINE: FIELD: message` per line, exit code 1.
@Suite("hascale check-config")
struct CheckConfigTests {
    static let good = """
        {
          "backends": {
            "app": {
              "policy": { "min_active": 1 },
              "servers": {
                "s1": { "active": true, "always_up": true },
                "s2": { "active": false, "warmup_url": "http://127.0.0.1:1234/" }
              }
            }
          }
        }
        """

    /// Three independent mistakes, on lines 4, 6 and 7.
    static let bad = good
        .replacingOccurrences(of: "\"min_active\": 1", with: "\"min_active\": 1, \"cooldown\": 5")
        .replacingOccurrences(of: "\"always_up\": true", with: "\"always_up\": \"yes\"")
        .replacingOccurrences(of: "http://127.0.0.1:1234/", with: "127.0.0.1:1234")

    static func files() throws -> (good: String, bad: String) {
        let dir = try HAProxyProcess.makeTemporaryDirectory("hascale-check").path
        let good = "\(dir)/good.json", bad = "\(dir)/bad.json"
        try Self.good.write(toFile: good, atomically: true, encoding: .utf8)
        try Self.bad.write(toFile: bad, atomically: true, encoding: .utf8)
        return (good, bad)
    }

    @Test func aBadFileGetsEveryErrorOnePerLine() throws {
        let (_, bad) = try Self.files()
        let r = try CLI.run(["check-config", "--config", bad])
        #expect(r.code == 1, "\(r.err)")
        #expect(r.out.isEmpty, "\(r.out)")
        let lines = r.err.split(separator: "\n").map(String.init)
        #expect(lines == [
            "\(bad):4: backends.app.policy.cooldown: unknown key (allowed here: aggregate, drain_timeout_seconds, max_active, metric, min_active, outliers, ramp_seconds, resync_seconds, scale_down, scale_up, sizing, warmup, window_requests, window_seconds)",
            "\(bad):6: backends.app.servers.s1.always_up: must be true or false, not a string",
            "\(bad):7: backends.app.servers.s2.warmup_url: \"127.0.0.1:1234\" is not an http:// or https:// URL with a host: it does not start with http:// or https://",
        ], "\(r.err)")
    }

    @Test func aGoodFileIsOKGivenEitherWay() throws {
        let (good, _) = try Self.files()
        for args in [["check-config", good], ["check-config", "--config", good], ["check-config", "--config", good, good]] {
            let r = try CLI.run(args)
            #expect(r.code == 0, "\(args): \(r.err)")
            #expect(r.out.hasPrefix("OK \(good)\n  app: 2 servers, 1 active at start"), "\(args): \(r.out)")
        }
    }

    @Test func aLeaderAddressIsNamed() throws {
        let (good, _) = try Self.files()
        let paired = good.replacingOccurrences(of: "good.json", with: "paired.json")
        try Self.good.replacingOccurrences(of: "  \"backends\"", with: "  \"leader\": { \"vrrp_address\": \"10.0.0.100\" },\n  \"backends\"")
            .write(toFile: paired, atomically: true, encoding: .utf8)
        let r = try CLI.run(["check-config", paired])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.hasPrefix("OK \(paired)\n  leader: acts only while this host holds 10.0.0.100 (keepalived's VRRP); standby otherwise\n  app: "), "\(r.out)")
    }

    @Test func twoDifferentFilesAreAUsageError() throws {
        let (good, bad) = try Self.files()
        let r = try CLI.run(["check-config", "--config", good, bad])
        #expect(r.code == 64, "\(r.err)")
        #expect(r.err.contains("name two files"), "\(r.err)")
    }

    @Test func aMissingFileSaysWhatToDo() throws {
        let r = try CLI.run(["check-config", "--config", "/nonexistent/servers.json"])
        #expect(r.code == 1)
        #expect(r.err == "/nonexistent/servers.json: cannot read the file: no such file; copy examples/servers.json there and edit it, or give --config\n", "\(r.err)")
    }
}
