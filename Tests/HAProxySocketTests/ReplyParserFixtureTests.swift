@testable import HAProxySocket
import Testing

// The reply parsers against HAProxy's real answers (HAProxyAnswerFixtures.swift): 2.6 as
// captured, newer versions' extra columns, and answers that are not what a listing looks
// like. No HAProxy runs here.

/// Where the answers "came from": each error must name it.
private let source = "ipv6@[::1]:9999"

private func row(_ backend: String, _ server: String, _ address: String, _ op: ServerStateRow.Operational, admin: Int, weight: Int, initial: Int, port: Int? = nil) -> ServerStateRow {
    ServerStateRow(backend: backend, server: server, address: address, operational: op, adminBits: admin, weight: weight, initialWeight: initial, port: port)
}

/// Every server of `HAProxy26.serversState`, in HAProxy's order.
private let serversState26: [ServerStateRow] = [
    row("app", "s1", "127.0.0.1", .running, admin: 0, weight: 10, initial: 10, port: 28081),
    row("app", "s2", "127.0.0.1", .stopped, admin: 5, weight: 10, initial: 10, port: 28082),
    row("app", "s3", "127.0.0.1", .stopped, admin: 0, weight: 10, initial: 10, port: 28083),
    row("app", "s4", "::1", .running, admin: 0, weight: 10, initial: 10, port: 28084),
    row("app", "s5", "::1", .running, admin: 0, weight: 5, initial: 5, port: 28085),
    row("app", "s6", "127.0.0.1", .running, admin: 0, weight: 0, initial: 0, port: 28086),
    row("ops", "drained", "127.0.0.1", .running, admin: 8, weight: 10, initial: 10, port: 28087),
    row("ops", "maint", "127.0.0.1", .stopped, admin: 1, weight: 10, initial: 10, port: 28088),
    row("ops", "readied", "127.0.0.1", .running, admin: 4, weight: 10, initial: 10, port: 28089),
    row("ops", "zero", "127.0.0.1", .running, admin: 0, weight: 0, initial: 10, port: 28092),
    row("ops", "cfgdown", "127.0.0.1", .stopped, admin: 5, weight: 10, initial: 10, port: 28093),
    row("ops", "tracker", "127.0.0.1", .stopped, admin: 0, weight: 10, initial: 10, port: 28094),
    row("checked", "busy", "127.0.0.1", .stopped, admin: 0, weight: 10, initial: 10, port: 28095),
    row("pool", "p1", "127.0.0.1", .running, admin: 0, weight: 10, initial: 10, port: 28097),
]

/// Inserts `name` with `value` at `index` into the header and every row of a
/// space-separated listing: a version that adds a column where it likes.
private func addingColumn(_ name: String, value: String, at index: Int, to answer: String) -> String {
    answer.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
        if line.isEmpty || line == "1" { return String(line) }
        var f = line.split(separator: " ").map(String.init)
        if line.hasPrefix("# ") {
            f.insert(name, at: index + 1)
        } else {
            f.insert(value, at: min(index, f.count))
        }
        return f.joined(separator: " ")
    }.joined(separator: "\n")
}

@Suite("show servers state fixtures")
struct ServerStateFixtureTests {
    @Test func haproxy26EveryServer() throws {
        #expect(try ServerStateRow.parse(HAProxy26.serversState, address: source) == serversState26)
    }

    @Test func emptyBackendHasNoRows() throws {
        #expect(try ServerStateRow.parse(HAProxy26.serversStateEmpty, address: source) == [])
    }

    struct StateCase: Sendable, CustomTestStringConvertible {
        var answer: String
        var server: String
        var inMaintenance: Bool, draining: Bool, inService: Bool
        var admin: String
        var testDescription: String { server }
    }

