import HAProxySocket
import HAScale

/// HAProxy's two answers about servers, joined into what the engine reads:
/// state and weight from `show servers state`, sessions from `show stat`.
package enum ServerObservations {
    package static func make(states: [ServerStateRow], stats: [StatRow]) -> [ServerObservation] {
        var sessions: [String: Int] = [:]
        for s in stats where s.isServer { sessions["\(s.proxy)/\(s.service)"] = s.currentSessions }
        return states.map { row in
            ServerObservation(backend: row.backend, server: row.server, admin: admin(row), operational: operational(row.operational),
                              weight: row.weight, sessions: sessions["\(row.backend)/\(row.server)"] ?? 0)
        }
    }

    static func admin(_ row: ServerStateRow) -> ServerObservation.Admin {
        row.inMaintenance ? .maint : row.draining ? .drain : .ready
    }

    static func operational(_ o: ServerStateRow.Operational) -> ServerObservation.Operational {
        switch o {
        case .stopped: .down
        case .starting: .starting
        case .running: .up
        case .stopping: .stopping
        }
    }
}
