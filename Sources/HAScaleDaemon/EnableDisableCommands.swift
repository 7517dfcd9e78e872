import ArgumentParser
import Glibc
import HAProxyNames
import HAProxySocket
import HAScale
import HAScaleRuntime

struct EnableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable",
        abstract: "Bring a server into service: warm-up first, then weight and `state ready`.",
        discussion: "Exit codes: 0 done, 2 HAProxy or the socket failed, 4 the warm-up failed (the server stays in maintenance), 64 bad arguments."
    )

    @OptionGroup var options: ConfigOptions
    @Flag(help: "Print the runtime-API commands without sending them (the warm-up is skipped too).")
    var dryRun = false
    @Argument(help: "BACKEND/SERVER") var target: String

    func run() async throws {
        let (inventory, ref, backend) = try options.target(target)
        let server = backend?.servers.first { $0.name == ref.server } ?? Inventory.Server(name: ref.server, active: true)
        let warm = backend.map { WarmUp(policy: $0.policy) } ?? WarmUp()
        let exec = ScaleExecutor(api: OffloadedRuntimeAPI(try options.client(inventory)), dryRun: dryRun)
        do {
            try await exec.scaleUp(ref, server: server,
                                   warmUp: warm, ramp: .seconds(backend?.policy.rampSeconds ?? 0)) { print($0) }
            print(dryRun ? "dry run: nothing sent" : "\(ref) is in service")
            if !dryRun { ManualAction.record(.scaleUp, ref, "hascale enable") }
        } catch {
            StandardError.write("error: \(error.description)\n")
            if case .warmupFailed = error {
                if !dryRun { ManualAction.record(.warmupFailed, ref, "hascale enable", detail: error.description) }
                throw HAScaleExit.warmupFailed
            }
            throw HAScaleExit.unavailable
        }
    }
}

struct DisableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable",
        abstract: "Take a server out of service: weight 0 and drain, wait for its sessions, then maintenance.",
        discussion: "Refuses the last server in service of a backend and any always_up server. Exit codes: 0 done, 2 HAProxy or the socket failed, 3 refused by a safety rule, 64 bad arguments."
    )

    @OptionGroup var options: ConfigOptions
    @Flag(help: "Print the runtime-API commands without sending them.")
    var dryRun = false
    @Option(help: "Seconds to wait for open sessions to finish before maintenance (default: the inventory's drain_timeout_seconds, else 60).")
    var drainTimeout: Double?
    @Argument(help: "BACKEND/SERVER") var target: String

    func run() async throws {
        let (inventory, ref, backend) = try options.target(target)
        let server = backend?.servers.first { $0.name == ref.server }
        let timeout = drainTimeout ?? backend?.policy.drainTimeoutSeconds ?? 60
        let exec = ScaleExecutor(api: OffloadedRuntimeAPI(try options.client(inventory)), dryRun: dryRun)
        let outcome: DrainOutcome
        do {
            outcome = try await exec.scaleDown(ref, server: server, drainTimeout: .seconds(timeout)) { print($0) }
        } catch {
            StandardError.write("error: \(error.description)\n")
            switch error {
            case .lastServerInService, .alwaysUp: throw HAScaleExit.refusedBySafetyRule
            default: throw HAScaleExit.unavailable
            }
        }
        if case .interrupted(let n) = outcome {
            StandardError.write("interrupted with \(n) session(s) open: \(ref) stays draining; run the command again to finish it\n")
            throw HAScaleExit.unavailable
        }
        print(dryRun ? "dry run: nothing sent" : "\(ref) is in maintenance")
        if !dryRun {
            if case .timedOut(let n) = outcome {
                ManualAction.record(.drainTimeout, ref, "hascale disable", detail: "\(n) session(s) still open after \(Int(timeout)) s; cut by maintenance")
            }
            ManualAction.record(.scaleDown, ref, "hascale disable")
        }
    }
}

/// Manual actions land in the same journal history as the daemon's, saying who did them.
enum ManualAction {
    static func record(_ kind: HistoryEvent.Kind, _ ref: ServerRef, _ command: String, detail: String? = nil) {
        let uid = getuid()
        let user = getpwuid(uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "?"
        let reason = "manual: `\(command) \(ref)` by uid \(uid) (\(user))" + (detail.map { "; \($0)" } ?? "")
        Journal.record(HistoryEvent(kind: kind, backend: ref.backend.value, server: ref.server.value, reason: reason))
    }
}