    @Test(arguments: [
        StateCase(answer: HAProxy26.serversState, server: "s1", inMaintenance: false, draining: false, inService: true, admin: "ready"),
        // `disabled` in the configuration: 0x01 | 0x04, stopped.
        StateCase(answer: HAProxy26.serversState, server: "s2", inMaintenance: true, draining: false, inService: false, admin: "maint"),
        // DOWN by its health check: stopped, but no admin bit, so still admitted.
        StateCase(answer: HAProxy26.serversState, server: "s3", inMaintenance: false, draining: false, inService: true, admin: "ready"),
        StateCase(answer: HAProxy26.serversState, server: "s5", inMaintenance: false, draining: false, inService: true, admin: "ready"),
        // `weight 0` in the configuration.
        StateCase(answer: HAProxy26.serversState, server: "s6", inMaintenance: false, draining: false, inService: false, admin: "ready"),
        StateCase(answer: HAProxy26.serversState, server: "drained", inMaintenance: false, draining: true, inService: false, admin: "drain"),
        StateCase(answer: HAProxy26.serversState, server: "maint", inMaintenance: true, draining: false, inService: false, admin: "maint"),
        // `disabled`, then `state ready`: 0x04 stays, the server runs.
        StateCase(answer: HAProxy26.serversState, server: "readied", inMaintenance: false, draining: false, inService: true, admin: "ready"),
        // Ready with `set weight 0`.
        StateCase(answer: HAProxy26.serversState, server: "zero", inMaintenance: false, draining: false, inService: false, admin: "ready"),
        StateCase(answer: HAProxy26.serversState, server: "cfgdown", inMaintenance: true, draining: false, inService: false, admin: "maint"),
        // DOWN because the server it tracks is DOWN: like s3.
        StateCase(answer: HAProxy26.serversState, server: "tracker", inMaintenance: false, draining: false, inService: true, admin: "ready"),
        StateCase(answer: HAProxy26.serversStateInheritedMaint, server: "tracker", inMaintenance: true, draining: false, inService: false, admin: "maint"),
        StateCase(answer: HAProxy26.serversStateInheritedDrain, server: "tracker", inMaintenance: false, draining: true, inService: false, admin: "drain"),
    ])
    func adminAndOperationalStates(_ c: StateCase) throws {
        let s = try #require(try ServerStateRow.parse(c.answer, address: source).first { $0.server == c.server })
        #expect(s.inMaintenance == c.inMaintenance)
        #expect(s.draining == c.draining)
        #expect(s.inService == c.inService)
        #expect(s.adminDescription == c.admin)
    }

    @Test func inheritedBits() throws {
        let maint = try ServerStateRow.parse(HAProxy26.serversStateInheritedMaint, address: source)
        #expect(maint.map(\.server) == ["drained", "maint", "readied", "zero", "cfgdown", "tracker"])
        #expect(maint.last?.adminBits == 0x02)
        let drain = try ServerStateRow.parse(HAProxy26.serversStateInheritedDrain, address: source)
        #expect(drain.last?.adminBits == 0x10)
    }

    /// No HAProxy up to 3.5-dev adds a column here, so a synthetic one: a column in the
    /// middle and one at the end change nothing.
    @Test func newerVersionWithExtraColumns() throws {
        var answer = addingColumn("srv_future_flags", value: "0x0", at: 4, to: HAProxy26.serversState)
        answer = addingColumn("srv_future_tail", value: "-", at: 26, to: answer)
        #expect(answer.contains("srv_name srv_future_flags srv_addr"))
        #expect(answer.contains("srv_agent_port srv_future_tail\n"))
        #expect(try ServerStateRow.parse(answer, address: source) == serversState26)
    }

    @Test func columnsInAnotherOrder() throws {
        let answer = """
            1
            # srv_iweight srv_uweight srv_admin_state srv_op_state srv_addr srv_name be_name
            10 0 8 2 ::1 s1 app

            """
        #expect(try ServerStateRow.parse(answer, address: source) == [row("app", "s1", "::1", .running, admin: 8, weight: 0, initial: 10)])
    }

