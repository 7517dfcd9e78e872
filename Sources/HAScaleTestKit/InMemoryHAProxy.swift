import HAProxyNames
import HAProxySocket
import Synchronization

/// HAProxy's runtime API as a model in memory: backends and servers with an
/// admin state, an operational state, weights and sessions a test scripts.
/// It answers the commands hascale sends (`show servers state`, `show stat`,
/// `set weight`, `set server … state`) with HAProxy 2.6's formats and refusals,
/// and logs every command it accepts, so a loop test reads what hascale did.
/// It stands beside the real-HAProxy tests, never instead of them.
public final class InMemoryHAProxy: RuntimeAPI {
    public enum Admin: String, Sendable { case ready, drain, maint }

    public struct Server: Sendable, Equatable {
        public var name: String
        public var admin: Admin
        /// `srv_op_state`: 0 stopped (DOWN), 2 running.
        public var operational = 2
        public var weight: Int
        public var initialWeight: Int
        public var sessions = 0

        public var inService: Bool { admin == .ready && weight > 0 }
    }

    struct State {
        var backends: [(name: String, servers: [Server])]
        /// What haproxy.cfg says: what a restart resets the servers to.
        var configured: [(name: String, servers: [Server])]
        var unreachable = false
        var pid = 1000
        var startedAt = ContinuousClock.now
    }

    let state: Mutex<State>
    /// Every command received, rendered as HAProxy reads it (also those refused while unreachable).
    public let commands = EventLog<String>()
    public let addressDescription = "in-memory HAProxy"

    /// `backends`: backend name, then its servers; `ready` names the servers
    /// that start in service (the others start in maintenance, as `disabled`).
    public init(_ backends: [(String, [String])], ready: Set<String>, weight: Int = 1) {
        let configured = backends.map { b in
            (b.0, b.1.map { Server(name: $0, admin: ready.contains($0) ? .ready : .maint, weight: weight, initialWeight: weight) })
        }
        state = Mutex(State(backends: configured, configured: configured))
    }

    /// A reload or restart: a new process whose servers are as haproxy.cfg has them.
    public func restart() {
        state.withLock { s in
            s.pid += 1
            s.startedAt = .now
            s.backends = s.configured
        }
    }

    public func server(_ backend: String, _ server: String) -> Server? {
        state.withLock { s in s.backends.first { $0.name == backend }?.servers.first { $0.name == server } }
    }

    /// Servers of `backend` that take traffic.
    public func inService(_ backend: String) -> [String] {
        state.withLock { s in s.backends.first { $0.name == backend }?.servers.filter(\.inService).map(\.name) ?? [] }
    }

    /// Changes a server as a test scripts it (sessions, a hand edit, a health check).
    public func update(_ backend: String, _ server: String, _ change: (inout Server) -> Void) {
        state.withLock { s in
            guard let b = s.backends.firstIndex(where: { $0.name == backend }),
                  let i = s.backends[b].servers.firstIndex(where: { $0.name == server }) else { return }
            change(&s.backends[b].servers[i])
        }
    }

    /// While true every command fails as a socket nobody listens on does.
    public var unreachable: Bool {
        get { state.withLock { $0.unreachable } }
        set { state.withLock { $0.unreachable = newValue } }
    }

    public func send(_ command: RuntimeCommand) async throws(RuntimeAPIError) -> String {
        if unreachable {
            commands.append(command.description)
            throw .connectFailed(address: addressDescription, errno: 111, message: "connection refused (HAProxy is not listening there)")
        }
        // Applied before it is logged: a test that saw the command sees its effect.
        let text = answer(command)
        commands.append(command.description)
        return try RuntimeReply.checked(text, to: command, from: addressDescription)
    }

    func answer(_ command: RuntimeCommand) -> String {
        state.withLock { s in
            switch command {
            case .showServersState(let b):
                var out = "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight "
                    + "srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state "
                    + "srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl "
                    + "srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n"
                for (bi, backend) in s.backends.enumerated() where b == nil || b?.value == backend.name {
                    for (si, v) in backend.servers.enumerated() {
                        let bits = v.admin == .maint ? 0x01 : v.admin == .drain ? 0x08 : 0
                        out += "\(bi + 2) \(backend.name) \(si + 1) \(v.name) 127.0.0.1 \(v.operational) \(bits) \(v.weight) "
                            + "\(v.initialWeight) 5 1 0 0 0 0 0 0 - \(8000 + si) - 0 0 - - 0\n"
                    }
                }
                if let b, !s.backends.contains(where: { $0.name == b.value }) { return "Can't find backend.\n" }
                return out + "\n"
            case .showStat:
                var out = "# pxname,svname,qcur,scur,status,weight,act,check_status,\n"
                for backend in s.backends {
                    for v in backend.servers {
                        let status = v.admin == .maint ? "MAINT" : v.admin == .drain ? "DRAIN" : v.operational == 2 ? "UP" : "DOWN"
                        out += "\(backend.name),\(v.name),0,\(v.sessions),\(status),\(v.weight),1,,\n"
                    }
                    let total = backend.servers.reduce(0) { $0 + $1.sessions }
                    out += "\(backend.name),BACKEND,0,\(total),UP,\(backend.servers.filter(\.inService).reduce(0) { $0 + $1.weight }),0,,\n"
                }
                return out + "\n"
            case .setWeight, .setServerState:
                return mutate(&s, command)
            case .showInfo:
                let uptime = (ContinuousClock.now - s.startedAt).components.seconds
                return "Name: HAProxy\nVersion: 2.6.12\nRelease_date: 2023/03/28\nNbthread: 2\nPid: \(s.pid)\nUptime: 0d 0h00m\(uptime)s\nUptime_sec: \(uptime)\n\n"
            case .showServersConn:
                return "Unknown command: 'show servers conn'\n"
            case .showCliLevel:
                return "admin\n"
            }
        }
    }

    func mutate(_ s: inout State, _ command: RuntimeCommand) -> String {
        let ref: ServerRef
        switch command {
        case .setWeight(let r, _), .setServerState(let r, _): ref = r
        default: return "Unknown command.\n"
        }
        guard let b = s.backends.firstIndex(where: { $0.name == ref.backend.value }) else { return "No such backend.\n" }
        guard let i = s.backends[b].servers.firstIndex(where: { $0.name == ref.server.value }) else { return "No such server.\n" }
        switch command {
        case .setWeight(_, .absolute(let w)): s.backends[b].servers[i].weight = w
        case .setWeight(_, .percent(let p)): s.backends[b].servers[i].weight = s.backends[b].servers[i].initialWeight * p / 100
        case .setServerState(_, .ready): s.backends[b].servers[i].admin = .ready
        case .setServerState(_, .drain): s.backends[b].servers[i].admin = .drain
        case .setServerState(_, .maint): s.backends[b].servers[i].admin = .maint
        default: break
        }
        return ""
    }
}
