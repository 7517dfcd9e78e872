import HAProxyNames
import HAProxySocket
import HAScale

/// Why a scale action did not happen.
public enum ScaleError: Error, Equatable, CustomStringConvertible {
    case unknownToHAProxy(String)
    case warmupFailed(server: String, WarmUpFailure)
    case lastServerInService(String)
    /// Taking it down would leave fewer servers serving than `min_active`, by HAProxy's state read just before.
    case belowMinActive(String, minActive: Int, serving: Int)
    /// Another server left service between the check and the drain (another controller, an operator): it was put back.
    case drainRaced(String, minActive: Int, serving: Int)
    /// The drain would leave exactly `min_active`, and then the pool's order names which server goes
    /// (the last serving one), so two controllers acting at once take the same one; this is not it.
    case notLastInPoolOrder(String, last: String, minActive: Int)
    /// Bringing it up would put more servers in service than `max_active`, by HAProxy's state read just before.
    case atMaxActive(String, maxActive: Int, serving: Int)
    case alwaysUp(String)
    case api(RuntimeAPIError)

    public var description: String {
        switch self {
        case .unknownToHAProxy(let s): "HAProxy has no server \(s); check the inventory against haproxy.cfg"
        case .warmupFailed(let s, let r): "warm-up of \(s) failed (\(r)); it stays in maintenance"
        case .lastServerInService(let s): "\(s) is the last server in service of its backend; it stays up"
        case .belowMinActive(let s, let min, let serving):
            "HAProxy has \(serving) other server(s) serving, and min_active is \(min): \(s) stays up (another controller or an operator took one down since hascale decided)"
        case .drainRaced(let s, let min, let serving):
            "while \(s) was set to drain, other servers left service too (another controller acting at the same time, or an operator), leaving \(serving) serving, below min_active \(min); \(s) was put back in service"
        case .notLastInPoolOrder(let s, let last, let min):
            "a drain of \(s) would leave min_active (\(min)) serving, and at that point the server to go is the last serving one in the inventory's order, \(last), so that two controllers acting at once pick the same; \(s) stays up"
        case .atMaxActive(let s, let max, let serving):
            "HAProxy has \(serving) other server(s) serving, and max_active is \(max): \(s) stays out (another controller or an operator brought one up since hascale decided)"
        case .alwaysUp(let s): "\(s) is always_up in the inventory; it stays up"
        case .api(let e): e.description
        }
    }
}

/// Brings one server into service or takes one out, exactly as the daemon and
/// the manual commands do: warm-up before any traffic, drain before maintenance.
///
/// HAProxy's own state (`show servers state`, `show stat`) is read before each
/// decision rather than trusted from memory, so a reload, a hand edit or another
/// controller acting at the same moment can never make hascale take down the last
/// server, or go below `min_active` when the caller gives it. HAProxy has no
/// compare-and-set, so a scale-down also looks again right after its drain and puts
/// its server back if the pool is still short after a random pause of up to 20 ms:
/// two controllers can both be below the bound only for those milliseconds.
public struct ScaleExecutor: Sendable {
    public let api: any RuntimeAPI
    public var dryRun: Bool
    public var clock: any RuntimeClock
    public var drainPollInterval: Duration = .milliseconds(100)
    /// Several HAProxy nodes scaled as one pool: reads merge them, commands go to each.
    public let nodes: HAProxyNodes?

    public init(api: any RuntimeAPI, dryRun: Bool = false, clock: any RuntimeClock = MonotonicClock()) {
        self.api = api
        self.dryRun = dryRun
        self.clock = clock
        nodes = nil
    }

    public init(nodes: HAProxyNodes, dryRun: Bool = false, clock: any RuntimeClock = MonotonicClock()) {
        api = nodes.nodes[0].api
        self.nodes = nodes
        self.dryRun = dryRun
        self.clock = clock
    }

    /// Runs `command`, or only reports it in a dry run.
    func perform(_ command: RuntimeCommand, _ progress: (String) -> Void) async throws(ScaleError) {
        if dryRun {
            progress("would send: \(command)")
            return
        }
        progress("send: \(command)")
        if let nodes { return try await nodes.perform(command) }
        do { _ = try await api.send(command) } catch { throw .api(error) }
    }

    public func serverStates(_ backend: ProxyName? = nil) async throws(ScaleError) -> [ServerStateRow] {
        if let nodes { return try await nodes.serverStates(backend) }
        do { return try ServerStateRow.parse(try await api.send(.showServersState(backend)), address: api.addressDescription) } catch { throw .api(error) }
    }

    public func stats() async throws(ScaleError) -> [StatRow] {
        if let nodes { return try await nodes.stats() }
        do { return try StatRow.parse(try await api.send(.showStat), address: api.addressDescription) } catch { throw .api(error) }
    }

