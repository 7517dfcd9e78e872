import ArgumentParser
import HAScale
import HAScaleRuntime

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a server inventory without applying it.",
        discussion: """
            Prints `OK` and a one-line summary per backend, or every mistake in the file at once, \
            one `FILE:LINE: FIELD: what is wrong` per line (a JSON syntax error is reported alone: \
            nothing after it can be checked). Exits 1 on a bad file.
            """
    )

    @Option(name: .long, help: "The server inventory (JSON), as for the other commands.")
    var config: String?

    @Argument(help: "The inventory to check (the same as --config).")
    var file: String?

    func validate() throws {
        if let config, let file, config != file {
            throw ValidationError("--config \(config) and \(file) name two files; give the inventory once")
        }
    }

    func run() throws {
        let path = config ?? file ?? ConfigOptions.defaultConfigPath
        let inv = try ConfigOptions.loadOrExplain(path)
        print("OK \(path)")
        if let leader = inv.leader { print("  leader: acts only while this host holds \(leader.vrrpAddress) (keepalived's VRRP); standby otherwise") }
        for b in inv.backends {
            let up = b.servers.filter(\.active).count
            print("  \(b.name): \(b.servers.count) servers, \(up) active at start, min_active \(b.policy.minActive), "
                  + "max_active \(b.policy.maxActive.map(String.init) ?? "all"), scale up above \(Int(b.policy.scaleUpThresholdMs)) ms \(b.policy.metric) \(b.policy.aggregate)")
        }
    }
}
