#if canImport(Glibc)
import Glibc
#endif
import HAProxyNames
import LogParser

/// Every managed backend's ``BackendAutoscaler``, and the routing of log
/// records to them by the bytes of their names (no string is built per line).
public struct DecisionEngine: Sendable {
    public private(set) var backends: [BackendAutoscaler]
    private var backendBytes: [[UInt8]]
    /// Records for backends the inventory does not manage.
    public private(set) var unmanagedRequests: UInt64 = 0
    /// A managed backend logged a sign that a server stopped serving (`<NOSRV>`, a
    /// failed connect): HAProxy's state is worth reading now, not at the next resync.
    public private(set) var healthSignal = false

    static let noServer = Array("<NOSRV>".utf8)

    public init(inventory: Inventory, at now: Duration) {
        backends = inventory.backends.map { BackendAutoscaler(backend: $0, at: now) }
        backendBytes = inventory.backends.map { Array($0.name.value.utf8) }
        nodes = max(1, inventory.nodes.count)
        for i in backends.indices { backends[i].nodes = nodes }
    }

    /// The HAProxy nodes whose logs are read (`"haproxy.nodes"`; 1 for the one socket).
    /// Above one, ``observe(_:line:node:at:openLoop:)`` needs each request's node: its
    /// `srv_conn` and `beconn` count that node's connections only.
    public private(set) var nodes: Int

    /// Another controller acts: this one is the standby of a keepalived pair. What
    /// changes in HAProxy meanwhile is the active one's doing, so the engine mirrors
    /// HAProxy's state instead of reporting drift, owing replacements or re-applying
    /// after a reload; its actions space this one's (cooldown, quiet period) as this
    /// one's own would. ``evaluate(at:)`` judges the metric but decides nothing.
    /// Requests are observed as ever: the windows, the load model and the quiet
    /// period are warm when this controller takes over.
    public var following = false {
        didSet { for i in backends.indices { backends[i].following = following } }
    }

    mutating func replaceBackends(_ new: [BackendAutoscaler]) {
        backends = new
        for i in backends.indices {
            backends[i].following = following
            backends[i].nodes = nodes
        }
        backendBytes = new.map { Array($0.name.value.utf8) }
    }

    func backendIndex(_ bytes: UnsafeRawBufferPointer) -> Int? {
        backendBytes.firstIndex { $0.count == bytes.count && $0.withUnsafeBytes { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 } }
    }

    public func index(of backend: ProxyName) -> Int? { backends.firstIndex { $0.name == backend } }

    /// The policy's metric from a record: `-1` when that phase never happened.
    static func metric(_ r: LogRecord, _ m: Inventory.Policy.Metric) -> Int32 {
        switch m {
        case .Tr: r.mode == .tcp ? r.Ta : r.Tr
        case .Ta, .Tt: r.Ta
        case .Tc: r.Tc
        }
    }

    /// Feeds one request, scanned from `line`. `openLoop`: the request says nothing
    /// about which servers the engine has in service (a replayed log, whose pool
    /// was not the engine's): only its latency, status and load count.
    /// Answers where the request went (nil: a backend the inventory does not manage),
    /// so a caller need not look the names up again.
    /// `node`: with several ``nodes``, the index of the one that logged it (-1: not known).
    @discardableResult
    public mutating func observe(_ r: LogRecord, line: UnsafeRawBufferPointer, node: Int = -1, at now: Duration,
                                 openLoop: Bool = false) -> Routed? {
        guard let b = backendIndex(r.backend.bytes(in: line)) else {
            unmanagedRequests &+= 1
            return nil
        }
        let serverBytes = r.server.bytes(in: line)
        let reached = !serverBytes.elementsEqual(Self.noServer) && !Self.connectFailed(r.termination.bytes(in: line))
        if !reached, !openLoop { healthSignal = true }
        // One mutating call: reading `backends[b]` for a lookup would copy the backend.
        let (server, value) = backends[b].observe(r, line: line, serverBytes: serverBytes, reachedServer: reached,
                                                  openLoop: openLoop, node: node, at: now)
        return Routed(backend: b, server: server, value: value)
    }

    /// A request's backend and managed server (indices), and its metric (-1: none).
    public struct Routed: Sendable, Equatable {
        public var backend: Int
        public var server: Int?
        public var value: Int32
    }

    /// `SC` (the server refused or reset the connection) or `sC` (the connect timed
    /// out): the request never reached the server.
    static func connectFailed(_ termination: UnsafeRawBufferPointer) -> Bool {
        termination.count >= 2 && termination[1] == UInt8(ascii: "C")
            && (termination[0] == UInt8(ascii: "S") || termination[0] == UInt8(ascii: "s"))
    }

    /// Whether a health signal came since the last call; clears it.
    public mutating func takeHealthSignal() -> Bool {
        defer { healthSignal = false }
        return healthSignal
    }

    /// A sign from outside the request log (HAProxy's own `Server … is DOWN` line).
    public mutating func noteHealthSignal() { healthSignal = true }

    public mutating func evaluate(at now: Duration) -> [EngineEvent] {
        var events: [EngineEvent] = []
        for i in backends.indices { events += backends[i].evaluate(at: now) }
        return events
    }

    /// Applies HAProxy's state, one observation per server; `newProcess`: HAProxy
    /// was reloaded or restarted since the last reconcile.
    /// `takingOver`: this controller just became the active one of its pair.
    public mutating func reconcile(_ observations: [ServerObservation], at now: Duration, reportDrift: Bool = true,
                                   newProcess: Bool = false, takingOver: Bool = false) -> [EngineEvent] {
        var events: [EngineEvent] = []
        for i in backends.indices {
            events += backends[i].reconcile(observations, at: now, reportDrift: reportDrift, newProcess: newProcess, takingOver: takingOver)
        }
        return events
    }

    /// The next start-up action of any backend, begun; nil when start-up is done.
    public mutating func nextStartupDecision(at now: Duration) -> ScaleDecision? {
        for i in backends.indices {
            if let d = backends[i].nextStartupDecision(at: now) { return d }
        }
        return nil
    }

    public mutating func finished(_ d: ScaleDecision, failures: Set<ProxyName> = [], at now: Duration) {
        guard let i = index(of: d.backend) else { return }
        backends[i].finished(d, failures: failures, at: now)
    }

    /// Actions in flight, one per backend at most.
    public var inFlight: [ScaleDecision] { backends.compactMap(\.inFlight) }

    public func status(at now: Duration) -> [BackendStatus] { backends.map { $0.status(at: now) } }
}
