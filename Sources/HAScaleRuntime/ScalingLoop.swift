import HAProxyNames
import HAProxySocket
import HAScale
import LogParser
import Logging
import NIOPosix
import Synchronization
import SystemPackage

/// The running daemon's loop: follow the log, feed the engine, carry out its
/// decisions, and keep HAProxy's real state in view.
///
/// The engine is a local of ``run()``: only the loop's own task touches it.
/// Waiting for the log blocks in `poll`, so it runs on a thread of the loop's
/// own; each action runs as a child task of ``run()`` and sends its outcome
/// back through a mailbox and the wake-up pipe. When ``run()`` returns, no
/// action is left running: at shutdown they get ``Options/shutdownGrace`` to
/// finish, then they are cancelled.
public struct ScalingLoop: Sendable {
    public struct Options: Sendable {
        public var log: LogSource
        public var fromStart = false
        /// Who may send to a receiver bound beyond loopback.
        public var logSourcesAllowed: [IPAddress] = []
        /// `SO_RCVBUF` for a `udp://` or `unix:` receiver.
        public var receiveBuffer = DatagramLogReceiver.defaultReceiveBuffer
        public var dryRun = false
        /// Log each backend's status line this often (0: never), for watching a run.
        public var statusEvery: Duration = .zero
        /// How long the loop waits for the log before it ticks the clock.
        public var tick: Duration = .milliseconds(250)
        /// At shutdown, how long in-flight actions get to finish.
        public var shutdownGrace: Duration = .seconds(10)
        /// One of a keepalived pair (`"leader"`): act only while this says so, and
        /// otherwise follow the log and HAProxy on standby. nil: always act.
        public var leadership: (any LeadershipCheck)?
        /// How often the leadership is asked at most (``VRRPLeadership`` costs about 0.2 ms).
        public var leadershipCheckEvery: Duration = .milliseconds(250)
        /// Calendar time for the snapshot (when it was taken, when decisions were made,
        /// the log's lag); decisions never read it.
        public var wallClock: @Sendable () -> Double = WallClock.now

        public init(log: LogSource) { self.log = log }
        public init(logPath: FilePath) { log = .file(logPath.string) }
    }

    /// Where the daemon's systemd glue plugs in; every hook is optional.
    public struct Hooks: Sendable {
        /// The log is open, HAProxy's state reconciled, start-up actions done.
        public var ready: @Sendable () -> Void = {}
        /// Once per loop turn: proof of progress (what a watchdog ping must be tied to).
        public var progress: @Sendable () -> Void = {}
        /// Every backend's status line, at most once per ``ScalingLoop/statusInterval``
        /// (the lines are built only then, not on every turn of the hot loop).
        public var status: @Sendable (_ lines: [String]) -> Void = { _ in }
        public var history: @Sendable (HistoryEvent) -> Void = { _ in }
        /// The loop's view as a value, with the status hook's cadence: what `/metrics`
        /// and the state file behind `hascale status` and `hascale servers` read.
        public var snapshot: @Sendable (LoopSnapshot) -> Void = { _ in }
        /// Opens `journal:UNIT` sources; nil where libsystemd is not linked.
        public var openJournal: JournalOpener?
        public init() {}
    }

    /// How other tasks reach the loop: all of it is safe to touch from anywhere.
    final class Mailbox: Sendable {
        let wakeup: Wakeup
        let stopping = Atomic<Bool>(false)
        let inventory = Mutex<(Inventory, @Sendable (InventoryChange) -> Void)?>(nil)
        let outcomes = Mutex<[(ScaleDecision, Set<ProxyName>)]>([])

        init() throws(FileError) { wakeup = try Wakeup() }

        func take<T>(_ box: borrowing Mutex<[T]>) -> [T] { box.withLock { let x = $0; $0.removeAll(); return x } }
    }

