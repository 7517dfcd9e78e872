import ArgumentParser
import Foundation
import HAProxyNames
import HAProxySocket
import HAScale
import HAScaleRuntime

/// `hascale init`: the first inventory, read from HAProxy rather than typed, so that it
/// matches haproxy.cfg to the letter and `hascale run` on it changes nothing at start.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a ready inventory (servers.json) from HAProxy's own state.",
        discussion: """
            Reads `show servers state` and `show stat` and prints an inventory with every backend \
            that has servers: each server `active` as HAProxy has it now (in service: not in \
            maintenance, not draining, weight above 0), a `warmup_url` from its address and port, \
            the log it found (/var/log/haproxy.log when it exists, else journal:haproxy.service), \
            and every policy default written out, ready to edit. A socket at `level user` is enough. \
            Notes on what to check go to stderr. With --output the file is written whole (mode 0640), \
            never over an existing one without --force. Exits 2 when HAProxy does not answer, 1 when \
            the file cannot be written, 64 on bad arguments (an unknown --backend among them).
            """
    )

    @Option(help: "HAProxy's runtime API: a Unix socket path, ipv4@HOST:PORT or ipv6@[ADDR]:PORT. It goes into the file as haproxy.socket.")
    var socket: String = ConfigOptions.defaultSocket

    @Option(name: .customLong("backend"), help: "Only this backend; repeat for several (default: every backend with servers).")
    var backends: [String] = []

    @Option(help: "Write the inventory to this file instead of stdout.")
    var output: String?

    @Flag(help: "Replace --output's file when it exists.")
    var force = false

    func validate() throws {
        if force && output == nil { throw ValidationError("--force goes with --output: without --output nothing is written") }
        _ = try address()
        _ = try names()
        if let output, !force, FileManager.default.fileExists(atPath: output) {
            throw ValidationError("\(output) exists; give --force to replace it, or another --output")
        }
    }

    func address() throws -> RuntimeAPIAddress {
        do { return try RuntimeAPIAddress(parsing: socket) } catch { throw ValidationError(error.description) }
    }

    /// The `--backend` names, validated before anything is sent, without repeats.
    func names() throws -> [ProxyName] {
        var names: [ProxyName] = []
        for text in backends {
            let name: ProxyName
            do { name = try ProxyName(text) } catch { throw ValidationError("--backend: \(error)") }
            if !names.contains(name) { names.append(name) }
        }
        return names
    }

    func run() async throws {
        let exec = ScaleExecutor(api: OffloadedRuntimeAPI(RuntimeAPIClient(address: try address())))
        let only = try names()
        let states: [ServerStateRow], stats: [StatRow]
        do {
            states = try await exec.serverStates()
            stats = try await exec.stats()
        } catch {
            StandardError.write("error: \(error.description)\n")
            throw HAScaleExit.unavailable
        }
        let found: InventoryDiscovery
        do {
            found = try InventoryDiscovery(
                states: states, stats: stats, only: only, socket: socket,
                log: InventoryDiscovery.detectedLogSource { FileManager.default.fileExists(atPath: $0) },
                address: exec.api.addressDescription)
        } catch {
            if case .unknownBackends = error { throw ValidationError(error.description) }
            StandardError.write("error: \(error.description)\n")
            throw HAScaleExit.notWritten
        }
        for note in found.notes { StandardError.write("note: \(note)\n") }
        let text: String
        do {
            text = try found.text(file: output ?? "<stdout>")
        } catch {
            StandardError.write("error: init made an inventory that check-config refuses, a bug in hascale; nothing was written:\n\(error)\n")
            throw HAScaleExit.notWritten
        }
        guard let output else {
            print(text, terminator: "")
            return
        }
        do {
            try InventoryFile.write(text, to: output, replacing: force)
        } catch {
            let what = error.errno == .fileExists ? "\(output) exists; give --force to replace it, or another --output" : error.description
            StandardError.write("error: \(what); nothing was written\n")
            throw HAScaleExit.notWritten
        }
        let servers = found.inventory.backends.reduce(0) { $0 + $1.servers.count }
        StandardError.write("wrote \(output): \(found.inventory.backends.count) backend(s), \(servers) server(s); edit the policy, then `hascale check-config \(output)`\n")
    }
}
