import HAProxyNames
import HAProxySocket
import HAScale

/// Why a scale action did not happen.
public enum ScaleError: Error, Equatable, CustomStringConvertible {
    case unknownToHAProxy(String)
    case warmupFailed(server: String, WarmUpFailure)
    case lastServerInService(String)
    case alwaysUp(String)
    case api(RuntimeAPIError)

    public var description: String {
        switch self {
        case .unknownToHAProxy(let s): "HAProxy has no server \(s); check the inventory against haproxy.cfg"
        case .warmupFailed(let s, let r): "warm-up of \(s) failed (\(r)); it stays in maintenance"
        case .lastServerInService(let s): "\(s) is the last server in service of its backend; it stays up"
        case .alwaysUp(let s): "\(s) is always_up in the inventory; it stays up"
        case .api(let e): e.description
        }
    }
}

/// Brings one server into service or takes one out, exactly as the daemon and
/// the manual commands do: warm-up before any traffic, drain before maintenance.
///
/// HAProxy's own state (`show servers state`, `show stat`) is read before each
/// decision rather than trusted from memory, so a reload or a hand edit can
/// never make hascale take down the last server.
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

    /// Warm-up, then weight, then `state ready`. A failed warm-up sends nothing.
    ///
    /// With a `ramp`, the server starts at a fifth of its weight and reaches the
    /// full weight in steps over that period, so a cold app is not hit by its
    /// full share at once — unless HAProxy's own `slowstart` already ramps it
    /// (its effective weight in `show stat` is below the one set), which wins.
    public func scaleUp(_ ref: ServerRef, server: Inventory.Server, warmUp: WarmUp, ramp: Duration = .zero,
                        progress: @escaping @Sendable (String) -> Void = { _ in }) async throws(ScaleError) {
        let (row, _) = try await row(ref)
        if let url = server.warmupURL, dryRun {
            progress("would warm up \(ref) with GET \(url)")
        } else if let url = server.warmupURL {
            progress("warming up \(ref) with GET \(url)")
            if case .failed(let failure) = await warmUp.run(url: url, clock: clock, progress: progress) {
                throw .warmupFailed(server: ref.description, failure)
            }
            progress("warm-up of \(ref) succeeded")
        }
        let weight = server.weight ?? (row.initialWeight > 0 ? row.initialWeight : 1)
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
    /// Cancelled while it waits, it stops waiting and leaves the server draining
    /// (no new traffic, open sessions finish), which the caller reports.
    @discardableResult
    public func scaleDown(_ ref: ServerRef, server: Inventory.Server?, drainTimeout: Duration,
                          progress: @escaping @Sendable (String) -> Void = { _ in }) async throws(ScaleError) -> DrainOutcome {
        if server?.alwaysUp == true { throw .alwaysUp(ref.description) }
        let (_, rows) = try await row(ref)
        let others = rows.filter { $0.server != ref.server.value && $0.inService }
        guard !others.isEmpty else { throw .lastServerInService(ref.description) }
        try await perform(.setWeight(ref, .absolute(0)), progress)
        try await perform(.setServerState(ref, .drain), progress)
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
