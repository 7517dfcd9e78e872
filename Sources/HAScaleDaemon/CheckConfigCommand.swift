import ArgumentParser
import HAScale

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a server inventory without applying it.",
        discussion: "Prints `OK` and a one-line summary per backend, or the file, line and field that is wrong. Exits 1 on a bad file."
    )

    @Argument(help: "The inventory to check.")
    var file: String = "/etc/hascale/servers.json"

    func run() throws {
        do {
            let inv = try InventoryLoader.load(path: file)
            print("OK \(file)")
            for b in inv.backends {
                let up = b.servers.filter(\.active).count
                print("  \(b.name): \(b.servers.count) servers, \(up) active at start, min_active \(b.policy.minActive), "
                      + "max_active \(b.policy.maxActive.map(String.init) ?? "all"), scale up above \(Int(b.policy.scaleUpThresholdMs)) ms \(b.policy.metric) \(b.policy.aggregate)")
            }
        } catch {
            StandardError.write("refused: \(error.description)\n")
            throw ExitCode(1)
        }
    }
}