    /// The port is read for `hascale init` only: one it cannot read is none, never an
    /// error that would stop the daemon's resync.
    @Test func aPortThatIsNoNumberIsNone() throws {
        let answer = """
            1
            # be_name srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_port
            app s1 ::1 2 0 10 10 -
            app s2 ::1 2 0 10 10 70000
            app s3 ::1 2 0 10 10 0

            """
        #expect(try ServerStateRow.parse(answer, address: source).map(\.port) == [nil, nil, 0])
    }
}

@Suite("show stat fixtures")
struct StatFixtureTests {
    private func rows(_ answer: String) throws -> [String: StatRow] {
        Dictionary(try StatRow.parse(answer, address: source).map { ("\($0.proxy)/\($0.service)", $0) }) { a, _ in a }
    }

    private static func stat(_ proxy: String, _ service: String, scur: Int = 0, qcur: Int = 0, _ status: String, weight: Int, active: Bool, check: String = "") -> StatRow {
        StatRow(proxy: proxy, service: service, currentSessions: scur, queued: qcur, status: status, weight: weight, active: active, checkStatus: check)
    }

    static let expected26: [StatRow] = [
        stat("web", "FRONTEND", "OPEN", weight: 0, active: false),
        stat("app", "s1", "UP", weight: 10, active: true, check: "L4OK"),
        stat("app", "s2", "MAINT", weight: 10, active: true),
        stat("app", "s3", "DOWN", weight: 10, active: true, check: "L4CON"),
        stat("app", "s4", "no check", weight: 10, active: true),
        stat("app", "s5", "no check", weight: 5, active: true),
        stat("app", "s6", "no check", weight: 0, active: true),
        stat("app", "BACKEND", "UP", weight: 25, active: true),
        stat("ops", "drained", "DRAIN", weight: 10, active: true),
        stat("ops", "maint", "MAINT", weight: 10, active: true),
        stat("ops", "readied", "no check", weight: 10, active: true),
        stat("ops", "zero", "no check", weight: 0, active: true),
        stat("ops", "cfgdown", "MAINT", weight: 10, active: true),
        stat("ops", "tracker", "DOWN", weight: 10, active: true),
        stat("ops", "BACKEND", "UP", weight: 10, active: true),
        // HAProxy 2.6 calls a backend without servers UP, with no active server.
        stat("empty", "BACKEND", "UP", weight: 0, active: false),
        stat("checked", "busy", "DOWN", weight: 10, active: true, check: "L7STS"),
        stat("checked", "BACKEND", "DOWN", weight: 0, active: false),
        stat("poolfe", "FRONTEND", scur: 4, "OPEN", weight: 0, active: false),
        stat("pool", "p1", scur: 2, "no check", weight: 10, active: true),
        stat("pool", "BACKEND", scur: 4, qcur: 2, "UP", weight: 10, active: true),
    ]

    @Test func haproxy26EveryProxyAndServer() throws {
        let parsed = try StatRow.parse(HAProxy26.stat, address: source)
        #expect(parsed == Self.expected26)
        #expect(parsed.filter(\.isServer).count == 14)
    }

    @Test func haproxy30ExtraColumns() throws {
        #expect(HAProxy30.stat.contains(",agg_check_status,srid,sess_other,h1sess,h2sess,h3sess,req_other,h1req,h2req,h3req,proto,-,"))
        #expect(try StatRow.parse(HAProxy30.stat, address: source) == Self.expected26)
    }

    @Test func inheritedMaintenanceNamesTheTrackedServer() throws {
        let tracker = try #require(try rows(HAProxy26.statInheritedMaint)["ops/tracker"])
        #expect(tracker.status == "MAINT (via app/s3)")
        #expect(try rows(HAProxy26.statInheritedMaint)["app/s3"]?.status == "MAINT")
    }

    /// checked/busy's `last_chk` is `"Busy, ""really"", try later"`: one field.
    @Test func quotedFieldIsOneColumn() throws {
        let header = try #require(HAProxy26.stat.split(separator: "\n").first)
        let names = StatRow.fields(header.dropFirst(2))
        let line = try #require(HAProxy26.stat.split(separator: "\n").first { $0.hasPrefix("checked,busy,") })
        let f = StatRow.fields(line)
        #expect(f.count == names.count)
        let lastCheck = try #require(names.firstIndex(of: "last_chk"))
        #expect(f[lastCheck] == #"Busy, "really", try later"#)
        #expect(f[try #require(names.firstIndex(of: "addr"))] == "127.0.0.1:28095")
        #expect(f[try #require(names.firstIndex(of: "check_desc"))] == "Layer7 wrong status")
    }