    /// Which HAProxy process answers (`show info`).
    public func processInfo() async throws(ScaleError) -> ProcessInfoReply {
        do { return try ProcessInfoReply.parse(try await api.send(.showInfo), address: api.addressDescription) } catch { throw .api(error) }
    }

    /// Every server as the engine needs it: one observation per server.
    public func observations() async throws(ScaleError) -> [ServerObservation] {
        let states = try await serverStates()
        return ServerObservations.make(states: states, stats: try await stats())
    }

    /// The `show stat` row of one server.
    func stat(_ ref: ServerRef) async throws(ScaleError) -> StatRow? {
        try await stats().first { $0.proxy == ref.backend.value && $0.service == ref.server.value }
    }

    /// Connections per server (`show servers conn`), or nil where HAProxy is older than 2.0.
    public func connections(_ backend: ProxyName? = nil) async throws(ScaleError) -> [ServerConnRow]? {
        do { return try ServerConnRow.parse(try await api.send(.showServersConn(backend)), address: api.addressDescription) } catch {
            if case .refused(_, _, .unknownCommand, _) = error { return nil }
            throw .api(error)
        }
    }

    func row(_ ref: ServerRef) async throws(ScaleError) -> (ServerStateRow, [ServerStateRow]) {
        let rows = try await serverStates(ref.backend)
        guard let row = rows.first(where: { $0.server == ref.server.value }) else { throw .unknownToHAProxy(ref.description) }
        return (row, rows)
    }

    /// The longest random pause, in µs, before a drain that found the pool short looks again.
    static let raceBackoffMicroseconds: Int64 = 20_000

    /// How many servers of `ref`'s backend other than it serve, by HAProxy's state now.
    func othersServing(_ ref: ServerRef) async throws(ScaleError) -> Int {
        try await serverStates(ref.backend).filter { $0.server != ref.server.value && Self.serving($0) }.count
    }

    /// Serves by HAProxy's state: admitted to traffic and up (or ramping up in `slowstart`).
    static func serving(_ row: ServerStateRow) -> Bool {
        row.inService && (row.operational == .running || row.operational == .starting)
    }

    /// Warm-up, then weight, then `state ready`. A failed warm-up sends nothing.
    ///
    /// With a `ramp`, the server starts at a fifth of its weight and reaches the
    /// full weight in steps over that period, so a cold app is not hit by its
    /// full share at once — unless HAProxy's own `slowstart` already ramps it
    /// (its effective weight in `show stat` is below the one set), which wins.
    /// `maxActive`: refuse when that many other servers serve already. A server
    /// that already serves at its weight (another controller brought it up) gets
    /// its weight and `state ready` again, and no warm-up or ramp that would cut it back.
    public func scaleUp(_ ref: ServerRef, server: Inventory.Server, warmUp: WarmUp, ramp: Duration = .zero, maxActive: Int? = nil,
                        progress: @escaping @Sendable (String) -> Void = { _ in }) async throws(ScaleError) {
        let (row, rows) = try await row(ref)
        if let maxActive, case let serving = rows.filter({ $0.server != ref.server.value && Self.serving($0) }).count, serving >= maxActive {
            throw .atMaxActive(ref.description, maxActive: maxActive, serving: serving)
        }
        let weight = server.weight ?? (row.initialWeight > 0 ? row.initialWeight : 1)
        if Self.serving(row), row.weight >= weight {
            progress("\(ref) already serves at weight \(row.weight); setting it again, no warm-up or ramp")
            try await perform(.setWeight(ref, .absolute(row.weight)), progress)
            try await perform(.setServerState(ref, .ready), progress)
            return
        }
        if let url = server.warmupURL, dryRun {
            progress("would warm up \(ref) with GET \(url)")
        } else if let url = server.warmupURL {
            progress("warming up \(ref) with GET \(url)")
            if case .failed(let failure) = await warmUp.run(url: url, clock: clock, progress: progress) {
                throw .warmupFailed(server: ref.description, failure)
            }
            progress("warm-up of \(ref) succeeded")
        }
        guard ramp > .zero, weight > 1 else {
            try await perform(.setWeight(ref, .absolute(weight)), progress)
            try await perform(.setServerState(ref, .ready), progress)
            return
        }
        let steps = min(5, weight)
        let first = max(1, weight / steps)
        try await perform(.setWeight(ref, .absolute(first)), progress)
        try await perform(.setServerState(ref, .ready), progress)
        if !dryRun, let effective = try await stat(ref)?.weight, effective < first {
            progress("HAProxy's slowstart is ramping \(ref) (effective weight \(effective) of \(first)); setting weight \(weight) and leaving the ramp to it")
            try await perform(.setWeight(ref, .absolute(weight)), progress)
            return
        }
        progress("ramping \(ref) to weight \(weight) in \(steps) steps over \(ramp)")
        for k in 2...steps {
            // Cancelled mid-ramp (shutdown): the full weight at once, so no server is left at a fraction.
            if !dryRun, (try? await clock.sleep(for: ramp / (steps - 1))) == nil {
                try await perform(.setWeight(ref, .absolute(weight)), progress)
                return
            }
            try await perform(.setWeight(ref, .absolute(k == steps ? weight : max(first, weight * k / steps))), progress)
        }
    }

