import Foundation
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
        let text = try String(contentsOfFile: "/\(root)/examples/servers.json", encoding: .utf8)
        _ = try InventoryLoader.parse(text, file: "examples/servers.json")
    }

    /// What `parse` refused `text` for, or nil when it accepted it.
    static func rejection(_ text: String) -> InventoryRejection? {
        do {
            _ = try InventoryLoader.parse(text, file: "servers.json")
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        // (edit, line, path fragment, message fragment, kind); each is the file's only mistake.
        ("\"weight\": 10", "\"weight\": \"10\"", 7, "backends.app1.servers.server1.weight", "whole number", .invalid),
        ("\"server2\"", "\"server;2\"", 8, "backends.app1.servers.server;2", "not a name HAProxy accepts", .invalid),
        ("\"server2\"", "\"server 2\"", 8, "backends.app1.servers.server 2", "not a name", .invalid),
        ("\"always_up\": true,", "\"always_up\": true, \"alwys\": 1,", 7, "backends.app1.servers.server1.alwys", "unknown key", .invalid),
        ("http://127.0.0.1:1235/", "ftp://x/", 8, "warmup_url", "not an http", .invalid),
        ("\"min_active\": 1, \"max_active\": 2", "\"min_active\": 3, \"max_active\": 4", 5, "min_active", "only 2 server", .invalid),
        ("\"threshold_ms\": 400 }", "\"threshold_ms\": 400 }, \"scale_down\": { \"threshold_ms\": 500 }", 5, "scale_down.threshold_ms", "flap", .invalid),
        ("\"active\": false,", "", 8, "server2.active", "is missing", .invalid),
        ("\"/run/haproxy/admin.sock\"", "\"\"", 2, "haproxy.socket", "is empty", .invalid),
        ("\"server2\": {", "\"server1\": {", 8, "", "duplicate key \"server1\"", .syntax),
        ("\"weight\": 10 }", "\"weight\": 10, }", 7, "", "expected a key", .syntax),
        ("\"weight\": 10 }", "\"weight\": 010 }", 7, "", "write 10", .syntax),
    ] as [(String, String, Int, String, String, InventoryError.Kind)])
    func badFilesAreRefusedWithLineAndField(from: String, to: String, line: Int, path: String, message: String, kind: InventoryError.Kind) throws {
        let text = Self.good.replacingOccurrences(of: from, with: to)
        #expect(text != Self.good)
        let rejection = try #require(Self.rejection(text), "accepted: \(to)")
        #expect(rejection.errors.count == 1, "one mistake, one error: \(rejection)")
        let error = try #require(rejection.errors.first)
        #expect(error.kind == kind)
        #expect(error.file == "servers.json")
        #expect(error.line == line, "\(error)")
        #expect(path.isEmpty || error.path.contains(path), "\(error)")
        #expect(error.description.contains(message), "\(error)")
    }

    @Test func everyMistakeIsReportedInFileOrder() throws {
        let text = Self.good
            .replacingOccurrences(of: "\"max_active\": 2", with: "\"max_active\": \"two\"")
            .replacingOccurrences(of: "\"weight\": 10", with: "\"weight\": 0")
            .replacingOccurrences(of: "http://127.0.0.1:1235/", with: "127.0.0.1:1235")
        let rejection = try #require(Self.rejection(text))
        #expect(rejection.errors.map(\.kind) == [.invalid, .invalid, .invalid])
        #expect(rejection.description == """
            servers.json:5: backends.app1.policy.max_active: must be a whole number
            servers.json:7: backends.app1.servers.server1.weight: must be between 1 and 256
            servers.json:8: backends.app1.servers.server2.warmup_url: "127.0.0.1:1235" is not an http:// or https:// URL with a host: it does not start with http:// or https://
            """, "\(rejection)")
    }

    @Test func aMissingKeyIsSortedToItsParentsLine() throws {
        let rejection = try #require(Self.rejection("""
            { "backends": { "app": { "servers": {
                "s1": {
                  "weight": "heavy"
                },
                "s2": { "active": true, "colour": "red" } } } },
              "logs": "/var/log/haproxy.log" }
            """))
        #expect(rejection.errors.map(\.line) == [2, 3, 5, 6], "\(rejection)")
        #expect(rejection.errors.map(\.path) == [
            "backends.app.servers.s1.active", "backends.app.servers.s1.weight", "backends.app.servers.s2.colour", "logs",
        ], "\(rejection)")
    }

    @Test func checksAcrossFieldsStillRunBesideAnUnrelatedMistake() throws {
        let text = Self.good
            .replacingOccurrences(of: "\"min_active\": 1", with: "\"min_active\": 3")
            .replacingOccurrences(of: "\"threshold_ms\": 400 }", with: "\"threshold_ms\": 400 }, \"scale_down\": { \"threshold_ms\": 450 }, \"window_requests\": 0")
            .replacingOccurrences(of: "\"always_up\": true,", with: "\"always_up\": true, \"priority\": 1.5,")
            .replacingOccurrences(of: "\"server2\": { \"active\": false,", with: "\"server2\": { \"active\": false, \"always_up\": true,")
        let rejection = try #require(Self.rejection(text))
        #expect(rejection.errors.map(\.path) == [
            "backends.app1.policy.window_requests", "backends.app1.policy.min_active", "backends.app1.policy.max_active",
            "backends.app1.policy.scale_down.threshold_ms",
            "backends.app1.servers.server1.priority", "backends.app1.servers.server2.always_up",
        ], "\(rejection)")
        #expect(rejection.errors.map(\.line) == [5, 5, 5, 5, 7, 8])
    }

    @Test func aWrongFieldIsNotReportedAgainInOtherWords() throws {
        // min_active is unreadable: its comparison with the servers is skipped, not guessed.
        let text = Self.good.replacingOccurrences(of: "\"min_active\": 1", with: "\"min_active\": \"3\"")
        let rejection = try #require(Self.rejection(text))
        #expect(rejection.errors.map(\.path) == ["backends.app1.policy.min_active"], "\(rejection)")
    }

    @Test func aSyntaxErrorIsReportedAlone() throws {
        // The unknown key on line 7 is never reached: nothing after a syntax error can be read.
        let text = Self.good
            .replacingOccurrences(of: "\"always_up\": true,", with: "\"always_up\": true, \"alwys\": 1,")
            .replacingOccurrences(of: "\"http://127.0.0.1:1235/\"", with: "'http://127.0.0.1:1235/'")
        let rejection = try #require(Self.rejection(text))
        #expect(rejection.errors.count == 1)
        #expect(rejection.errors.first?.kind == .syntax)
        #expect(rejection.errors.first?.line == 8, "\(rejection)")
        #expect(rejection.description.hasPrefix("servers.json:8: expected a value"), "\(rejection)")
    }

    @Test func theSocketIsCheckedByTheGrammarPassedIn() throws {
        let text = Self.good.replacingOccurrences(of: "/run/haproxy/admin.sock", with: "ipv4@localhost:9999")
        #expect(Self.rejection(text) == nil, "alone, the core checks only that the path is not empty")
        do {
            _ = try InventoryLoader.parse(text, file: "servers.json", checkSocket: { $0.hasPrefix("/") ? nil : "\($0.debugDescription) is not a path" })
            Issue.record("accepted")
        } catch {
            #expect(error.description == #"servers.json:2: haproxy.socket: "ipv4@localhost:9999" is not a path"#)
        }
    }

    @Test func theRootMustBeAnObject() throws {
        let rejection = try #require(Self.rejection("[]"))
        #expect(rejection.description == "servers.json:1: must be an object, not an array")
    }

    @Test(arguments: [
        "http://127.0.0.1:1234/", "https://app.example.com", "http://[::1]:8080/warm?x=1",
        "http://user:pw@host/", "http://host:65535/a%20b", "http://h#frag", "http://web-1.internal_zone:80",
    ])
    func warmupURLsAccepted(url: String) throws {
        let text = Self.good.replacingOccurrences(of: "http://127.0.0.1:1235/", with: url)
        #expect(Self.rejection(text) == nil, "\(url)")
    }

    @Test(arguments: [
        ("ftp://x/", "does not start with http"), ("HTTP://host/", "does not start with http"), ("127.0.0.1:80", "does not start with http"),
        ("http://", "no host"), ("http:///path", "no host"), ("http://:80/", "no host"), ("http://user@/", "no host"),
        ("http://host:0/", "port"), ("http://host:65536/", "port"), ("http://host:/", "port"), ("http://host:8o/", "port"),
        ("http://ho st/", "percent-encode"), ("http://host/\u{E9}", "percent-encode"), ("http://host/a\"b", "percent-encode"),
        ("http://[::1/", "no closing ]"), ("http://[::1]x/", "only :PORT"), ("http://[]/", "IPv6"), ("http://[::g]/", "IPv6"),
        ("http://ho!st/", "host holds"),
    ])
    func warmupURLsRefused(url: String, reason: String) throws {
        let text = Self.good.replacingOccurrences(of: "\"http://127.0.0.1:1235/\"", with: String(reflecting: url))
        let rejection = try #require(Self.rejection(text), "accepted \(url)")
        #expect(rejection.errors.map(\.path) == ["backends.app1.servers.server2.warmup_url"], "\(rejection)")
        #expect(rejection.description.contains("is not an http:// or https:// URL with a host: "), "\(rejection)")
        #expect(rejection.description.contains(reason), "\(rejection)")
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
        func row(_ s: String, admin: ServerObservation.Admin, weight: Int) -> ServerObservation {
            ServerObservation(backend: "app", server: s, admin: admin, weight: weight)
        }
        let rows = [row("s1", admin: .ready, weight: 5), row("s2", admin: .maint, weight: 10), row("s3", admin: .ready, weight: 10), row("extra", admin: .ready, weight: 1)]
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
