import ArgumentParser
import HAProxyNames
import HAProxySocket
import HAScale
import HAScaleRuntime

struct ServersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "servers",
        abstract: "Show every server as HAProxy has it, next to what the inventory says.",
        discussion: "Columns: admin state (ready/drain/maint), operational state, weight, current sessions, queue, connections to the server (in use + idle, from `show servers conn`), check status, whether the inventory wants it up at start (`-` when it is not in the inventory), and, where the daemon runs, its phase for the server (up, spare, warming, draining, down; `ejected` with the rest left for an outlier); then, one line per server, where the inventory and HAProxy disagree."
    )

    @OptionGroup var options: ConfigOptions

    @Argument(help: "Only this backend.")
    var backend: String?

    @Option(help: "The running daemon's state file (default: $RUNTIME_DIRECTORY/state.json, else /run/hascale/state.json).")
    var stateFile: String?

    /// `backend/server` → the daemon's phase, from its state file; empty when no daemon keeps one.
    func daemonView() -> [String: String] {
        guard case .running(let state, _) = DaemonState.read(stateFile ?? DaemonState.defaultPath()) else { return [:] }
        var view: [String: String] = [:]
        for s in state.servers {
            view["\(s.backend)/\(s.server)"] = s.ejectedSeconds.map { "ejected \(TextTable.seconds($0))" } ?? s.phase
        }
        return view
    }

    func run() async throws {
        let inventory = try options.inventory(required: false)
        let filter: ProxyName?
        do { filter = try backend.map { try ProxyName($0) } } catch { throw ValidationError("\(error)") }
        do {
            if let nodes = try options.nodes(inventory) {
                // One table per node (each as that node has it), then the drift of the pool as a whole.
                for node in nodes.nodes {
                    print("node \(node.name) (\(node.api.addressDescription)):")
                    do {
                        try await table(ScaleExecutor(api: node.api), filter, inventory)
                    } catch {
                        print("  does not answer: \(error.description)")
                    }
                    print("")
                }
                try await drift(ScaleExecutor(nodes: nodes), filter, inventory)
                let out = nodes.outOfStepNodes
                for (name, why) in out.sorted(by: { $0.key < $1.key }) { print("  node \(name) is out of step: \(why)") }
            } else {
                let exec = ScaleExecutor(api: OffloadedRuntimeAPI(try options.client(inventory)))
                try await table(exec, filter, inventory)
                try await drift(exec, filter, inventory)
            }
        } catch {
            StandardError.write("error: \(error)\n")
            throw HAScaleExit.unavailable
        }
    }

    func table(_ exec: ScaleExecutor, _ filter: ProxyName?, _ inventory: Inventory?) async throws(ScaleError) {
        let states = try await exec.serverStates(filter)
        let stats = try await exec.stats()
        let conns = try await exec.connections(filter)
        let daemon = daemonView()
        var rows = [["backend", "server", "admin", "oper", "weight", "sessions", "queue", "conns", "check", "inventory"] + (daemon.isEmpty ? [] : ["hascale"])]
        for s in states {
            let st = stats.first { $0.proxy == s.backend && $0.service == s.server }
            let inv = inventory?.backend(named: s.backend)?.servers.first { $0.name.value == s.server }
            let conn = conns?.first { $0.backend == s.backend && $0.server == s.server }.map { "\($0.usedCurrent)+\($0.idleCurrent)" } ?? "-"
            let check = st?.checkStatus.isEmpty == false ? st!.checkStatus : "-"
            let wanted = inv.map { $0.alwaysUp ? "always_up" : $0.active ? "active" : "spare" } ?? "-"
            var row: [String] = [s.backend, s.server, s.adminDescription, "\(s.operational)", String(s.weight)]
            row += [String(st?.currentSessions ?? 0), String(st?.queued ?? 0), conn, check, wanted]
            if !daemon.isEmpty { row.append(daemon["\(s.backend)/\(s.server)"] ?? "-") }
            rows.append(row)
        }
        print(TextTable.render(rows, rightAlignedFrom: 4), terminator: "")
    }

    func drift(_ exec: ScaleExecutor, _ filter: ProxyName?, _ inventory: Inventory?) async throws(ScaleError) {
        guard let inventory else { return }
        let drift = InventoryDrift.report(inventory, ServerObservations.make(states: try await exec.serverStates(filter), stats: try await exec.stats()))
        print(drift.isEmpty ? "\nno drift: HAProxy matches the inventory" : "\ndrift (inventory vs HAProxy):")
        for line in drift { print("  " + line) }
    }
}
