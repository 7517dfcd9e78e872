import ArgumentParser

@main
struct HAScaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hascale",
        abstract: "Autoscale HAProxy backends from HAProxy's own logs.",
        discussion: """
            hascale reads HAProxy's request log (syslog or `log stdout`, `option httplog`), keeps \
            a rolling window of response times per backend, and brings servers in and out of \
            rotation through HAProxy's runtime API: warm-up first when a server comes up, drain \
            first when one goes down.

            Start with `hascale parse --summary /var/log/haproxy.log` to see what hascale reads \
            from your log.
            """,
        version: HAScaleVersion.current,
        subcommands: [RunCommand.self, ParseCommand.self, SimulateCommand.self, ReplayCommand.self, FollowCommand.self, HistoryCommand.self, CheckConfigCommand.self, InitCommand.self, DoctorCommand.self, StatusCommand.self, ServersCommand.self, EnableCommand.self, DisableCommand.self],
        defaultSubcommand: RunCommand.self
    )
}
