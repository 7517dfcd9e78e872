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

/// `policy.outliers` and `scale_down.max_error_rate`: read, bounded, and checked against the servers.
@Suite("Inventory loading: health keys")
struct InventoryHealthKeysTests {
    /// The shared fixture with `extra` added to app1's policy, on its line 5.
    static func withPolicy(_ extra: String) -> String {
        InventoryLoaderTests.good.replacingOccurrences(of: "\"threshold_ms\": 400 }", with: "\"threshold_ms\": 400 }, \(extra)")
    }

    @Test func defaultsWhenAbsent() throws {
        let app = try #require(InventoryLoader.parse(InventoryLoaderTests.good, file: "servers.json").backend(named: "app1"))
        #expect(app.policy.scaleDownMaxErrorRate == 0.05)
        let o = app.policy.outliers
        #expect(o.mode == .eject)
        #expect(o.consecutive == 3)
        #expect(o.factor == 3)
        #expect(o.minRequests == 20)
        #expect(o.errorRate == 0.5)
        #expect(o.maxEjected == nil, "nil: 10 % of the servers, at least 1, worked out by the engine")
        #expect(o.ejectionSeconds == 300)
        // An empty block and a scale_down without the key are the same as none.
        let empty = try #require(InventoryLoader.parse(Self.withPolicy(#""outliers": {}, "scale_down": { "after_seconds": 60 }"#), file: "servers.json")
            .backend(named: "app1"))
        #expect(empty.policy.outliers == Inventory.Policy.Outliers())
        #expect(empty.policy.scaleDownMaxErrorRate == 0.05)
        #expect(empty.policy.scaleDownAfterSeconds == 60)
    }

    @Test func everyKeyIsRead() throws {
        let inv = try InventoryLoader.parse("""
            { "backends": { "app": {
                "policy": {
                  "scale_down": { "threshold_ms": 100, "after_seconds": 120, "max_error_rate": 0.2 },
                  "outliers": { "mode": "detect", "consecutive": 5, "factor": 2.5, "min_requests": 50,
                                "error_rate": 0.25, "max_ejected": 2, "ejection_seconds": 60 } },
                "servers": { "s1": { "active": true }, "s2": { "active": false }, "s3": { "active": false } } } } }
            """, file: "servers.json")
        let policy = try #require(inv.backend(named: "app")).policy
        #expect(policy.scaleDownMaxErrorRate == 0.2)
        #expect(policy.scaleDownThresholdMs == 100 && policy.scaleDownAfterSeconds == 120, "the other scale_down keys still read")
        var expected = Inventory.Policy.Outliers()
        expected.mode = .detect
        expected.consecutive = 5
        expected.factor = 2.5
        expected.minRequests = 50
        expected.errorRate = 0.25
        expected.maxEjected = 2
        expected.ejectionSeconds = 60
        #expect(policy.outliers == expected)
    }

    @Test(arguments: Inventory.Policy.Outliers.Mode.allCases)
    func everyModeIsRead(mode: Inventory.Policy.Outliers.Mode) throws {
        let inv = try InventoryLoader.parse(Self.withPolicy(#""outliers": { "mode": "\#(mode.rawValue)" }"#), file: "servers.json")
        #expect(inv.backend(named: "app1")?.policy.outliers.mode == mode)
    }

    @Test(arguments: [
        #""scale_down": { "max_error_rate": 0 }"#, #""scale_down": { "max_error_rate": 1 }"#,
        #""outliers": { "error_rate": 1 }"#, #""outliers": { "error_rate": 0.001 }"#, #""outliers": { "factor": 1.01 }"#,
        #""outliers": { "ejection_seconds": 1 }"#, #""outliers": { "consecutive": 1, "min_requests": 1 }"#,
        #""outliers": { "max_ejected": 1 }"#, #""outliers": { "ejection_seconds": 7200 }"#,
    ])
    func boundsAreAccepted(extra: String) throws {
        #expect(InventoryLoaderTests.rejection(Self.withPolicy(extra)) == nil, "\(extra)")
    }

    @Test(arguments: [
        // (added to app1's policy on line 5, path, message); each is the file's only mistake.
        (#""outliers": "eject""#, "outliers", "must be an object, not a string"),
        (#""outliers": { "mod": "eject" }"#, "outliers.mod",
         "unknown key (allowed here: consecutive, ejection_seconds, error_rate, factor, max_ejected, min_requests, mode)"),
        (#""outliers": { "mode": "kick" }"#, "outliers.mode", "must be one of eject, detect, off"),
        (#""outliers": { "mode": "Eject" }"#, "outliers.mode", "must be one of eject, detect, off"),
        (#""outliers": { "mode": false }"#, "outliers.mode", "must be a string, not true or false"),
        (#""outliers": { "consecutive": 0 }"#, "outliers.consecutive", "must be between 1 and 2147483647"),
        (#""outliers": { "consecutive": 2.5 }"#, "outliers.consecutive", "must be a whole number"),
        (#""outliers": { "factor": 1 }"#, "outliers.factor", "must be above 1"),
        (#""outliers": { "factor": 0.5 }"#, "outliers.factor", "must be above 1"),
        (#""outliers": { "factor": "3" }"#, "outliers.factor", "must be a number, not a string"),
        (#""outliers": { "min_requests": 0 }"#, "outliers.min_requests", "must be between 1 and 2147483647"),
        (#""outliers": { "error_rate": 0 }"#, "outliers.error_rate", "must be above 0 and at most 1"),
        (#""outliers": { "error_rate": 1.5 }"#, "outliers.error_rate", "must be above 0 and at most 1"),
        (#""outliers": { "error_rate": 50 }"#, "outliers.error_rate", "must be above 0 and at most 1"),
        (#""outliers": { "max_ejected": 0 }"#, "outliers.max_ejected", "must be between 1 and 2147483647"),
        (#""outliers": { "max_ejected": null }"#, "outliers.max_ejected", "must be a whole number"),
        (#""outliers": { "ejection_seconds": 0.5 }"#, "outliers.ejection_seconds", "must be at least 1"),
        (#""scale_down": { "max_error_rate": 1.01 }"#, "scale_down.max_error_rate", "must be at least 0 and at most 1"),
        (#""scale_down": { "max_error_rate": -0.1 }"#, "scale_down.max_error_rate", "must be at least 0 and at most 1"),
        (#""scale_down": { "max_error_rate": "5%" }"#, "scale_down.max_error_rate", "must be a number, not a string"),
        (#""scale_down": { "max_errors": 0.1 }"#, "scale_down.max_errors", "unknown key (allowed here: after_seconds, max_error_rate, max_step, threshold_ms)"),
        (#""outlier": {}"#, "outlier", "unknown key (allowed here: aggregate, drain_timeout_seconds, max_active, metric, min_active, outliers, "
            + "ramp_seconds, resync_seconds, scale_down, scale_up, sizing, warmup, window_requests, window_seconds)"),
        // Bounds print as written: 1, not 1.0.
        (#""resync_seconds": 0.5"#, "resync_seconds", "must be at least 1"),
        (#""warmup": { "timeout_seconds": 0 }"#, "warmup.timeout_seconds", "must be at least 0.001"),
        // Across fields: app1 has two servers.
        (#""outliers": { "max_ejected": 2 }"#, "outliers.max_ejected",
         "is 2 but the backend has 2 server(s): it must be below that, or ejecting every server would empty the backend"),
        (#""outliers": { "max_ejected": 5, "mode": "detect" }"#, "outliers.max_ejected",
         "is 5 but the backend has 2 server(s): it must be below that, or ejecting every server would empty the backend"),
    ] as [(String, String, String)])
    func refusedWithLineAndPath(extra: String, path: String, message: String) throws {
        let rejection = try #require(InventoryLoaderTests.rejection(Self.withPolicy(extra)), "accepted: \(extra)")
        #expect(rejection.errors.map(\.kind) == [.invalid], "one mistake, one error: \(rejection)")
        #expect(rejection.description == "servers.json:5: backends.app1.policy.\(path): \(message)")
    }

    @Test func everyMistakeHasItsOwnLine() throws {
        let rejection = try #require(InventoryLoaderTests.rejection("""
            { "backends": { "app": {
                "policy": {
                  "scale_down": {
                    "max_error_rate": 2 },
                  "outliers": {
                    "mode": "drain",
                    "consecutive": 0,
                    "factor": 1,
                    "min_requests": -5,
                    "error_rate": 0,
                    "max_ejected": 1.5,
                    "ejection_seconds": 0,
                    "ejection_secs": 10 } },
                "servers": { "s1": { "active": true }, "s2": { "active": false } } } } }
            """))
        #expect(rejection.description == """
            servers.json:4: backends.app.policy.scale_down.max_error_rate: must be at least 0 and at most 1
            servers.json:6: backends.app.policy.outliers.mode: must be one of eject, detect, off
            servers.json:7: backends.app.policy.outliers.consecutive: must be between 1 and 2147483647
            servers.json:8: backends.app.policy.outliers.factor: must be above 1
            servers.json:9: backends.app.policy.outliers.min_requests: must be between 1 and 2147483647
            servers.json:10: backends.app.policy.outliers.error_rate: must be above 0 and at most 1
            servers.json:11: backends.app.policy.outliers.max_ejected: must be a whole number
            servers.json:12: backends.app.policy.outliers.ejection_seconds: must be at least 1
            servers.json:13: backends.app.policy.outliers.ejection_secs: unknown key (allowed here: consecutive, ejection_seconds, error_rate, factor, max_ejected, min_requests, mode)
            """, "\(rejection)")
    }

    /// Like the other checks across fields: at the policy's line, only on fields read as written.
    @Test func maxEjectedMustLeaveAServer() throws {
        func text(_ maxEjected: String, servers: Int, extra: String = "") -> String {
            let list = (1...servers).map { #""s\#($0)": { "active": \#($0 == 1) }"# }.joined(separator: ", ")
            return """
                { "backends": { "app": {
                    "policy": {
                      "outliers": { "max_ejected": \(maxEjected)\(extra) } },
                    "servers": { \(list) } } } }
                """
        }
        #expect(try InventoryLoader.parse(text("3", servers: 4), file: "servers.json").backend(named: "app")?.policy.outliers.maxEjected == 3)
        for (n, servers) in [(4, 4), (5, 4), (1, 1)] {
            let rejection = try #require(InventoryLoaderTests.rejection(text("\(n)", servers: servers)), "accepted \(n) of \(servers)")
            #expect(rejection.description == """
                servers.json:2: backends.app.policy.outliers.max_ejected: is \(n) but the backend has \(servers) server(s): \
                it must be below that, or ejecting every server would empty the backend
                """, "\(rejection)")
        }
        // Unreadable: its comparison with the servers is skipped, not guessed.
        let unread = try #require(InventoryLoaderTests.rejection(text("\"9\"", servers: 2)))
        #expect(unread.errors.map(\.path) == ["backends.app.policy.outliers.max_ejected"], "\(unread)")
        // Unrelated mistakes in the same block do not stop it (an unknown key is reported
        // before the block's members are read).
        let beside = try #require(InventoryLoaderTests.rejection(text("9", servers: 2, extra: #", "factor": 1, "colour": 1"#)))
        #expect(beside.errors.map(\.path) == [
            "backends.app.policy.outliers.max_ejected",
            "backends.app.policy.outliers.colour", "backends.app.policy.outliers.factor",
        ], "\(beside)")
        #expect(beside.errors.map(\.line) == [2, 3, 3])
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
        let down = ServerObservation(backend: "app", server: "s2", admin: .ready, operational: .down, weight: 10)
        #expect(InventoryDrift.report(inv, [down]).contains("app/s2: enabled, but DOWN by HAProxy's health checks (operational state down); it serves nothing"))
    }

    @Test func severalNodesAreNamedAndCheckedLikeTheSocket() throws {
        let nodes = InventoryLoaderTests.good.replacingOccurrences(of: "\"haproxy\": { \"socket\": \"/run/haproxy/admin.sock\" }",
                                                   with: "\"haproxy\": { \"nodes\": { \"lb1\": \"ipv4@10.0.0.1:9999\", \"lb2\": \"/run/haproxy/lb2.sock\" } }")
        let inv = try InventoryLoader.parse(nodes, file: "servers.json")
        #expect(inv.nodes.map(\.name.value) == ["lb1", "lb2"])
        #expect(inv.nodes.map(\.socket) == ["ipv4@10.0.0.1:9999", "/run/haproxy/lb2.sock"])
        #expect(inv.socket == nil)
        let both = InventoryLoaderTests.good.replacingOccurrences(of: "\"socket\": \"/run/haproxy/admin.sock\"",
                                                  with: "\"socket\": \"/run/haproxy/admin.sock\", \"nodes\": { \"lb 1\": \"/x.sock\" }")
        let rejection = try #require(InventoryLoaderTests.rejection(both))
        #expect(rejection.description.contains("haproxy.nodes.lb 1: \"lb 1\" is not a name HAProxy accepts"), "\(rejection)")
        #expect(rejection.description.contains("give either \"socket\" (one HAProxy) or \"nodes\", not both"), "\(rejection)")
    }
}
