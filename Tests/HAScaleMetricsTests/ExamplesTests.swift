import Foundation
@testable import HAScaleMetrics
import Testing

/// The shipped dashboard and alert rules ask only for what hascale exports, and
/// Prometheus' own linter accepts the exposition.
@Suite("Dashboard, alert rules and promtool")
struct ExamplesTests {
    static let root = "/" + #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
    static let families = Set(PrometheusExpositionTests.families(PrometheusExpositionTests.render(SnapshotFixture.make())).keys)

    /// Every `hascale_…` name in `text`.
    static func names(_ text: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: "hascale_[a-z_]+")
        let range = NSRange(text.startIndex..., in: text)
        return Set(regex.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }

    @Test(arguments: ["examples/grafana/hascale.json", "examples/prometheus/hascale-rules.yml", "examples/prometheus/hascale-rules.test.yml"])
    func asksOnlyForExportedFamilies(file: String) throws {
        let text = try String(contentsOfFile: "\(Self.root)/\(file)", encoding: .utf8)
        let used = Self.names(text).subtracting(["hascale_rules"])
        #expect(!used.isEmpty)
        #expect(used.subtracting(Self.families).isEmpty, "\(file) asks for \(used.subtracting(Self.families).sorted()), not exported")
    }

    @Test func theDashboardIsJSONWithThePanelsTheIssueAsksFor() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(Self.root)/examples/grafana/hascale.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let panels = try #require(root["panels"] as? [[String: Any]])
        let titles = panels.compactMap { $0["title"] as? String }
        for wanted in ["Pool: servers by state", "Metric against thresholds", "Decisions", "HAProxy: load on the backend"] {
            #expect(titles.contains(wanted), "\(titles)")
        }
        let exprs = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        #expect(exprs.contains { $0.contains("haproxy_backend_") }, "HAProxy's own exporter beside hascale's")
    }

    static func promtool(_ arguments: [String], stdin: [UInt8]? = nil, in directory: String? = nil) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/promtool")
        p.arguments = arguments
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin)) }
        try input.fileHandleForWriting.close()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }

    static var havePromtool: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool") }

    @Test func promtoolLintsTheExpositionClean() throws {
        try #require(Self.havePromtool, "promtool is missing: scripts/install-deps installs Debian's prometheus")
        let (code, said) = try Self.promtool(["check", "metrics"], stdin: PrometheusExposition.render(SnapshotFixture.make(), version: "0.1.0"))
        #expect(code == 0, "promtool: \(said)")
    }

    @Test func theRulesPassPromtoolAndTheirOwnUnitTests() throws {
        try #require(Self.havePromtool, "promtool is missing: scripts/install-deps installs Debian's prometheus")
        let dir = "\(Self.root)/examples/prometheus"
        let (checked, said) = try Self.promtool(["check", "rules", "hascale-rules.yml"], in: dir)
        #expect(checked == 0 && said.contains("SUCCESS: 2 rules found"), "\(said)")
        let (tested, report) = try Self.promtool(["test", "rules", "hascale-rules.test.yml"], in: dir)
        #expect(tested == 0, "\(report)")
    }
}
