import ArgumentParser
import Glibc
import HAScale
import HAScaleMetrics
import HAScaleRuntime
import Logging
import ServiceLifecycle
import UnixSignals
import SystemPackage

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Follow HAProxy's log and scale its backends (the daemon; the default command).",
        discussion: """
            `hascale run --config /etc/hascale/servers.json --log /var/log/haproxy.log`, or the \
            original script's form `hascale /var/log/haproxy.log`. At start, HAProxy is brought in \
            line with the inventory's `active` flags (warm-up first for servers coming up); then \
            every request in the log feeds the decision engine, whose actions and reasons are \
            logged. SIGTERM or SIGINT stop it gracefully: in-flight warm-ups and drains get 10 s \
            to finish, and any left unfinished are reported with the command that finishes them.
            """
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Where HAProxy's log comes from: a file path, journal[:UNIT], udp://ADDR:PORT, unix:PATH or - (standard input). Overrides the inventory's \"log\"; default: /var/log/haproxy.log if it exists, else journal:haproxy.service.")
    var log: String?

    @Option(name: .long, help: "The receive buffer (SO_RCVBUF) of a udp:// or unix: log receiver, in bytes (overrides \"log_receive_buffer_bytes\").")
    var receiveBuffer: Int?

    @Flag(help: "Decide and explain, send nothing to HAProxy (actions are simulated as if they succeeded).")
    var dryRun = false

    @Flag(help: "Read what the log already holds before following it.")
    var fromStart = false

    @Option(help: "Log every backend's status line this often, in seconds (0: never).")
    var statusEvery: Double = 0

    @Option(help: "Where to keep the daemon's view for `hascale status` and `hascale servers`, rewritten every second (default: $RUNTIME_DIRECTORY/state.json under systemd, else nowhere).")
    var stateFile: String?

    @Option(help: "Serve Prometheus metrics at GET /metrics on ADDR:PORT: 127.0.0.1:9101, [::1]:9101, or :9101 for loopback (overrides \"metrics\"; default: not served).")
    var metrics: String?

    @Option(help: "Lowest level logged: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(help: "Where the daemon's own log goes: auto (the journal under systemd, else stderr), journal, stderr.")
    var logTarget: LogTarget = .auto

    @Argument(help: "The HAProxy log to follow (same as --log).")
    var logFile: String?

    func validate() throws {
        if log != nil && logFile != nil { throw ValidationError("Give the log once: either --log or the argument.") }
        _ = try metricsEndpoint(nil)
    }

    /// `--metrics`, else the inventory's `"metrics"`; nil: not served.
    func metricsEndpoint(_ inventory: Inventory?) throws -> IPEndpoint? {
        guard let metrics else { return inventory?.metrics }
        do {
            return try IPEndpoint(parsing: metrics, examplePort: 9101)
        } catch {
            throw ValidationError("--metrics \(metrics.debugDescription) \(error.problem)")
        }
    }

    func run() async throws {
        let inventory = try options.inventory(required: true)!
        let (source, why) = try LogSourceChoice.resolve(log ?? logFile, inventory: inventory)
        DaemonLogging.bootstrap(level: logLevel, target: logTarget)
        var logger = Logger(label: "hascale")
        logger.logLevel = logLevel
        if let why { logger.notice("log source: \(source), because \(why); set \"log\" or --log to choose") }
        var runOptions = ScalingLoop.Options(log: source)
        runOptions.logSourcesAllowed = inventory.logSourcesAllowed
        if let b = receiveBuffer ?? inventory.logReceiveBufferBytes { runOptions.receiveBuffer = b }
        runOptions.dryRun = dryRun
        runOptions.fromStart = fromStart
        runOptions.statusEvery = .seconds(statusEvery)
        let stateWriter = (stateFile.map { FilePath($0) } ?? StateFile.defaultPath(environment: Self.runtimeDirectory))
            .map { StateFileWriter(path: $0, logger: logger) }
        let published = PublishedSnapshot()
        runOptions.leadership = inventory.leader.map { VRRPLeadership(address: $0.vrrpAddress) }
        let notifier = SystemdNotifier()
        var hooks = ScalingLoop.Hooks()
        hooks.ready = { notifier.ready() }
        hooks.progress = { notifier.progress() }
        hooks.status = { notifier.status($0) }
        hooks.history = { Journal.record($0) }
        hooks.snapshot = { snapshot in
            published.publish(snapshot)
            stateWriter?.write(snapshot)
        }
        hooks.openJournal = LogSourceChoice.openJournal
        let nodes = try options.nodes(inventory)
        if let nodes { logger.info("one pool across \(nodes.nodes.count) HAProxy nodes: \(nodes.description)") }
        let loop = try ScalingLoop(inventory: inventory, api: OffloadedRuntimeAPI(try options.client(inventory)), nodes: nodes,
                                   options: runOptions, hooks: hooks, logger: logger)
        let reloader = InventoryReloader(path: options.config, loop: loop, notifier: notifier, logger: logger)
        let watcher = try? FileChangeWatcher(path: FilePath(options.config)) { reloader.reload(because: "\(options.config) changed") }
        if watcher == nil { logger.warning("cannot watch \(options.config) for edits; reload with SIGHUP (systemctl reload hascale)") }
        defer { watcher?.stop() }
        let server = try await serveMetrics(metricsEndpoint(inventory), published, logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: ScalingLoopService(loop: loop, notifier: notifier)),
                       .init(service: ReloadSignalService(reloader: reloader))],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        do {
            try await group.run()
        } catch {
            await server?.stop()
            throw error
        }
        await server?.stop()
    }

    /// The metrics endpoint, listening before the loop starts: a port that cannot be
    /// had stops the daemon at start (exit 2), not silently later.
    func serveMetrics(_ endpoint: IPEndpoint?, _ published: PublishedSnapshot, _ logger: Logger) async throws -> MetricsServer? {
        guard let endpoint else { return nil }
        let server: MetricsServer
        do {
            server = try await MetricsServer(endpoint: endpoint, snapshot: published, version: HAScaleVersion.current)
        } catch {
            logger.error("\(error)")
            throw HAScaleExit.unavailable
        }
        logger.info("serving Prometheus metrics on http://\(server.endpoint)/metrics")
        if !endpoint.address.isLoopback {
            logger.notice("/metrics listens on \(server.endpoint), beyond this host: whoever reaches it reads the backend and server names and the pools; restrict it (a firewall, or IPAddressAllow= in a drop-in for hascale.service) or bind 127.0.0.1")
        }
        return server
    }
}

/// The loop as a swift-service-lifecycle service: graceful shutdown stops it,
/// and so does cancellation (``ScalingLoop/run()`` honours both).
struct ScalingLoopService: Service {
    let loop: ScalingLoop
    let notifier: SystemdNotifier

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await loop.run()
        } onGracefulShutdown: {
            notifier.stopping()
            loop.stop()
        }
    }
}

/// SIGHUP (`systemctl reload hascale`) re-reads the inventory.
struct ReloadSignalService: Service {
    let reloader: InventoryReloader

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            reloader.reload(because: "SIGHUP")
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

extension RunCommand {
    /// systemd's `RUNTIME_DIRECTORY` (set by `RuntimeDirectory=`), the only variable the state file's default needs.
    static var runtimeDirectory: [String: String] {
        getenv("RUNTIME_DIRECTORY").map { ["RUNTIME_DIRECTORY": String(cString: $0)] } ?? [:]
    }
}
