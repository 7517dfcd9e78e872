import Foundation

/// A real Prometheus server (Debian's `prometheus`) on 127.0.0.1, scraping one
/// target every second into a throw-away TSDB, for tests that check what a
/// dashboard would see: its HTTP query API and its rules' health.
public final class PrometheusProcess: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static let binary = "/usr/bin/prometheus"
    public let port: Int
    public let directory: URL
    private let child: ChildProcess

    /// Starts it and waits (at most `timeout` seconds) until `/-/ready` answers 200.
    public init(scraping target: String, ruleFiles: [String] = [], timeout: TimeInterval = 30) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw Failure(description: "\(Self.binary) is missing: scripts/install-deps installs Debian's prometheus")
        }
        directory = try HAProxyProcess.makeTemporaryDirectory("hascale-prometheus")
        port = try FreePort.next()
        let rules = ruleFiles.isEmpty ? "" : "rule_files:\n" + ruleFiles.map { "  - \"\($0)\"\n" }.joined()
        let config = directory.appendingPathComponent("prometheus.yml")
        try """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            \(rules)scrape_configs:
              - job_name: hascale
                static_configs:
                  - targets: ["\(target)"]
            """.write(to: config, atomically: true, encoding: .utf8)
        child = try ChildProcess(Self.binary, [
            "--config.file=\(config.path)", "--storage.tsdb.path=\(directory.appendingPathComponent("data").path)",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ])
        let deadline = Date().addingTimeInterval(timeout)
        while (try? HTTPProbe.request(port: port, path: "/-/ready", timeout: 1))?.status != 200 {
            guard child.process.isRunning else {
                throw Failure(description: "prometheus exited (status \(child.process.terminationStatus)):\n" + child.output.suffix(20).joined(separator: "\n"))
            }
            guard Date() < deadline else {
                stop()
                throw Failure(description: "prometheus was not ready within \(timeout) s:\n" + child.output.suffix(20).joined(separator: "\n"))
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    /// An instant query: each series' labels and value.
    public func query(_ promql: String) throws -> [(labels: [String: String], value: Double)] {
        let data = try api("/api/v1/query?query=" + (promql.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? promql))
        guard let result = data["result"] as? [[String: Any]] else { throw Failure(description: "no result for \(promql): \(data)") }
        return result.compactMap { series in
            guard let labels = series["metric"] as? [String: String], let pair = series["value"] as? [Any],
                  pair.count == 2, let text = pair[1] as? String, let value = Double(text) else { return nil }
            return (labels, value)
        }
    }

    /// Every loaded rule's name and health (`ok`, `err`, `unknown` before its first evaluation).
    public func ruleHealth() throws -> [String: String] {
        let data = try api("/api/v1/rules")
        var out: [String: String] = [:]
        for group in data["groups"] as? [[String: Any]] ?? [] {
            for rule in group["rules"] as? [[String: Any]] ?? [] {
                if let name = rule["name"] as? String { out[name] = rule["health"] as? String ?? "?" }
            }
        }
        return out
    }

    private func api(_ path: String) throws -> [String: Any] {
        let r = try HTTPProbe.request(port: port, path: path, timeout: 5)
        guard r.status == 200, let root = try JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any],
              root["status"] as? String == "success", let data = root["data"] as? [String: Any] else {
            throw Failure(description: "\(path): HTTP \(r.status): \(r.body.prefix(300))")
        }
        return data
    }

    /// What it said on its way (warnings and errors only).
    public var output: [String] { child.output }

    public func stop() {
        child.terminate()
        try? FileManager.default.removeItem(at: directory)
    }
}