    public let options: Options
    public let hooks: Hooks
    let logger: Logger
    let api: CountingRuntimeAPI
    let clock: any RuntimeClock
    let initialInventory: Inventory
    let mailbox: Mailbox
    /// How often the status hook hears the status lines.
    public static let statusInterval = Duration.seconds(1)

    /// Several HAProxy nodes scaled as one pool (``HAProxyNodes``); nil: `api` alone. The
    /// loop's own copy of the nodes given, each api wrapped to count its errors.
    let nodes: HAProxyNodes?

    public init(inventory: Inventory, api: any RuntimeAPI, nodes: HAProxyNodes? = nil, clock: any RuntimeClock = MonotonicClock(),
                options: Options, hooks: Hooks = Hooks(), logger: Logger) throws(FileError) {
        initialInventory = inventory
        // Runtime-API errors count wherever a command goes: the api, and each node's.
        let counted = CountingRuntimeAPI(api)
        self.api = counted
        self.nodes = nodes.map { HAProxyNodes($0.nodes.map { .init(name: $0.name, api: CountingRuntimeAPI($0.api, tally: counted.tally)) }) }
        self.clock = clock
        self.options = options
        self.hooks = hooks
        self.logger = logger
        mailbox = try Mailbox()
    }

    /// Takes a new inventory at the loop's next turn (a file edit or SIGHUP);
    /// `applied` hears what changed once it is in effect.
    public func reload(_ new: Inventory, applied: @escaping @Sendable (InventoryChange) -> Void = { _ in }) {
        mailbox.inventory.withLock { $0 = (new, applied) }
        mailbox.wakeup.signal()
    }

    /// Asks the loop to stop; ``run()`` returns once in-flight actions are done
    /// (or ``Options/shutdownGrace`` has passed, which it reports). Cancelling
    /// the task that runs ``run()`` does the same.
    public func stop() {
        mailbox.stopping.store(true, ordering: .sequentiallyConsistent)
        mailbox.wakeup.signal()
    }

    var stopping: Bool { mailbox.stopping.load(ordering: .sequentiallyConsistent) }

