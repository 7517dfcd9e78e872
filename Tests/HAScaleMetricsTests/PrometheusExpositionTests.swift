import HAProxyNames
@testable import HAScaleMetrics
@testable import HAScaleRuntime
import Testing

@Suite("Prometheus exposition of the loop's snapshot")
struct PrometheusExpositionTests {
    static func render(_ s: LoopSnapshot?, version: String = "0.1.0") -> String {
        String(decoding: PrometheusExposition.render(s, version: version), as: UTF8.self)
    }

    /// `name{labels} value` lines, keyed by the part before the value.
    static func samples(_ text: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            out[String(line[..<space])] = Double(line[line.index(after: space)...])
        }
        return out
    }

    static func families(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("# TYPE ") {
            let parts = line.split(separator: " ")
            out[String(parts[2])] = String(parts[3])
        }
        return out
    }

    @Test func theFamiliesAreExactlyTheDocumentedOnesWithUnitsInTheirNames() {
        let text = Self.render(SnapshotFixture.make())
        #expect(Self.families(text) == [
            "hascale_build_info": "gauge",
            "hascale_servers": "gauge",
            "hascale_max_active_servers": "gauge",
            "hascale_metric_seconds": "gauge",
            "hascale_threshold_seconds": "gauge",
            "hascale_server_metric_seconds": "gauge",
            "hascale_decisions_total": "counter",
            "hascale_actions_failed_total": "counter",
            "hascale_log_lines_total": "counter",
            "hascale_log_source_dropped_total": "counter",
            "hascale_log_lag_seconds": "gauge",
            "hascale_runtime_api_errors_total": "counter",
        ])
        // Every family has its help line.
        for family in Self.families(text).keys {
            #expect(text.contains("# HELP \(family) "), "\(family) has no HELP")
        }
    }

    @Test func valuesComeFromTheSnapshot() {
        let s = Self.samples(Self.render(SnapshotFixture.make()))
        let b = #"backend="app.v2:blue""#
        #expect(s[#"hascale_build_info{version="0.1.0"}"#] == 1)
        #expect(s["hascale_servers{\(b),state=\"serving\"}"] == 2)
        #expect(s["hascale_servers{\(b),state=\"spare\"}"] == 0, "s3 is spare but ejected")
        #expect(s["hascale_servers{\(b),state=\"ejected\"}"] == 1)
        #expect(s["hascale_servers{\(b),state=\"warming\"}"] == 1)
        #expect(s["hascale_servers{\(b),state=\"draining\"}"] == 0)
        #expect(s["hascale_servers{\(b),state=\"down\"}"] == 0)
        #expect(s["hascale_max_active_servers{\(b)}"] == 3)
        // Milliseconds in the snapshot, seconds (the base unit) in the exposition.
        #expect(s["hascale_metric_seconds{\(b)}"] == 0.2125)
        #expect(s["hascale_threshold_seconds{\(b),direction=\"up\"}"] == 0.5)
        #expect(s["hascale_threshold_seconds{\(b),direction=\"down\"}"] == 0.25)
        #expect(s["hascale_server_metric_seconds{\(b),server=\"s2\"}"] == 0.24525)
        #expect(s["hascale_server_metric_seconds{\(b),server=\"s3\"}"] == nil, "no series for a server that does not serve")
        #expect(s["hascale_decisions_total{\(b),kind=\"up\"}"] == 3)
        #expect(s["hascale_decisions_total{\(b),kind=\"held_cooldown\"}"] == 7)
        #expect(s["hascale_actions_failed_total{\(b),kind=\"up\"}"] == 1)
        #expect(s[#"hascale_log_lines_total{result="parsed"}"#] == 900)
        #expect(s[#"hascale_log_lines_total{result="unmanaged"}"#] == 60)
        #expect(s[#"hascale_log_lines_total{result="rejected"}"#] == 40)
        #expect(s["hascale_log_source_dropped_total"] == 5)
        #expect(s["hascale_log_lag_seconds"] == 0.75)
        #expect(s["hascale_runtime_api_errors_total"] == 2)
    }

    @Test func everyKindIsThereFromZeroSoRatesWorkFromTheFirstScrape() {
        let s = Self.samples(Self.render(SnapshotFixture.make()))
        for kind in DecisionKind.allCases {
            #expect(s["hascale_decisions_total{backend=\"app.v2:blue\",kind=\"\(kind.rawValue)\"}"] != nil, "\(kind)")
        }
        #expect(s[#"hascale_decisions_total{backend="app.v2:blue",kind="replaced"}"#] == 0)
        #expect(s.keys.filter { $0.hasPrefix("hascale_actions_failed_total") }.count == DecisionKind.actions.count)
    }

    @Test func valuesNotKnownYetHaveNoSeries() {
        let s = Self.samples(Self.render(SnapshotFixture.make(metricMs: nil, lag: nil)))
        #expect(!s.keys.contains { $0.hasPrefix("hascale_metric_seconds") })
        #expect(s["hascale_log_lag_seconds"] == nil)
        #expect(s[#"hascale_threshold_seconds{backend="app.v2:blue",direction="up"}"#] == 0.5)
    }

    @Test func beforeTheFirstSnapshotOnlyTheBuildIsShown() {
        let text = Self.render(nil)
        #expect(Self.families(text) == ["hascale_build_info": "gauge"])
    }

    @Test func labelValuesAreEscaped() {
        // Backend and server names cannot hold these (ProxyName refuses them); a label
        // that could is still escaped by the registry as the format requires.
        let text = Self.render(nil, version: "1.0 \"rc\\1\"\nx")
        #expect(text.contains(#"hascale_build_info{version="1.0 \"rc\\1\"\nx"}"#), "\(text)")
        #expect(throws: InvalidProxyName.self) { try ProxyName("app\"} 1\nhascale_x") }
    }

    @Test func severalNodesHaveTheirRequestsAndStepEach() throws {
        var snapshot = SnapshotFixture.make()
        snapshot.nodes = [LoopSnapshot.Node(name: try ProxyName("lb1"), requests: 700, lastRequestSeconds: 0.1, outOfStep: nil),
                          LoopSnapshot.Node(name: try ProxyName("lb2"), requests: 190, lastRequestSeconds: 31, outOfStep: "it does not answer")]
        snapshot.unattributedRequests = 10
        let text = Self.render(snapshot)
        let s = Self.samples(text)
        #expect(s[#"hascale_node_log_requests_total{node="lb1"}"#] == 700)
        #expect(s[#"hascale_node_log_requests_total{node="lb2"}"#] == 190)
        #expect(s[#"hascale_node_log_requests_total{node=""}"#] == 10)
        #expect(s[#"hascale_node_in_step{node="lb1"}"#] == 1)
        #expect(s[#"hascale_node_in_step{node="lb2"}"#] == 0)
        #expect(Self.families(text)["hascale_node_log_requests_total"] == "counter")
        #expect(Self.families(text)["hascale_node_in_step"] == "gauge")
        #expect(Self.families(Self.render(SnapshotFixture.make()))["hascale_node_in_step"] == nil, "one node: no node families")
    }
}
