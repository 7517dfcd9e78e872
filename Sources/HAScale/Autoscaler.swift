#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HAProxySocket
import LogParser
import Logging
import Synchronization
import SystemPackage

/// The running daemon's loop: follow the log, feed the engine, carry out its
/// decisions, and keep HAProxy's real state in view.
///
/// The tail/decide loop owns the engine and runs on its own thread (it blocks
/// in `poll` on inotify). Actions run as tasks, because a warm-up or a drain
/// takes seconds; their outcomes come back through an inbox and a wakeup pipe,
/// so the engine is only ever touched by the loop.
public final class Autoscaler: @unchecked Sendable {
    public struct Options: Sendable {
        public var logPath: FilePath
        public var fromStart = false
        public var dryRun = false
        /// Log each backend's status line this often (0: never), for watching a run.
        public var statusEvery: Duration = .zero
        /// How long the loop waits for the log before it ticks the clock.
        public var tick: Duration = .milliseconds(250)
        /// At shutdown, how long in-flight actions get to finish.
        public var shutdownGrace: Duration = .seconds(10)

        public init(logPath: FilePath) { self.logPath = logPath }
    }

    /// Where the daemon's systemd glue plugs in; every hook is optional.
    public struct Hooks: Sendable {
        /// The log is open, HAProxy's state reconciled, start-up actions done.
        public var ready: @Sendable () -> Void = {}
        /// Once per loop turn: proof of progress (what a watchdog ping must be tied to).
        public var progress: @Sendable () -> Void = {}
        /// Every backend's status line, at most once per ``Autoscaler/statusInterval``
        /// (the lines are built only then, not on every turn of the hot loop).
        public var status: @Sendable (_ lines: [String]) -> Void = { _ in }
        public var history: @Sendable (HistoryEvent) -> Void = { _ in }
        public init() {}
    }

    public let options: Options
    public let hooks: Hooks
    let logger: Logger
    let executor: ScaleExecutor
    let inventory: Mutex<Inventory>
    let pendingInventory = Mutex<(Inventory, @Sendable (InventoryChange) -> Void)?>(nil)
    var engine: DecisionEngine
    let origin = ContinuousClock.now
    let wakeup = Wakeup()
    let stopping = Atomic<Bool>(false)
    let inbox = Mutex<[(ScaleDecision, [ProxyName: String])]>([])
    let running = Mutex<[ScaleDecision]>([])
    /// How often the status hook hears the status lines.
    public static let statusInterval = Duration.seconds(1)

    public init(inventory: Inventory, api: RuntimeAPIClient, options: Options, hooks: Hooks = Hooks(), logger: Logger) {
        self.inventory = Mutex(inventory)
        self.options = options
        self.hooks = hooks
        self.logger = logger
        executor = ScaleExecutor(api: api, dryRun: options.dryRun)
        engine = DecisionEngine(inventory: inventory, at: .zero)
    }

    var now: Duration { ContinuousClock.now - origin }

    /// Takes a new inventory at the loop's next turn (a file edit or SIGHUP);
    /// `applied` hears what changed once it is in effect.
    public func reload(_ new: Inventory, applied: @escaping @Sendable (InventoryChange) -> Void = { _ in }) {
        pendingInventory.withLock { $0 = (new, applied) }
        wakeup.signal()
    }