    public func run() async throws {
        let attribution = nodes == nil ? nil : NodeAttribution(nodes: initialInventory.nodes)
        let follower = try options.log.open(fromStart: options.fromStart, allowed: options.logSourcesAllowed,
                                            senders: attribution?.senders ?? [], receiveBuffer: options.receiveBuffer,
                                            wakeup: mailbox.wakeup, journal: hooks.openJournal)
        logger.info("following \(follower)\(options.fromStart ? " from its start" : "")")
        let waits = NIOThreadPool(numberOfThreads: 1)
        waits.start()
        var ended = false
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                let inventory = Self.forPool(initialInventory, nodes: nodes)
                if nodes != nil, initialInventory.backends.contains(where: { $0.policy.sizing == .model }) {
                    logger.notice("several HAProxy nodes: servers come and go one step at a time (sizing \"step\"): the load model is not yet trusted on connection counts pooled from several nodes")
                }
                var state = LoopState(engine: DecisionEngine(inventory: inventory, at: clock.now), inventory: inventory)
                if let attribution {
                    state.nodeLog = NodeLog(attribution)
                    logger.info("requests are told to their node by \(attribution.summary)")
                    for a in attribution.ambiguous {
                        logger.warning("\(a) is the address of more than one HAProxy node: their lines are told apart by hostname only (`log-send-hostname` on each node)")
                    }
                }
                await loop(&state, follower, waits, &group)
                ended = state.logEnded
            }
        } onCancel: {
            stop()
        }
        try? await waits.shutdownGracefully()
        if ended { throw LogEndedError(source: follower.description) }
    }

    /// What one run of the loop owns.
    struct LoopState {
        var engine: DecisionEngine
        var inventory: Inventory
        var apiUnreachable = false
        /// The HAProxy process the last resync talked to.
        var process: ProcessInfoReply?
        /// Several nodes: each one's process, and the out-of-step ones already reported.
        var nodeProcesses: [String: ProcessInfoReply] = [:]
        var nodesReported: Set<String> = []
        /// When a health signal in the log last made the loop resync.
        var lastSignalResync: Duration?
        /// While HAProxy does not answer: how long until the next try.
        var retryDelay: Duration?
        /// Decisions handed to a child task whose outcome has not come back, of
        /// any backend, also one a reload has since stopped managing.
        var running: [ScaleDecision] = []
        var lines: UInt64 = 0, parsed: UInt64 = 0, rejected: UInt64 = 0
        /// Lines lost before hascale read them, by ``LogLoss/kind``, and when each was last warned of.
        var lost: [String: UInt64] = [:], lostWarned: [String: Duration] = [:], lostUnwarned: [String: (UInt64, LogLoss)] = [:]
        var lastLoss: (at: Duration, line: String)?
        var logEnded = false
        /// Another host holds the leader address: observe and read, never act.
        var standby = false
        /// Became the active one: the next resync looks for what the previous one left half done.
        var takingOver = false
        var leadershipCheckedAt: Duration?
        var leadershipFailed = false
        /// For ``LoopSnapshot``: decisions by kind and the last few, the newest accept
        /// date read (`.min`: none yet) and the zone it is read in.
        var ledger = DecisionLedger()
        var newestAcceptMs = Int64.min, utcOffset = WallClock.utcOffsetSeconds(at: WallClock.now())
        var startedAt: Double?
        /// Several nodes: whose each request line is, and which node's log went quiet.
        var nodeLog: NodeLog?
    }

    func loop(_ state: inout LoopState, _ follower: any LogReader, _ waits: NIOThreadPool, _ group: inout DiscardingTaskGroup) async {
        let executor = nodes.map { ScaleExecutor(nodes: $0, dryRun: options.dryRun, clock: clock) }
            ?? ScaleExecutor(api: api, dryRun: options.dryRun, clock: clock)
        if let leadership = options.leadership { startRole(leadership, &state) }
        await resync(&state, executor, reportDrift: false, into: &group)
        // A standby leaves start-up to whichever controller acts; one that takes over later continues from HAProxy's state.
        while !stopping, !state.standby, let d = state.engine.nextStartupDecision(at: clock.now) {
            let verb = d.direction == .up ? "bringing up" : "taking down"
            logger.info("start-up: \(verb) \(d.backend)/\(d.servers.map(\.value).joined(separator: ",")): \(EventProse.reason(d))")
            state.ledger.decided(d, at: options.wallClock())
            let failures = await perform(d, backend: state.inventory.backends.first { $0.name == d.backend }, executor)
            state.ledger.failed(d, servers: failures.count)
            state.engine.finished(d, failures: failures, at: clock.now)
            if let leadership = options.leadership { _ = checkLeadership(leadership, &state, at: clock.now) }
        }
        var resyncEvery = Self.resyncInterval(state.inventory)
        var nextResync = clock.now + resyncEvery
        var nextStatusHook = clock.now
        var nextStatusLog = clock.now + options.statusEvery
        var readFailed = false
        // Ready only once the loop's timers run: from here on, time that passes counts.
        hooks.ready()
        logger.info("ready: \(statusLines(state, at: clock.now).joined(separator: "; "))")
        while !stopping {
            await wait(follower.waiter, on: waits, for: options.tick)
            // Lines read now arrived during the wait: they get the time after it.
            let t = clock.now
            do {
                try follower.readAvailable { event in
                    switch event {
                    case .line(let line, let sender):
                        state.lines &+= 1
                        switch LogLineScanner.scan(line) {
                        case .record(let r):
                            state.parsed &+= 1
                            state.noteAccepted(r, line)
                            let node = state.nodeLog?.attribute(sender: sender, r, line: line, at: t) ?? -1
                            state.engine.observe(r, line: line, node: node, at: t)
                        case .rejected:
                            state.rejected &+= 1
                            // HAProxy's own health-check lines (`Server app/s1 is DOWN, reason: …`).
                            if Self.mentionsServerDown(line) { state.engine.noteHealthSignal() }
                        }
                    case .overlong:
                        state.lines &+= 1
                        state.rejected &+= 1
                    case .notice(let n):
                        logger.notice("\(n)")
                    case .lost(let count, let cause):
                        state.lost[cause.kind, default: 0] &+= count
                        let pending = state.lostUnwarned[cause.kind]?.0 ?? 0
                        state.lostUnwarned[cause.kind] = (pending &+ count, cause)
                    case .ended:
                        logger.error("the log on \(follower) ended: nothing more to scale on; stopping")
                        state.logEnded = true
                        mailbox.stopping.store(true, ordering: .sequentiallyConsistent)
                    }
                }
                warnLosses(&state, follower, at: t)
                readFailed = false
            } catch {
                if !readFailed { logger.error("cannot read the log: \(error); retrying") }
                readFailed = true
            }
            takeOutcomes(&state)
            if let (reloaded, applied) = mailbox.inventory.withLock({ let x = $0; $0 = nil; return x }) {
                let new = Self.forPool(reloaded, nodes: nodes)
                var change = state.engine.apply(new, at: t)
                if state.inventory.log != new.log || state.inventory.socket != new.socket || state.inventory.nodes != new.nodes
                    || state.inventory.metrics != new.metrics {
                    change.lines.append("\"log\", \"haproxy.socket\", \"haproxy.nodes\" and \"metrics\" take effect at the next restart")
                }
                if state.inventory.leader != new.leader { change.lines.append("\"leader\" takes effect at the next restart") }
                state.inventory = new
                resyncEvery = Self.resyncInterval(new)
                logger.notice("inventory reloaded: \(change.summary)")
                hooks.history(HistoryEvent(kind: .configReloaded, reason: change.summary))
                applied(change)
                nextResync = t  // learn the real state of new servers now
            }
            if let leadership = options.leadership,
               state.leadershipCheckedAt.map({ t - $0 >= options.leadershipCheckEvery }) ?? true,
               checkLeadership(leadership, &state, at: t) {
                nextResync = t  // taking over: HAProxy's truth first, before any decision
            }
            // A sign in the log that a server stopped serving: read HAProxy now, at most twice a second.
            // A signal inside the spacing waits for it, not lost; none while HAProxy does not answer (backoff)
            // or while another controller acts (it reacts; this one reads at its resyncs).
            if state.engine.healthSignal, !options.dryRun, !state.apiUnreachable, !state.standby,
               state.lastSignalResync.map({ t - $0 >= Self.signalResyncSpacing }) ?? true {
                _ = state.engine.takeHealthSignal()
                state.lastSignalResync = t
                nextResync = t
            }
            if !options.dryRun, t >= nextResync {
                await resync(&state, executor, reportDrift: true, into: &group)
                if state.apiUnreachable {
                    // Retried with backoff: the resync interval, doubled each time, up to 30 s.
                    let delay = min(max(resyncEvery, .seconds(30)), (state.retryDelay ?? resyncEvery / 2) * 2)
                    state.retryDelay = delay
                    nextResync = t + delay
                } else {
                    state.retryDelay = nil
                    nextResync = t + resyncEvery
                }
            }
            // Decisions need HAProxy's state confirmed: while it does not answer the
            // engine goes on observing requests but decides nothing.
            // On standby the engine follows (``DecisionEngine/following``): it judges the
            // metric but decides nothing, so nothing is sent.
            if !state.apiUnreachable {
                for event in state.engine.evaluate(at: clock.now) { handle(event, &state, executor, &group) }
            }
            hooks.progress()
            let now = clock.now
            let hookDue = now >= nextStatusHook
            let logDue = options.statusEvery > .zero && now >= nextStatusLog
            if hookDue || logDue {
                if state.nodeLog != nil { warnQuietNodes(&state, at: now) }
                var status = statusLines(state, at: now)
                if let loss = state.lastLoss, now - loss.at < Self.lossWarningSpacing { status.append(loss.line) }
                if hookDue {
                    hooks.status(status)
                    hooks.snapshot(snapshot(&state, source: follower.description, at: now))
                    nextStatusHook = now + Self.statusInterval
                }
                if logDue {
                    for s in status { logger.info("status \(s)") }
                    let lost = state.lost.values.reduce(0, &+)
                    logger.info("status tail: \(state.lines) lines read, \(state.parsed) requests, \(state.rejected) skipped\(lost > 0 ? ", \(lost) lost before reading" : "")")
                    nextStatusLog = now + options.statusEvery
                }
            }
        }
        await finishInFlight(&state, follower.waiter, waits)
        group.cancelAll()
    }

    /// A node whose log went quiet while the others' goes on: warned of once, and when it is back.
    func warnQuietNodes(_ state: inout LoopState, at now: Duration) {
        guard let (quiet, back) = state.nodeLog?.quietNodes(at: now) else { return }
        for name in quiet {
            logger.warning("no request line from HAProxy node \(name) for \(Int(NodeLog.quietAfter.seconds)) s while the other nodes logged: its share of the traffic is not seen. Check its `log` line to this controller, the \"log_sources_allowed\" list and any firewall between")
        }
        for name in back { logger.notice("HAProxy node \(name) logs again") }
    }

    /// Losses are warned of at most this often per cause; the count in between is summed.
    static let lossWarningSpacing = Duration.seconds(60)

    func warnLosses(_ state: inout LoopState, _ source: any LogReader, at t: Duration) {
        for (kind, (count, cause)) in state.lostUnwarned {
            if let last = state.lostWarned[kind], t - last < Self.lossWarningSpacing { continue }
            let text = cause.warning(count: count, source: source.description)
            logger.warning("\(text)")
            state.lostWarned[kind] = t
            state.lostUnwarned[kind] = nil
            state.lastLoss = (t, "log: \(state.lost[kind] ?? count) lines lost (\(kind)); see the warning")
        }
    }

    /// Waits on `pool` for the log, the wake-up or `timeout`, whichever comes
    /// first; it ignores cancellation (it is bounded by `timeout` anyway), so a
    /// cancelled loop still paces its shutdown instead of spinning.
    func wait(_ waiter: ChangeWaiter, on pool: NIOThreadPool, for timeout: Duration) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            pool.submit { state in
                if case .active = state { waiter.wait(timeout: timeout) }
                done.resume()
            }
        }
    }

    /// How close together health signals in the log may make the loop resync.
    static let signalResyncSpacing = Duration.milliseconds(500)

    static let serverDownMark = Array(" is DOWN".utf8)

    /// Whether a line HAProxy logged says a server went DOWN.
    static func mentionsServerDown(_ line: UnsafeRawBufferPointer) -> Bool {
        let mark = serverDownMark
        guard line.count >= mark.count else { return false }
        for start in 0...(line.count - mark.count) where line[start] == mark[0] {
            if (1..<mark.count).allSatisfy({ line[start + $0] == mark[$0] }) { return true }
        }
        return false
    }

    /// The shortest `resync_seconds` of any backend, at least a second.
    static func resyncInterval(_ inventory: Inventory) -> Duration {
        .seconds(max(1, inventory.backends.map(\.policy.resyncSeconds).min() ?? 30))
    }

    /// HAProxy's state into the engine. A failure is reported once, not fatal:
    /// the engine keeps its last view and actions re-read the state themselves.
    func resync(_ state: inout LoopState, _ executor: ScaleExecutor, reportDrift: Bool, into group: inout DiscardingTaskGroup) async {
        do {
            let newProcess: Bool
            if let nodes = executor.nodes {
                newProcess = try await resyncNodes(&state, nodes)
            } else {
                let info = try await executor.processInfo()
                newProcess = state.process.map { info.isNewProcess(since: $0) } ?? false
                state.process = info
            }
            let observations = try await executor.observations()
            if state.apiUnreachable { logger.notice("HAProxy's runtime API answers again") }
            state.apiUnreachable = false
            // On standby a new process is the active controller's to re-apply, and changes are its actions, not drift.
            let takingOver = state.takingOver
            state.takingOver = false
            for event in state.engine.reconcile(observations, at: clock.now, reportDrift: reportDrift && !state.standby,
                                                newProcess: newProcess && !state.standby, takingOver: takingOver) {
                handle(event, &state, executor, &group)
            }
            if takingOver { logger.notice("took over from HAProxy's state: \(statusLines(state, at: clock.now).joined(separator: "; "))") }
        } catch {
            if !state.apiUnreachable { logger.warning("cannot read HAProxy's state: \(error); nothing is changed until it answers, retrying") }
            state.apiUnreachable = true
        }
    }

    /// With several nodes the load model sizes nothing yet: each node logs its own share of
    /// the connections, and though ``NodeShares`` pools them, the pooled counts kept the model
    /// asking for every server under a light load in the multi-node end-to-end test. One step at
    /// a time instead (`sizing: step`), until that is understood.
    static func forPool(_ inventory: Inventory, nodes: HAProxyNodes?) -> Inventory {
        guard let nodes, nodes.nodes.count > 1 else { return inventory }
        var inv = inventory
        for i in inv.backends.indices { inv.backends[i].policy.sizing = .step }
        return inv
    }

    /// Several nodes: which answer, which were restarted, and each out-of-step
    /// node that answers brought to the pool's state. Throws when none answers;
    /// answers whether every node is a new process (the pool's state is gone
    /// everywhere, so the engine re-applies its own view).
    func resyncNodes(_ state: inout LoopState, _ nodes: HAProxyNodes) async throws(ScaleError) -> Bool {
        let infos = await nodes.processInfos()
        guard !infos.isEmpty else { throw .api(.connectFailed(address: nodes.description, errno: 0, message: "no HAProxy node answers")) }
        var restarted = 0
        for node in nodes.nodes {
            guard let info = infos[node.name] else { continue }
            if let old = state.nodeProcesses[node.name], info.isNewProcess(since: old) {
                restarted += 1
                nodes.markOutOfStep(node.name, "it was restarted or reloaded (pid \(old.pid) → \(info.pid))")
            }
            state.nodeProcesses[node.name] = info
        }
        let everyNodeNew = restarted == nodes.nodes.count
        for (name, why) in nodes.outOfStepNodes.sorted(by: { $0.key < $1.key }) {
            if !state.nodesReported.contains(name) {
                state.nodesReported.insert(name)
                logger.warning("HAProxy node \(name) is out of step: \(why); the others go on, and it is brought to the pool's state when it answers")
                hooks.history(HistoryEvent(kind: .drift, reason: "node \(name) is out of step: \(why)"))
            }
            // A standby sends nothing: bringing nodes in step is the active controller's.
            guard infos[name] != nil, !everyNodeNew, !state.standby, let sent = await nodes.bringInStep(name) else { continue }
            state.nodesReported.remove(name)
            let what = sent.isEmpty ? "it already matched" : sent.map(\.description).joined(separator: "; ")
            logger.notice("HAProxy node \(name) resynced to the pool's state: \(what)")
            hooks.history(HistoryEvent(kind: .nodeResynced, reason: "node \(name) (\(why)): \(what)"))
        }
        if everyNodeNew, !state.standby { for n in nodes.nodes { _ = await nodes.bringInStep(n.name) } }
        return everyNodeNew
    }

    func takeOutcomes(_ state: inout LoopState) {
        let now = clock.now
        for (d, failures) in mailbox.take(mailbox.outcomes) {
            if let i = state.running.firstIndex(of: d) { state.running.remove(at: i) }
            state.ledger.failed(d, servers: failures.count)
            state.engine.finished(d, failures: failures, at: now)
        }
    }

    func handle(_ event: EngineEvent, _ state: inout LoopState, _ executor: ScaleExecutor, _ group: inout DiscardingTaskGroup) {
        switch event {
        case .scale(let d):
            logger.notice("decision: \(EventProse.describe(d))")
            state.ledger.decided(d, at: options.wallClock())
            let backend = state.inventory.backends.first { $0.name == d.backend }
            let mailbox = self.mailbox
            state.running.append(d)
            group.addTask {
                let failures = await perform(d, backend: backend, executor)
                mailbox.outcomes.withLock { $0.append((d, failures)) }
                mailbox.wakeup.signal()
            }
        case .suppressed(let s):
            logger.info("\(EventProse.describe(s))")
            state.ledger.heldBack(s, at: options.wallClock())
            hooks.history(HistoryEvent(kind: .decisionSuppressed, backend: s.backend.value, metricMs: s.reading.valueMs,
                                       thresholdMs: s.reading.thresholdMs, active: s.active, reason: EventProse.reason(s)))
        case .drift(let d):
            let detail = EventProse.detail(d)
            logger.warning("\(d.backend)/\(d.server): \(detail)")
            hooks.history(HistoryEvent(kind: .drift, backend: d.backend.value, server: d.server.value, reason: detail))
        case .health(let h):
            let detail = EventProse.detail(h)
            let down: Bool
            if case .down = h.kind { down = true } else { down = false }
            if down { logger.warning("\(h.backend)/\(h.server): \(detail)") } else { logger.notice("\(h.backend)/\(h.server): \(detail)") }
            let active = state.engine.backends.first { $0.name == h.backend }?.activeCount
            hooks.history(HistoryEvent(kind: down ? .serverDown : .serverUp, backend: h.backend.value, server: h.server.value,
                                       active: active, reason: detail))
        case .outlier(let o):
            let detail = EventProse.detail(o)
            let kind: HistoryEvent.Kind?
            switch o.kind {
            case .detected: kind = .outlierDetected
            case .readmitted: kind = .outlierReadmitted
            case .kept: kind = nil
            }
            if kind == .outlierReadmitted { logger.notice("\(o.backend)/\(o.server): \(detail)") } else { logger.warning("\(o.backend)/\(o.server): \(detail)") }
            if let kind {
                hooks.history(HistoryEvent(kind: kind, backend: o.backend.value, server: o.server.value,
                                           serverMetricMs: o.reading?.serverMetricMs, peerMedianMs: o.reading?.peerMedianMs, reason: detail))
            }
        case .haproxyRestarted(let b, let up, let down):
            let detail = EventProse.restarted(up, down)
            logger.notice("\(b): \(detail)")
            hooks.history(HistoryEvent(kind: .haproxyReloaded, backend: b.value, reason: detail))
        }
    }

    // MARK: actions

    /// Carries out `d` server by server; answers the servers that could not be moved.
    func perform(_ d: ScaleDecision, backend: Inventory.Backend?, _ executor: ScaleExecutor) async -> Set<ProxyName> {
        var failures: Set<ProxyName> = []
        let policy = backend?.policy ?? Inventory.Policy()
        let logger = self.logger
        let progress: @Sendable (String) -> Void = { logger.info("\($0)") }
        let reason = EventProse.reason(d)
        let recorded = (options.dryRun ? "dry run: " : "") + reason
        var active = d.activeBefore
        func entry(_ kind: HistoryEvent.Kind, _ server: ProxyName, _ reason: String, metric: Bool = true) -> HistoryEvent {
            HistoryEvent(kind: kind, backend: d.backend.value, server: server.value, metricMs: metric ? d.metricMs : nil,
                         thresholdMs: metric ? d.thresholdMs : nil, active: active, reason: reason)
        }
        for name in d.servers {
            let ref = ServerRef(backend: d.backend, server: name)
            let server = backend?.servers.first { $0.name == name }
            do {
                switch d.direction {
                case .up:
                    try await executor.scaleUp(ref, server: server ?? Inventory.Server(name: name, active: true),
                                               warmUp: WarmUp(policy: policy), ramp: .seconds(policy.rampSeconds),
                                               maxActive: Self.maxActiveGuard(d, policy), progress: progress)
                    active += 1
                    logger.notice("scale_up \(ref): \(reason)")
                    if case .replacing = d.cause {
                        hooks.history(entry(.serverReplaced, name, recorded))
                    } else {
                        hooks.history(entry(.scaleUp, name, recorded))
                    }
                case .down:
                    // A drain another controller left was out of service already: finishing it lowers nothing.
                    let lowers = if case .leftDraining = d.cause { 0 } else { 1 }
                    active -= lowers
                    hooks.history(entry(.drainStarted, name, recorded))
                    let timeout = Duration.seconds(policy.drainTimeoutSeconds)
                    switch try await executor.scaleDown(ref, server: server, drainTimeout: timeout, minActive: Self.minActiveGuard(d),
                                                        poolOrder: d.pick == .lastInPoolOrder ? backend?.servers.filter { !$0.alwaysUp }.map(\.name) : nil,
                                                        progress: progress) {
                    case .interrupted:
                        active += lowers
                        failures.insert(name)
                        logger.warning("shutting down with the drain of \(ref) unfinished: it has weight 0 in drain state; finish it with `hascale disable \(ref)` or undo it with `hascale enable \(ref)`")
                        continue
                    case .timedOut(let sessions):
                        hooks.history(entry(.drainTimeout, name, "\(sessions) session(s) still open after \(formatSeconds(timeout)); cut by maintenance", metric: false))
                    case .drained:
                        break
                    }
                    logger.notice("scale_down \(ref): \(reason)")
                    if case .outlier(let r) = d.cause {
                        var e = entry(.outlierEjected, name, recorded)
                        e.serverMetricMs = r.serverMetricMs
                        e.peerMedianMs = r.peerMedianMs
                        hooks.history(e)
                    } else {
                        hooks.history(entry(.scaleDown, name, recorded))
                    }
                }
            } catch {
                failures.insert(name)
                if case .warmupFailed = error, Task.isCancelled {
                    // Shutdown cut the warm-up short: not the app's failure.
                    logger.warning("shutting down with the warm-up of \(ref) unfinished: it stays out of service")
                    continue
                }
                logger.error("\(d.direction == .up ? "scale-up" : "scale-down") of \(ref) failed: \(error)")
                if case .warmupFailed = error {
                    hooks.history(entry(.warmupFailed, name, error.description, metric: false))
                }
            }
        }
        return failures
    }

    /// Waits up to the grace period for the actions running, then says how many
    /// are cut short; each says itself, as it ends, in what state it leaves its server.
    func finishInFlight(_ state: inout LoopState, _ waiter: ChangeWaiter, _ waits: NIOThreadPool) async {
        let deadline = clock.now + options.shutdownGrace
        takeOutcomes(&state)
        logger.info("stopping: \(state.running.isEmpty ? "no action in flight" : "waiting up to \(formatSeconds(options.shutdownGrace)) for \(state.running.count) action(s) in flight")")
        while !state.running.isEmpty, case let left = deadline - clock.now, left > .zero {
            await wait(waiter, on: waits, for: min(options.tick, left))
            takeOutcomes(&state)
        }
        if !state.running.isEmpty {
            let what = state.running.map { d in
                "\(d.direction == .up ? "warm-up" : "drain") of \(d.servers.map { "\(d.backend)/\($0)" }.joined(separator: ", "))"
            }
            logger.warning("the shutdown grace of \(formatSeconds(options.shutdownGrace)) is over; cancelling the \(what.joined(separator: ", "))")
        }
    }
}
