import ArgumentParser
import HAProxyNames
import HAProxySocket
import HAScale
import HAScaleRuntime

struct ServersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "servers",
        abstract: "Show every server as HAProxy has it, next to what the inventory says.",
        discussion: "Columns: admin state (ready/drain/maint), operational state, weight, current sessions, queue, connections to the server (in use + idle, from `show servers conn`), check status, and whether the inventory wants it up at start (`-` when it is not in the inventory); then, one line per server, where the inventory and HAProxy disagree."
    )

    @OptionGroup var options: ConfigOptions

    @Argument(help: "Only this backend.")
    var backend: String?

    func run() async throws {
        let inventory = try options.inventory(required: false)
        let exec = ScaleExecutor(api: OffloadedRuntimeAPI(try options.client(inventory)))
        let filter: ProxyName?
        do { filter = try backend.map { try ProxyName($0) } } catch { throw ValidationError("\(error)") }
        do {
            let states = try await exec.serverStates(filter)
            let stats = try await exec.stats()
            let conns = try await exec.connections(filter)
            var rows = [["backend", "server", "admin", "oper", "weight", "sessions", "queue", "conns", "check", "inventory"]]
            for s in states {
                let st = stats.first { $0.proxy == s.backend && $0.service == s.server }
                let inv = inventory?.backend(named: s.backend)?.servers.first { $0.name.value == s.server }
                rows.append([s.backend, s.server, s.adminDescription, "\(s.operational)", String(s.weight),
                             String(st?.currentSessions ?? 0), String(st?.queued ?? 0),
                             conns?.first { $0.backend == s.backend && $0.server == s.server }.map { "\($0.usedCurrent)+\($0.idleCurrent)" } ?? "-",
                             st?.checkStatus.isEmpty == false ? st!.checkStatus : "-",
                             inv.map { $0.alwaysUp ? "always_up" : $0.active ? "active" : "spare" } ?? "-"])
            }
            print(TextTable.render(rows, rightAlignedFrom: 4), terminator: "")
            if let inventory {
                let drift = InventoryDrift.report(inventory, ServerObservations.make(states: states, stats: stats))
                print(drift.isEmpty ? "\nno drift: HAProxy matches the inventory" : "\ndrift (inventory vs HAProxy):")
                for line in drift { print("  " + line) }
            }
        } catch {
            StandardError.write("error: \(error.description)\n")
            throw HAScaleExit.unavailable
        }
    }
}