    /// Asks the loop to stop; ``run()`` returns once in-flight actions are done
    /// (or ``Options/shutdownGrace`` has passed, which it reports).
    public func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        wakeup.signal()
    }

    public func run() async throws {
        let follower = try LogFollower(path: options.logPath, startAtEnd: !options.fromStart, wakeup: wakeup)
        logger.info("following \(options.logPath)\(options.fromStart ? " from its start" : "")")
        resync(reportDrift: false)
        for d in engine.startupPlan() {
            logger.info("start-up: \(d.direction == .up ? "bringing up" : "taking down") \(d.backend)/\(d.servers.map(\.value).joined(separator: ",")): \(d.reason)")
            engine.begin(d, at: now)
            let failures = await perform(d)
            engine.finished(d, failures: failures, at: now)
        }
        hooks.ready()
        logger.info("ready: \(engine.statusLines(at: now).joined(separator: "; "))")
        // Handed over whole: from here on only the loop thread touches it.
        nonisolated(unsafe) let handedOver = follower
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread { [self] in
                loop(handedOver)
                done.resume()
            }
        }
        await finishInFlight()
    }

    // MARK: the loop

    func loop(_ follower: LogFollower) {
        var resyncEvery = Self.resyncInterval(inventory.withLock { $0 })
        var nextResync = now + resyncEvery
        var nextStatusHook = now
        var nextStatusLog = now + options.statusEvery
        var lines: UInt64 = 0, parsed: UInt64 = 0, rejected: UInt64 = 0
        var readFailed = false
        while !stopping.load(ordering: .sequentiallyConsistent) {
            do {
                let t = now
                try follower.poll(timeout: options.tick) { event in
                    switch event {
                    case .line(let line):
                        lines &+= 1
                        switch LogLineScanner.scan(line) {
                        case .record(let r):
                            parsed &+= 1
                            engine.observe(r, line: line, at: t)
                        case .rejected:
                            rejected &+= 1
                        }
                    case .overlong:
                        lines &+= 1
                        rejected &+= 1
                    case .notice(let n):
                        logger.notice("\(n)")
                    }
                }
                readFailed = false
            } catch {
                if !readFailed { logger.error("cannot read the log: \(error); retrying") }
                readFailed = true
                usleep(200_000)
            }
            let t = now
            for (d, failures) in inbox.withLock({ let x = $0; $0.removeAll(); return x }) {
                engine.finished(d, failures: failures, at: t)
            }
            if let (new, applied) = pendingInventory.withLock({ let x = $0; $0 = nil; return x }) {
                var change = engine.apply(new, at: t)
                let old = inventory.withLock { let o = $0; $0 = new; return o }
                if old.log != new.log || old.socket != new.socket {
                    change.lines.append("\"log\" and \"haproxy.socket\" take effect at the next restart")
                }
                resyncEvery = Self.resyncInterval(new)
                logger.notice("inventory reloaded: \(change.summary)")
                hooks.history(HistoryEvent(kind: .configReloaded, reason: change.summary))
                for d in change.drains { handle(.scale(d)) }
                applied(change)
                nextResync = t  // learn the real state of new servers now
            }
            if !options.dryRun, t >= nextResync {
                resync(reportDrift: true)
                nextResync = t + resyncEvery
            }
            for event in engine.evaluate(at: t) { handle(event) }
            hooks.progress()
            let hookDue = t >= nextStatusHook
            let logDue = options.statusEvery > .zero && t >= nextStatusLog
            if hookDue || logDue {
                let status = engine.statusLines(at: t)
                if hookDue {
                    hooks.status(status)
                    nextStatusHook = t + Self.statusInterval
                }
                if logDue {
                    for s in status { logger.info("status \(s)") }
                    logger.info("status tail: \(lines) lines read, \(parsed) requests, \(rejected) skipped")
                    nextStatusLog = t + options.statusEvery
                }
            }
        }
    }

    /// The shortest `resync_seconds` of any backend, at least a second.
    static func resyncInterval(_ inventory: Inventory) -> Duration {
        .seconds(max(1, inventory.backends.map(\.policy.resyncSeconds).min() ?? 30))
    }

    /// HAProxy's state into the engine. A failure is reported, not fatal: the
    /// engine keeps its last view and actions re-read the state themselves.
    func resync(reportDrift: Bool) {
        do {
            let rows = try executor.serverStates()
            let stats = try executor.stats()
            for event in engine.reconcile(rows: rows, stats: stats, at: now, reportDrift: reportDrift) { handle(event) }
        } catch {
            logger.warning("cannot read HAProxy's state: \(error)")
        }
    }

    func handle(_ event: EngineEvent) {
        switch event {
        case .scale(let d):
            logger.notice("decision: \(d)")
            running.withLock { $0.append(d) }
            Task { [self] in
                let failures = await perform(d)
                running.withLock { $0.removeAll { $0 == d } }
                inbox.withLock { $0.append((d, failures)) }
                wakeup.signal()
            }
        case .suppressed(let s):
            logger.info("\(s)")
            hooks.history(HistoryEvent(kind: .decisionSuppressed, backend: s.backend.value, metricMs: s.metricMs,
                                       thresholdMs: s.thresholdMs, active: s.active, reason: s.reason))
        case .drift(let b, let s, let detail):
            logger.warning("\(b)/\(s): \(detail)")
            hooks.history(HistoryEvent(kind: .drift, backend: b.value, server: s.value, reason: detail))
        }
    }

    // MARK: actions

    /// Carries out `d` server by server; answers the servers that could not be moved.
    func perform(_ d: ScaleDecision) async -> [ProxyName: String] {
        var failures: [ProxyName: String] = [:]
        guard let backend = inventory.withLock({ $0.backends.first { $0.name == d.backend } }) else { return failures }
        let logger = self.logger
        let progress: @Sendable (String) -> Void = { logger.info("\($0)") }
        var active = d.activeBefore
        for name in d.servers {
            let ref = ServerRef(backend: d.backend, server: name)
            let server = backend.servers.first { $0.name == name }
            do {
                switch d.direction {
                case .up:
                    try await executor.scaleUp(ref, server: server ?? Inventory.Server(name: name, active: true),
                                               warmUp: WarmUp(policy: backend.policy),
                                               ramp: Duration.seconds(backend.policy.rampSeconds), progress: progress)
                    active += 1
                    logger.notice("scale_up \(ref): \(d.reason)")
                    hooks.history(event(.scaleUp, d, name, active: active))
                case .down:
                    hooks.history(event(.drainStarted, d, name, active: active - 1))
                    let outcome = try await executor.scaleDown(ref, server: server, drainTimeout: Duration.seconds(backend.policy.drainTimeoutSeconds),
                                                               progress: progress)
                    if case .timedOut(let sessions) = outcome {
                        hooks.history(HistoryEvent(kind: .drainTimeout, backend: d.backend.value, server: name.value, active: active - 1,
                                                   reason: "\(sessions) session(s) still open after \(formatSeconds(Duration.seconds(backend.policy.drainTimeoutSeconds))); cut by maintenance"))
                    }
                    active -= 1
                    logger.notice("scale_down \(ref): \(d.reason)")
                    hooks.history(event(.scaleDown, d, name, active: active))
                }
            } catch {
                failures[name] = error.description
                logger.error("\(d.direction == .up ? "scale-up" : "scale-down") of \(ref) failed: \(error)")
                if case .warmupFailed = error {
                    hooks.history(HistoryEvent(kind: .warmupFailed, backend: d.backend.value, server: name.value, active: active, reason: error.description))
                }
            }
        }
        return failures
    }

    func event(_ kind: HistoryEvent.Kind, _ d: ScaleDecision, _ server: ProxyName, active: Int) -> HistoryEvent {
        HistoryEvent(kind: kind, backend: d.backend.value, server: server.value, metricMs: d.metricMs,
                     thresholdMs: d.thresholdMs, active: active, reason: (options.dryRun ? "dry run: " : "") + d.reason)
    }

    /// Waits for in-flight actions, then says which ones were abandoned and in what state.
    func finishInFlight() async {
        let deadline = ContinuousClock.now + options.shutdownGrace
        while !running.withLock({ $0.isEmpty }), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        for d in running.withLock({ $0 }) {
            let servers = d.servers.map { "\(d.backend)/\($0)" }.joined(separator: ", ")
            if d.direction == .down {
                logger.warning("shutting down with the drain of \(servers) unfinished: it has weight 0 in drain state; finish it with `hascale disable \(servers)` or undo it with `hascale enable \(servers)`")
            } else {
                logger.warning("shutting down with the warm-up of \(servers) unfinished: it stays out of service")
            }
        }
    }
}
