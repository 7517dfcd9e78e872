import HAProxyNames
import HAProxySocket
import HAScale

/// What `hascale init` makes of HAProxy's own answers: an inventory of every backend
/// that has servers, each server as HAProxy has it now, so that `hascale run` on the
/// file changes nothing at start and `hascale servers` shows no drift.
///
/// Pure: HAProxy's answers and the detected log source in, the inventory and the
/// notes an operator should read out. The command does the talking and the writing.
package struct InventoryDiscovery: Equatable, Sendable {
    package var inventory: Inventory
    /// What to look at before using the file, one sentence each: a name skipped, a
    /// `warmup_url` that is a guess or missing, a backend with no server in service.
    package var notes: [String]

    /// Why no inventory could be made. Nothing was written.
    package enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// `--backend` named backends that HAProxy has not, or has without servers.
        case unknownBackends([String], address: String, withServers: [String], withoutServers: [String])
        /// No backend left to write (none with servers, or none whose names hascale can use).
        case nothingToManage(address: String, filtered: Bool)

        package var description: String {
            switch self {
            case .unknownBackends(let names, let address, let with, let without):
                let each = names.map { without.contains($0) ? "backend \($0) has no servers" : "HAProxy has no backend \($0)" }
                var text = "\(each.joined(separator: "; ")) (HAProxy at \(address)); its backends with servers: "
                    + (with.isEmpty ? "none" : with.joined(separator: ", "))
                if !without.isEmpty { text += "; without servers, which hascale cannot manage: \(without.joined(separator: ", "))" }
                return text
            case .nothingToManage(let address, let filtered):
                return filtered
                    ? "none of the backends named has a server whose name hascale can use (HAProxy at \(address)); nothing to write"
                    : "HAProxy at \(address) has no backend with servers (`show servers state` lists none); add servers to haproxy.cfg's backends, then run init again"
            }
        }
    }

    /// The log `run` would follow without `"log"` (``LogSource/detected(fileExists:)``),
    /// spelled out in the file. `fileExists` is the probe, so tests choose.
    package static func detectedLogSource(fileExists: (String) -> Bool) -> String {
        LogSource.detected(fileExists: fileExists).source.description
    }

    /// `states` and `stats` are HAProxy's answers to `show servers state` and `show stat`;
    /// `only`, the backends asked for (none: all with servers). `address` is where the
    /// answers came from, for the messages; `socket` and `log` go into the file as given.
    package init(states: [ServerStateRow], stats: [StatRow], only: [ProxyName] = [], socket: String, log: String, address: String) throws(Failure) {
        var order: [String] = []
        var rows: [String: [ServerStateRow]] = [:]
        for row in states {
            if rows[row.backend] == nil { order.append(row.backend) }
            rows[row.backend, default: []].append(row)
        }
        let withoutServers = stats.filter { $0.service == "BACKEND" && rows[$0.proxy] == nil }.map(\.proxy)
        let unknown = only.map(\.value).filter { rows[$0] == nil }
        guard unknown.isEmpty else {
            throw .unknownBackends(unknown, address: address, withServers: order, withoutServers: withoutServers)
        }
        var notes: [String] = []
        var backends: [Inventory.Backend] = []
        for name in order where only.isEmpty || only.contains(where: { $0.value == name }) {
            let backendName: ProxyName
            do { backendName = try ProxyName(name) } catch {
                notes.append("skipped backend \(name.debugDescription): it \(error.reason)")
                continue
            }
            var servers: [Inventory.Server] = []
            for row in rows[name] ?? [] {
                let serverName: ProxyName
                do { serverName = try ProxyName(row.server) } catch {
                    notes.append("skipped server \(name)/\(row.server.debugDescription): it \(error.reason)")
                    continue
                }
                let ref = "\(name)/\(serverName)"
                let (url, note) = Self.warmupURL(address: row.address, port: row.port)
                if let note { notes.append("\(ref): \(note)") }
                // HAProxy's configured weight is the inventory's default; only a weight set
                // since (`set weight`) is written, and only one the inventory can hold.
                let weight = row.weight != row.initialWeight && (1...256).contains(row.weight) ? row.weight : nil
                // In service as `hascale servers` and `run` judge it: by admin state and
                // weight. A server DOWN by its checks stays active: HAProxy sends it traffic
                // again when a check passes, and `run` would otherwise put it in maintenance.
                servers.append(Inventory.Server(name: serverName, active: row.inService, warmupURL: url, weight: weight))
            }
            guard !servers.isEmpty else {
                notes.append("skipped backend \(name): none of its servers has a name hascale can use")
                continue
            }
            var policy = Inventory.Policy()
            policy.minActive = min(policy.minActive, servers.count)
            policy.maxActive = servers.count
            if !servers.contains(where: \.active) {
                notes.append("\(name): no server is in service now; `hascale run` brings one up to meet min_active \(policy.minActive)")
            }
            backends.append(Inventory.Backend(name: backendName, policy: policy, servers: servers))
        }
        guard !backends.isEmpty else { throw .nothingToManage(address: address, filtered: !only.isEmpty) }
        inventory = Inventory(socket: socket, log: log, backends: backends)
        self.notes = notes
    }

    /// `http://ADDR:PORT/` for a server at `address` and `port`, IPv6 in brackets, and
    /// what the operator should know about it. A server configured without a port gets
    /// port 80: HAProxy then connects to the port the client reached the frontend on,
    /// which for the HTTP traffic hascale scales is 80 more often than anything else.
    static func warmupURL(address: String, port: Int?) -> (url: String?, note: String?) {
        guard let port else { return (nil, "HAProxy gives no port for it (no srv_port column): no warmup_url; add one") }
        guard !address.isEmpty, address != "-" else { return (nil, "HAProxy gives no address for it: no warmup_url; add one") }
        let host = address.contains(":") ? "[\(address)]" : address
        let url = port == 0 ? "http://\(host)/" : "http://\(host):\(port)/"
        if let problem = InventoryLoader.urlProblem(url) {
            return (nil, "its address \(address.debugDescription) makes no URL hascale accepts (\(problem)): no warmup_url; add one")
        }
        guard port == 0 else { return (url, nil) }
        return (url, "no port in haproxy.cfg (HAProxy uses the port the client connected to); warmup_url \(url) assumes port 80: check it")
    }

    /// The file's text, checked as `check-config` checks it: a refusal here is a bug in
    /// init, and nothing is written.
    package func text(file: String) throws(InventoryRejection) -> String {
        let text = InventoryWriter.render(inventory)
        _ = try InventoryLoader.parse(text, file: file, checkSocket: InventoryFile.checkSocket)
        return text
    }
}
