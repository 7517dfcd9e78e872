import HAProxySocket
import HAScale
@testable import HAScaleRuntime
import Testing

/// HAProxy's two answers joined into the engine's view, with the admin bits
/// HAProxy 2.6 really sets (see the socket tests' captured fixtures).
@Suite("Server observations")
struct ServerObservationsTests {
    static func row(_ server: String, op: ServerStateRow.Operational = .running, admin: Int, weight: Int = 10) -> ServerStateRow {
        ServerStateRow(backend: "app", server: server, address: "127.0.0.1", operational: op, adminBits: admin, weight: weight, initialWeight: 10)
    }

    @Test func adminBitsOperationalStateAndSessions() {
        let states = [
            Self.row("ready", admin: 0),
            Self.row("readyAfterDisabled", admin: 0x04),  // `disabled` in the config, then `state ready`
            Self.row("disabled", op: .stopped, admin: 0x05),
            Self.row("maint", op: .stopped, admin: 0x01),
            Self.row("drain", admin: 0x08),
            Self.row("down", op: .stopped, admin: 0),
            Self.row("zero", admin: 0, weight: 0),
        ]
        let stats = [StatRow(proxy: "app", service: "ready", currentSessions: 7, queued: 0, status: "UP", weight: 10, active: true, checkStatus: ""),
                     StatRow(proxy: "app", service: "BACKEND", currentSessions: 9, queued: 0, status: "UP", weight: 20, active: true, checkStatus: ""),
                     StatRow(proxy: "other", service: "drain", currentSessions: 5, queued: 0, status: "UP", weight: 1, active: true, checkStatus: "")]
        let o = Dictionary(uniqueKeysWithValues: ServerObservations.make(states: states, stats: stats).map { ($0.server, $0) })
        #expect(o["ready"]?.admin == .ready && o["ready"]?.sessions == 7 && o["ready"]?.inService == true)
        #expect(o["readyAfterDisabled"]?.admin == .ready, "0x04 alone stays set after state ready in 2.6")
        #expect(o["disabled"]?.admin == .maint && o["disabled"]?.operational == .down)
        #expect(o["maint"]?.admin == .maint)
        #expect(o["drain"]?.admin == .drain && o["drain"]?.sessions == 0, "another backend's server of the same name is not this one")
        #expect(o["down"]?.operational == .down && o["down"]?.admin == .ready)
        #expect(o["zero"]?.inService == false, "weight 0 takes no traffic")
    }
}