    @Test(arguments: [
        ("a,b,c", ["a", "b", "c"]),
        ("a,,c,", ["a", "", "c", ""]),
        (#""x,y",z"#, ["x,y", "z"]),
        (#""say ""hi""",z"#, [#"say "hi""#, "z"]),
        (#""",z"#, ["", "z"]),
        (#"a"b,c"#, [#"a"b"#, "c"]),
        ("", [""]),
    ])
    func csvFields(_ line: String, _ expected: [String]) {
        #expect(StatRow.fields(line[...]) == expected)
    }

    /// A quoted field before the columns hascale reads no longer shifts them.
    @Test func quotedFieldBeforeReadColumns() throws {
        let answer = """
            # last_chk,pxname,svname,qcur,scur,status,weight,act,check_status
            "refused, twice",app,s1,0,3,UP,10,1,L4OK

            """
        #expect(try StatRow.parse(answer, address: source) == [
            Self.stat("app", "s1", scur: 3, "UP", weight: 10, active: true, check: "L4OK"),
        ])
    }

    @Test func withoutCheckStatusColumn() throws {
        let answer = "# pxname,svname,qcur,scur,status,weight,act\napp,s1,1,2,UP,10,0\n\n"
        #expect(try StatRow.parse(answer, address: source) == [
            Self.stat("app", "s1", scur: 2, qcur: 1, "UP", weight: 10, active: false),
        ])
    }
}

@Suite("show servers conn fixtures")
struct ServerConnFixtureTests {
    private static func conn(_ backend: String, _ server: String, used: Int = 0, max: Int = 0, idle: Int = 0) -> ServerConnRow {
        ServerConnRow(backend: backend, server: server, usedCurrent: used, usedMax: max, idleCurrent: idle)
    }

    static let expected26: [ServerConnRow] = [
        conn("app", "s1", max: 1), conn("app", "s2"), conn("app", "s3", max: 1), conn("app", "s4"), conn("app", "s5"),
        conn("app", "s6"), conn("ops", "drained"), conn("ops", "maint"), conn("ops", "readied"), conn("ops", "zero"),
        conn("ops", "cfgdown"), conn("ops", "tracker"), conn("checked", "busy", max: 1), conn("pool", "p1", idle: 2),
    ]

    /// pool/p1 has 2 idle connections left (`used_max` went back to 0 since the requests).
    @Test func haproxy26EveryServer() throws {
        #expect(try ServerConnRow.parse(HAProxy26.serversConn, address: source) == Self.expected26)
    }

    @Test func haproxy26ConnectionsInUse() throws {
        #expect(try ServerConnRow.parse(HAProxy26.serversConnBusy, address: source) == [Self.conn("pool", "p1", used: 2, max: 2)])
    }

    @Test func emptyBackendHasNoRows() throws {
        #expect(try ServerConnRow.parse(HAProxy26.serversConnEmpty, address: source) == [])
    }

    @Test func haproxy33ServedAndIdleSessionColumns() throws {
        #expect(HAProxy33.serversConn.contains("purge_delay served used_cur used_max need_est idle_sess unsafe_nb"))
        #expect(try ServerConnRow.parse(HAProxy33.serversConn, address: source) == Self.expected26)
        #expect(try ServerConnRow.parse(HAProxy33.serversConnBusy, address: source) == [Self.conn("pool", "p1", used: 2, max: 2)])
    }

    /// HAProxy prints the per-thread idle counts only for a server that has the table.
    @Test func rowWithoutPerThreadCounts() throws {
        let answer = """
            # bkname/svname bkid/svid addr port - purge_delay used_cur used_max need_est unsafe_nb safe_nb idle_lim idle_cur idle_per_thr[2]
            app/s4 3/4 ::1 28084 - 5000 1 3 1 0 0 -1 0

            """
        #expect(try ServerConnRow.parse(answer, address: source) == [Self.conn("app", "s4", used: 1, max: 3)])
    }
}

