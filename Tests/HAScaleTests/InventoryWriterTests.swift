import HAProxyNames
import HAScale
import Testing

/// `InventoryWriter` must write exactly what `InventoryLoader` reads: the same keys,
/// and the values that read back as the inventory that was written.
@Suite("Inventory writing")
struct InventoryWriterTests {
    static func name(_ s: String) -> ProxyName { try! ProxyName(s) }

    /// Every policy field away from its default, the optional ones set: a field the
    /// writer left out, or wrote under a key the loader does not read, would come back
    /// as the default or be refused.
    static var everyFieldSet: Inventory.Policy {
        var p = Inventory.Policy()
        p.metric = .Ta
        p.aggregate = .p95
        p.windowRequests = 40
        p.windowSeconds = 12.5
        p.scaleUpThresholdMs = 321.5
        p.scaleUpBreaches = 4
        p.scaleUpCooldownSeconds = 7
        p.scaleUpStep = 2
        p.sizing = .step
        p.scaleUpHeadroom = 0.35
        p.scaleUpMaxStep = 5
        p.scaleDownMaxStep = 3
        p.scaleDownThresholdMs = 99.25
        p.scaleDownAfterSeconds = 120
        p.minActive = 2
        p.maxActive = 3
        p.resyncSeconds = 11
        p.warmupTimeoutSeconds = 0.75
        p.warmupAttempts = 6
        p.warmupBackoffSeconds = 0.05
        p.drainTimeoutSeconds = 45
        p.rampSeconds = 20
        p.scaleDownMaxErrorRate = 0.125
        p.outliers.mode = .detect
        p.outliers.consecutive = 5
        p.outliers.factor = 2.5
        p.outliers.minRequests = 30
        p.outliers.errorRate = 0.4
        p.outliers.maxEjected = 2
        p.outliers.ejectionSeconds = 600
        return p
    }

    @Test func everyPolicyFieldReadsBackAsWritten() throws {
        let inv = Inventory(socket: "ipv4@127.0.0.1:9999", log: "/var/log/haproxy.log", backends: [
            .init(name: Self.name("app"), policy: Self.everyFieldSet, servers: [
                .init(name: Self.name("a"), active: true, alwaysUp: true, warmupURL: "http://[::1]:8080/health?x=1", weight: 7, priority: -3),
                .init(name: Self.name("b"), active: false, warmupURL: "https://b.example:8443/"),
                .init(name: Self.name("c"), active: true, priority: 12),
            ]),
        ])
        #expect(Self.everyFieldSet != Inventory.Policy(), "the fixture must differ from the defaults everywhere it is compared")
        let text = InventoryWriter.render(inv)
        #expect(try InventoryLoader.parse(text, file: "written.json") == inv, "\(text)")
    }

    @Test func defaultsReadBackAsDefaultsAndAreSpelledOut() throws {
        let inv = Inventory(socket: nil, log: nil, backends: [
            .init(name: Self.name("web"), policy: Inventory.Policy(), servers: [.init(name: Self.name("w1"), active: false)]),
        ])
        let text = InventoryWriter.render(inv)
        #expect(try InventoryLoader.parse(text, file: "written.json") == inv, "\(text)")
        for key in ["\"metric\": \"Tr\"", "\"window_requests\": 15", "\"threshold_ms\": 500", "\"headroom\": 0.2",
                    "\"max_error_rate\": 0.05", "\"backoff_seconds\": 0.5", "\"mode\": \"eject\"", "\"ejection_seconds\": 300"] {
            #expect(text.contains(key), "\(key) in \(text)")
        }
        // Derived defaults stay derived: a number written there would freeze it.
        #expect(!text.contains("max_active") && !text.contains("max_ejected"), "\(text)")
        let up = try #require(text.split(separator: "\n").first { $0.contains("\"scale_up\"") })
        let down = try #require(text.split(separator: "\n").first { $0.contains("\"scale_down\"") })
        #expect(!up.contains("max_step") && !down.contains("threshold_ms"), "\(up)\n\(down)")
        #expect(!text.contains("haproxy") && !text.contains("\"log\""), "no socket or log given, none written: \(text)")
    }

    /// The layout operators read: two-space indents, `haproxy`, `log`, `backends`;
    /// `policy` before `servers`; objects of plain values on one line when it stays within 100
    /// columns (`scale_up` does not); a final newline.
    @Test func layout() {
        var policy = Inventory.Policy()
        policy.maxActive = 2
        let inv = Inventory(socket: "/run/haproxy/admin.sock", log: "journal:haproxy.service", backends: [
            .init(name: Self.name("app"), policy: policy, servers: [
                .init(name: Self.name("s1"), active: true, warmupURL: "http://127.0.0.1:8081/", weight: 5),
                .init(name: Self.name("s2"), active: false, warmupURL: "http://[::1]:8082/"),
            ]),
        ])
        #expect(InventoryWriter.render(inv) == """
            {
              "haproxy": { "socket": "/run/haproxy/admin.sock" },
              "log": "journal:haproxy.service",
              "backends": {
                "app": {
                  "policy": {
                    "min_active": 1,
                    "max_active": 2,
                    "metric": "Tr",
                    "aggregate": "mean",
                    "window_requests": 15,
                    "window_seconds": 0,
                    "sizing": "model",
                    "scale_up": {
                      "threshold_ms": 500,
                      "breaches": 3,
                      "cooldown_seconds": 10,
                      "step": 1,
                      "headroom": 0.2
                    },
                    "scale_down": { "after_seconds": 300, "max_error_rate": 0.05, "max_step": 1 },
                    "warmup": { "timeout_seconds": 5, "attempts": 3, "backoff_seconds": 0.5 },
                    "drain_timeout_seconds": 60,
                    "ramp_seconds": 0,
                    "resync_seconds": 30,
                    "outliers": {
                      "mode": "eject",
                      "consecutive": 3,
                      "factor": 3,
                      "min_requests": 20,
                      "error_rate": 0.5,
                      "ejection_seconds": 300
                    }
                  },
                  "servers": {
                    "s1": { "active": true, "warmup_url": "http://127.0.0.1:8081/", "weight": 5 },
                    "s2": { "active": false, "warmup_url": "http://[::1]:8082/" }
                  }
                }
              }
            }

            """)
    }

    @Test func stringsAreEscaped() throws {
        let socket = "/tmp/a \"quoted\" back\\slash\ttab\u{1}.sock"
        let inv = Inventory(socket: socket, log: "/var/log/ünïcode.log", backends: [
            .init(name: Self.name("b"), policy: Inventory.Policy(), servers: [.init(name: Self.name("s"), active: true)]),
        ])
        let text = InventoryWriter.render(inv)
        #expect(text.contains(#""/tmp/a \"quoted\" back\\slash\ttab\u0001.sock""#), "\(text)")
        #expect(try InventoryLoader.parse(text, file: "written.json") == inv)
    }
}
