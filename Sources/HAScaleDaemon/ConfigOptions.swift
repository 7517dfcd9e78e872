import ArgumentParser
import HAProxyNames
import HAProxySocket
import HAScale
import HAScaleRuntime

/// `--config` and `--socket`, shared by every command that talks to HAProxy.
struct ConfigOptions: ParsableArguments {
    /// Where every command looks when not told (`check-config` too).
    static let defaultConfigPath = "/etc/hascale/servers.json"
    /// Debian's `stats socket` (README: the admin socket), for every command and `init`.
    static let defaultSocket = "/run/haproxy/admin.sock"

    @Option(name: .long, help: "The server inventory (JSON).")
    var config: String = ConfigOptions.defaultConfigPath

    @Option(name: .long, help: "HAProxy's runtime API: a Unix socket path, ipv4@HOST:PORT or ipv6@[ADDR]:PORT. Overrides the inventory's haproxy.socket.")
    var socket: String?

    /// The inventory, or nil when the file is absent and not required.
    func inventory(required: Bool) throws -> Inventory? {
        do {
            return try InventoryFile.load(path: config)
        } catch {
            // Manual commands work without an inventory; one that is there but wrong is never skipped.
            if !required && error.errors.contains(where: { $0.kind == .missing }) { return nil }
            throw ValidationError(error.description)
        }
    }

    /// The inventory's `"haproxy.nodes"` as one pool, or nil for one HAProxy (or when `--socket` names one).
    func nodes(_ inventory: Inventory?) throws -> HAProxyNodes? {
        guard socket == nil, let nodes = inventory?.nodes, !nodes.isEmpty else { return nil }
        return HAProxyNodes(try nodes.map { n in
            do {
                return HAProxyNodes.Node(name: n.name.value, api: OffloadedRuntimeAPI(RuntimeAPIClient(address: try RuntimeAPIAddress(parsing: n.socket))))
            } catch {
                throw ValidationError("\(error)")
            }
        })
    }

    func client(_ inventory: Inventory?) throws -> RuntimeAPIClient {
        let text = socket ?? inventory?.socket ?? inventory?.nodes.first?.socket ?? ConfigOptions.defaultSocket
        do {
            return RuntimeAPIClient(address: try RuntimeAPIAddress(parsing: text))
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// `BACKEND/SERVER` as typed, validated, with the inventory and its entry for
    /// the backend when there is one (manual commands work without an inventory too).
    func target(_ text: String) throws -> (Inventory?, ServerRef, Inventory.Backend?) {
        let inventory = try inventory(required: false)
        let ref: ServerRef
        do { ref = try ServerRef(parsing: text) } catch { throw ValidationError(error.description) }
        return (inventory, ref, inventory?.backend(named: ref.backend.value))
    }
}

extension ConfigOptions {
    /// The inventory at `path`, or every error in it on stderr, one per line as
    /// compilers print them (editors and scripts read each alike), and the exit status.
    static func loadOrExplain(_ path: String) throws -> Inventory {
        do {
            return try InventoryFile.load(path: path)
        } catch {
            StandardError.write(error.errors.map { "\($0)\n" }.joined())
            throw HAScaleExit.invalidInventory
        }
    }
}