/// An answer that is not what the command's listing looks like.
struct MalformedCase: Sendable, CustomTestStringConvertible {
    enum Parser: Sendable { case state, stat, conn }
    var name: String
    var parser: Parser
    var answer: String
    /// A part of the error's detail.
    var detail: String
    var testDescription: String { name }

    var command: String {
        switch parser {
        case .state: "show servers state"
        case .stat: "show stat"
        case .conn: "show servers conn"
        }
    }

    func parse(address: String) throws(RuntimeAPIError) {
        switch parser {
        case .state: _ = try ServerStateRow.parse(answer, address: address)
        case .stat: _ = try StatRow.parse(answer, address: address)
        case .conn: _ = try ServerConnRow.parse(answer, address: address)
        }
    }
}

private func replacingLine(_ answer: String, _ n: Int, with transform: (String) -> String) -> String {
    var lines = answer.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    lines[n] = transform(lines[n])
    return lines.joined(separator: "\n")
}

private func replacingField(_ line: String, _ n: Int, with value: String, separator: Character) -> String {
    var f = line.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    f[n] = value
    return f.joined(separator: String(separator))
}

private let stateHeader = HAProxy26.serversState.split(separator: "\n")[1]
private let stateS1 = HAProxy26.serversState.split(separator: "\n")[2]

