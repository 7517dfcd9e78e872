import Foundation
import HAScaleTestKit
import Testing

/// The shipped unit file, checked by systemd's own tools.
@Suite("systemd unit")
struct SystemdUnitTests {
    static let root = "/" + #filePath.split(separator: "/").dropLast(3).joined(separator: "/")

    static func analyze(_ args: [String]) throws -> (code: Int32, out: String) {
        let (code, out) = try ChildProcess.run("/usr/bin/systemd-analyze", args)
        return (code, out)
    }

    @Test func verifyPasses() throws {
        // The unit names /usr/bin/hascale, where the .deb installs it; point it at the built
        // binary so verify can check that the command exists and runs.
        let unit = try String(contentsOfFile: "\(Self.root)/systemd/hascale.service", encoding: .utf8)
            .replacingOccurrences(of: "/usr/bin/hascale", with: CLI.binary)
        let dir = NSTemporaryDirectory() + "hascale-unit-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try unit.write(toFile: "\(dir)/hascale.service", atomically: true, encoding: .utf8)
        let r = try Self.analyze(["verify", "\(dir)/hascale.service"])
        #expect(r.code == 0 && r.out.isEmpty, "systemd-analyze verify: \(r.out)")
    }

    @Test func securityExposureIsAtMostOnePointFive() throws {
        let r = try Self.analyze(["security", "--offline=true", "--no-pager", "\(Self.root)/systemd/hascale.service"])
        let line = try #require(r.out.split(separator: "\n").first { $0.contains("Overall exposure level") }, "\(r.out.suffix(500))")
        let score = try #require(line.split(separator: " ").compactMap { Double($0) }.first, "\(line)")
        #expect(score <= 1.5, "\(line)")
    }

    @Test func unitHasTheServiceManagerContract() throws {
        let unit = try String(contentsOfFile: "\(Self.root)/systemd/hascale.service", encoding: .utf8)
        // scripts/package installs the binary at /usr/bin/hascale.
        for needed in ["ExecStart=/usr/bin/hascale run ", "Type=notify", "WatchdogSec=", "Restart=on-failure", "ExecReload=/bin/kill -HUP $MAINPID", "DynamicUser=yes",
                       "SupplementaryGroups=haproxy adm", "ConfigurationDirectory=hascale", "CapabilityBoundingSet=\n",
                       "SystemCallFilter=@system-service", "RestrictAddressFamilies=AF_UNIX"] {
            #expect(unit.contains(needed), "missing \(needed)")
        }
    }
}
