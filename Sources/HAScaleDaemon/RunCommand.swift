import ArgumentParser
import HAScale
import Logging
import ServiceLifecycle
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

    @Option(name: .long, help: "The HAProxy log to follow (overrides the inventory's \"log\").")
    var log: String?

    @Flag(help: "Decide and explain, send nothing to HAProxy (actions are simulated as if they succeeded).")
    var dryRun = false

    @Flag(help: "Read what the log already holds before following it.")
    var fromStart = false

    @Option(help: "Log every backend's status line this often, in seconds (0: never).")
    var statusEvery: Double = 0

    @Option(help: "Lowest level logged: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Argument(help: "The HAProxy log to follow (same as --log).")
    var logFile: String?

    func validate() throws {
        if log != nil && logFile != nil { throw ValidationError("Give the log once: either --log or the argument.") }
    }

    func run() async throws {
        let inventory = try options.inventory(required: true)!
        guard let path = log ?? logFile ?? inventory.log else {
            throw ValidationError("No log file: give --log PATH or set \"log\" in \(options.config).")
        }
        DaemonLogging.bootstrap(level: logLevel)
        var logger = Logger(label: "hascale")
        logger.logLevel = logLevel
        var runOptions = Autoscaler.Options(logPath: FilePath(path))
        runOptions.dryRun = dryRun
        runOptions.fromStart = fromStart
        runOptions.statusEvery = .milliseconds(Int64(statusEvery * 1000))
        let autoscaler = Autoscaler(inventory: inventory, api: try options.client(inventory), options: runOptions, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: AutoscalerService(autoscaler: autoscaler))],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}

/// The autoscaler as a swift-service-lifecycle service: graceful shutdown stops its loop.
struct AutoscalerService: Service {
    let autoscaler: Autoscaler

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await autoscaler.run()
        } onGracefulShutdown: {
            autoscaler.stop()
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
