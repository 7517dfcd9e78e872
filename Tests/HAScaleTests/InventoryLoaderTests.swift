import HAProxySocket
import HAScale
import Testing

@Suite("Inventory loading")
struct InventoryLoaderTests {
    static let good = """
        {
          "haproxy": { "socket": "/run/haproxy/admin.sock" },
          "backends": {
            "app1": {
              "policy": { "min_active": 1, "max_active": 2, "scale_up": { "threshold_ms": 400 } },
              "servers": {
                "server1": { "active": true, "always_up": true, "warmup_url": "http://127.0.0.1:1234/", "weight": 10 },
                "server2": { "active": false, "warmup_url": "http://127.0.0.1:1235/" }
              }
            }
          }
        }
        """

    @Test func exampleFileLoads() throws {
        let inv = try InventoryLoader.parse(Self.good, file: "servers.json")
        let app = try #require(inv.backend(named: "app1"))
        #expect(app.servers.map(\.name.value) == ["server1", "server2"])
        #expect(app.servers[0].alwaysUp && app.servers[0].weight == 10)
        #expect(app.servers[1].weight == nil)
        #expect(app.policy.scaleUpThresholdMs == 400)
        #expect(app.policy.effectiveScaleDownThresholdMs == 200)
        #expect(app.policy.maxActive == 2)
    }

    @Test func shippedExampleIsValid() throws {
        let root = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
        _ = try InventoryLoader.load(path: "/\(root)/examples/servers.json")
    }

    @Test(arguments: [
        // (edit, line, path fragment, message fragment)
        ("\"weight\": 10", "\"weight\": \"10\"", 7, "backends.app1.servers.server1.weight", "whole number"),
        ("\"server2\"", "\"server;2\"", 8, "backends.app1.servers.server;2", "not a name HAProxy accepts"),
        ("\"server2\"", "\"server 2\"", 8, "backends.app1.servers.server 2", "not a name"),
        ("\"always_up\": true,", "\"always_up\": true, \"alwys\": 1,", 7, "backends.app1.servers.server1.alwys", "unknown key"),
        ("http://127.0.0.1:1235/", "ftp://x/", 8, "warmup_url", "not an http"),
        ("\"min_active\": 1", "\"min_active\": 3", 5, "min_active", "only 2 server"),
        ("\"threshold_ms\": 400 }", "\"threshold_ms\": 400 }, \"scale_down\": { \"threshold_ms\": 500 }", 5, "scale_down.threshold_ms", "flap"),
        ("\"active\": false,", "", 8, "server2.active", "is missing"),
        ("\"server2\": {", "\"server1\": {", 8, "", "duplicate key \"server1\""),
        ("\"weight\": 10 }", "\"weight\": 10, }", 7, "", "expected a key"),
    ] as [(String, String, Int, String, String)])
    func badFilesAreRefusedWithLineAndField(from: String, to: String, line: Int, path: String, message: String) {
        let text = Self.good.replacingOccurrences(of: from, with: to)
        #expect(text != Self.good)
        do {
            _ = try InventoryLoader.parse(text, file: "servers.json")
            Issue.record("accepted: \(to)")
        } catch {
            #expect(error.file == "servers.json")
            #expect(error.line == line, "\(error)")
            #expect(path.isEmpty || error.path.contains(path), "\(error)")
            #expect(error.description.contains(message), "\(error)")
        }
    }
}

@Suite("Inventory drift")
struct InventoryDriftTests {
    @Test func oneLinePerDisagreement() throws {
        let inv = try InventoryLoader.parse("""
            { "backends": {
                "app": { "servers": {
                  "s1": { "active": true, "always_up": true, "weight": 10 },
                  "s2": { "active": true },
                  "s3": { "active": false },
                  "s4": { "active": false } } },
                "gone": { "servers": { "x": { "active": true, "always_up": true } } } } }
            """, file: "servers.json")
        func row(_ s: String, admin: Int, weight: Int) -> ServerStateRow {
            ServerStateRow(backend: "app", server: s, address: "127.0.0.1", operational: .running, adminBits: admin, weight: weight, initialWeight: 10)
        }
        let rows = [row("s1", admin: 0, weight: 5), row("s2", admin: 1, weight: 10), row("s3", admin: 0, weight: 10), row("extra", admin: 0, weight: 1)]
        let lines = InventoryDrift.report(inv, rows)
        #expect(lines == [
            "app/s1: weight 5 in HAProxy, 10 in the inventory",
            "app/s2: the inventory has it active, HAProxy has it in maint; `hascale run` brings it up at start",
            "app/s3: the inventory has it spare, HAProxy has it in service; `hascale run` takes it down at start unless the pool would shrink below min_active",
            "app/s4: in the inventory, not in HAProxy; add it to haproxy.cfg or remove it from the inventory",
            "app/extra: in HAProxy, not in the inventory; hascale leaves it alone",
            "gone: in the inventory, but HAProxy has no such backend (check haproxy.cfg)",
        ], "\(lines)")
        #expect(InventoryDrift.report(inv, rows.filter { $0.server == "zzz" }).count == 2, "both backends missing")
    }
}