    /// Weight 0 and `state drain`, wait until its sessions reach 0 (or `drainTimeout`),
    /// then `state maint`. Refuses an `always_up` server and the last one in service.
    /// With `minActive`, a server that serves goes only while at least that many
    /// others serve, checked against HAProxy before the drain and again after it.
    /// With `poolOrder` too (the backend's servers a scale-down may take, in the
    /// inventory's order): a drain that leaves exactly `minActive` must take the last
    /// of them serving now. HAProxy has no compare-and-set, so two controllers of a
    /// split-brained pair can both pass the count check; this makes them pick the
    /// same server from the same state, so the worst case is a repeated command,
    /// never a pool below `min_active` even for the moment before a post-check.
    /// Cancelled while it waits, it stops waiting and leaves the server draining
    /// (no new traffic, open sessions finish), which the caller reports.
    @discardableResult
    public func scaleDown(_ ref: ServerRef, server: Inventory.Server?, drainTimeout: Duration, minActive: Int? = nil,
                          poolOrder: [ProxyName]? = nil,
                          progress: @escaping @Sendable (String) -> Void = { _ in }) async throws(ScaleError) -> DrainOutcome {
        if server?.alwaysUp == true { throw .alwaysUp(ref.description) }
        let (row, rows) = try await row(ref)
        let others = rows.filter { $0.server != ref.server.value && $0.inService }
        guard !others.isEmpty else { throw .lastServerInService(ref.description) }
        // Only a server that serves lowers the pool: one down or draining already may always go on to maintenance.
        let guarded = minActive.flatMap { Self.serving(row) ? $0 : nil }
        let servingOthers = others.filter(Self.serving).count
        if let min = guarded, servingOthers < min {
            throw .belowMinActive(ref.description, minActive: min, serving: servingOthers)
        }
        if let min = guarded, let poolOrder, servingOthers == min {
            let servingNow = Set(rows.filter(Self.serving).map(\.server))
            if let last = poolOrder.last(where: { servingNow.contains($0.value) }), last != ref.server {
                throw .notLastInPoolOrder(ref.description, last: last.value, minActive: min)
            }
        }
        try await perform(.setWeight(ref, .absolute(0)), progress)
        try await perform(.setServerState(ref, .drain), progress)
        if let min = guarded, !dryRun, case let serving = try await othersServing(ref), serving < min {
            // Two controllers whose drains crossed both see the pool short. Each looks once more after
            // a random pause: the later one finds the other's server back and keeps its drain, so two
            // controllers in step do not undo each other's scale-downs for ever. A drain stays only if
            // the last look after it found the pool whole, so of two crossed drains one is undone.
            try? await clock.sleep(for: .microseconds(Int64.random(in: 0...Self.raceBackoffMicroseconds)))
            let again = try await othersServing(ref)
            if again < min {
                try await perform(.setWeight(ref, .absolute(row.weight)), progress)
                try await perform(.setServerState(ref, .ready), progress)
                throw .drainRaced(ref.description, minActive: min, serving: again)
            }
        }
        var outcome = DrainOutcome.drained
        if !dryRun {
            let deadline = clock.now + drainTimeout
            while true {
                let sessions = try await stat(ref)?.currentSessions ?? 0
                if sessions == 0 {
                    progress("\(ref) drained")
                    break
                }
                if clock.now >= deadline {
                    progress("drain of \(ref) timed out with \(sessions) session(s) still open; putting it in maintenance anyway")
                    outcome = .timedOut(sessions: sessions)
                    break
                }
                do { try await clock.sleep(for: drainPollInterval) } catch { return .interrupted(sessions: sessions) }
            }
        }
        try await perform(.setServerState(ref, .maint), progress)
        return outcome
    }
}

/// How a drain ended.
public enum DrainOutcome: Sendable, Equatable {
    case drained
    /// The deadline passed with sessions still open; they were cut by `maint`.
    case timedOut(sessions: Int)
    /// Cancelled (shutdown) while sessions were open: left in drain, not in maintenance.
    case interrupted(sessions: Int)
}