let malformedCases: [MalformedCase] = [
    // show servers state: version, header, columns, rows.
    MalformedCase(name: "state: empty answer", parser: .state, answer: "\n", detail: "empty answer"),
    MalformedCase(name: "state: a refusal", parser: .state, answer: "Can't find backend.\n\n", detail: "expected format version 1 on the first line, got: Can't find backend."),
    MalformedCase(name: "state: format version 2", parser: .state, answer: "2\n\(stateHeader)\n\(stateS1)\n\n", detail: "expected format version 1"),
    MalformedCase(name: "state: missing header", parser: .state, answer: "1\n\(stateS1)\n\n", detail: "missing the # header line"),
    MalformedCase(
        name: "state: missing column", parser: .state,
        answer: replacingLine(HAProxy26.serversState, 1) { $0.replacing(" srv_admin_state ", with: " srv_admin ") },
        detail: "no column srv_admin_state"),
    MalformedCase(
        name: "state: short row", parser: .state,
        answer: "1\n\(stateHeader)\n3 app 1 s1 127.0.0.1 2 0\n\n", detail: "short row (7 of 25 columns): 3 app 1 s1 127.0.0.1 2 0"),
    MalformedCase(
        name: "state: non-numeric op state", parser: .state,
        answer: replacingLine(HAProxy26.serversState, 2) { replacingField($0, 5, with: "UP", separator: " ") },
        detail: "non-numeric state in row: 3 app 1 s1 127.0.0.1 UP 0"),
    MalformedCase(
        name: "state: non-numeric admin state", parser: .state,
        answer: replacingLine(HAProxy26.serversState, 3) { replacingField($0, 6, with: "0x05", separator: " ") },
        detail: "non-numeric state in row: 3 app 2 s2"),
    MalformedCase(
        name: "state: non-numeric weight", parser: .state,
        answer: replacingLine(HAProxy26.serversState, 2) { replacingField($0, 7, with: "ten", separator: " ") },
        detail: "non-numeric state in row"),
    MalformedCase(
        name: "state: op state out of range", parser: .state,
        answer: replacingLine(HAProxy26.serversState, 2) { replacingField($0, 5, with: "7", separator: " ") },
        detail: "srv_op_state 7 is none of 0-3"),

    // show stat.
    MalformedCase(name: "stat: empty answer", parser: .stat, answer: "\n", detail: "missing the # header line"),
    MalformedCase(
        name: "stat: unknown command", parser: .stat,
        answer: "Unknown command: 'show stats', but 'show stat' exists.\n\n", detail: "missing the # header line"),
    MalformedCase(
        name: "stat: missing header", parser: .stat,
        answer: HAProxy26.stat.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n"),
        detail: "missing the # header line"),
    MalformedCase(
        name: "stat: header without the space", parser: .stat,
        answer: "#pxname,svname,qcur,scur,status,weight,act\napp,s1,0,0,UP,10,1\n", detail: "missing the # header line"),
    MalformedCase(
        name: "stat: missing column", parser: .stat,
        answer: replacingLine(HAProxy26.stat, 0) { $0.replacing(",scur,", with: ",sessions,") }, detail: "no column scur"),
    MalformedCase(
        name: "stat: short row", parser: .stat,
        answer: replacingLine(HAProxy26.stat, 2) { _ in "app,s1,0,0,0,0" }, detail: "short row (6 of "),
    MalformedCase(
        name: "stat: non-numeric scur", parser: .stat,
        answer: replacingLine(HAProxy26.stat, 2) { replacingField($0, 4, with: "many", separator: ",") },
        detail: #"non-numeric scur "many" in row: app,s1,"#),
    MalformedCase(
        name: "stat: non-numeric weight", parser: .stat,
        answer: replacingLine(HAProxy26.stat, 2) { replacingField($0, 18, with: "10%", separator: ",") },
        detail: #"non-numeric weight "10%""#),

    // show servers conn.
    MalformedCase(name: "conn: empty answer", parser: .conn, answer: "\n", detail: "missing the # header line"),
    MalformedCase(name: "conn: a refusal", parser: .conn, answer: "Can't find backend.\n\n", detail: "missing the # header line"),
    MalformedCase(
        name: "conn: missing header", parser: .conn,
        answer: HAProxy26.serversConn.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n"),
        detail: "missing the # header line"),
    MalformedCase(
        name: "conn: missing column", parser: .conn,
        answer: replacingLine(HAProxy26.serversConn, 0) { $0.replacing(" used_max ", with: " max ") }, detail: "no column used_max"),
    MalformedCase(
        name: "conn: short row", parser: .conn,
        answer: replacingLine(HAProxy26.serversConn, 1) { _ in "app/s1 3/1 127.0.0.1 28081 - 5000 0 1" }, detail: "short row (8 of 14 columns)"),
    MalformedCase(
        name: "conn: non-numeric count", parser: .conn,
        answer: replacingLine(HAProxy26.serversConn, 1) { replacingField($0, 6, with: "none", separator: " ") },
        detail: "non-numeric count in row: app/s1 3/1 127.0.0.1 28081 - 5000 none"),
    MalformedCase(
        name: "conn: no backend/server", parser: .conn,
        answer: replacingLine(HAProxy26.serversConn, 1) { replacingField($0, 0, with: "app-s1", separator: " ") },
        detail: #""app-s1" is not backend/server"#),
]

@Suite("Malformed answers")
struct MalformedAnswerTests {
    @Test(arguments: malformedCases)
    func typedErrorNamesTheAddress(_ c: MalformedCase) throws {
        for address in [source, "/run/haproxy/admin.sock"] {
            let error = #expect(throws: RuntimeAPIError.self) { try c.parse(address: address) }
            guard case .malformedReply(let a, let command, let detail)? = error else {
                Issue.record("expected .malformedReply, got \(String(describing: error))")
                continue
            }
            #expect(a == address)
            #expect(command == c.command)
            #expect(detail.contains(c.detail), "\(detail)")
            #expect(error?.description.contains("HAProxy at \(address) to `\(c.command)`") == true)
        }
    }

    /// Every case is malformed in one way only: the answer it was made from parses.
    @Test func sourcesParse() throws {
        #expect(try ServerStateRow.parse(HAProxy26.serversState, address: source).count == 14)
        #expect(try StatRow.parse(HAProxy26.stat, address: source).count == 21)
        #expect(try ServerConnRow.parse(HAProxy26.serversConn, address: source).count == 14)
    }
}
