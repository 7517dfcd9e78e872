import ArgumentParser
import Foundation
import HAProxySocket
import HAScale
import HAScaleRuntime

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the whole setup: the inventory, HAProxy's socket, the log, journald, permissions.",
        discussion: """
            One line per check, each failure with its fix; exit status 0 only when every check \
            passes. Checks: the inventory loads; the runtime socket answers at `level admin`; the \
            log source delivers `option httplog` request lines (recent ones, or within --wait \
            seconds); journald has not rate-limited HAProxy (journal sources); the inventory \
            matches HAProxy (the drift report); the service's user (groups from the installed \
            unit, else haproxy and adm) can read the log, the inventory and use the socket.
            """
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "The log source to check (default: the inventory's \"log\", else what run would detect).")
    var log: String?

    @Option(name: .long, help: "How long to wait for request lines when the source holds none yet, in seconds.")
    var wait: Double = 5

    @Option(name: .long, help: "The unit whose user the permission checks are for.")
    var unitFile: String?

    func run() async throws {
        var findings: [DoctorFinding] = []
        let inventory = DoctorChecks.inventory(options.config, &findings)
        let socketText = options.socket ?? inventory?.socket ?? ConfigOptions.defaultSocket
        let exec = await DoctorChecks.socket(socketText, &findings)
        let source: LogSource?
        do {
            source = try LogSourceChoice.resolve(log, inventory: inventory).0
        } catch {
            findings.append(.fail("log", "\(error)", fix: "give a file path, journal[:UNIT], udp://ADDR:PORT, unix:PATH or -"))
            source = nil
        }
        if let source {
            DoctorChecks.logLines(source, inventory: inventory, wait: .milliseconds(Int64(wait * 1000)), &findings)
            DoctorChecks.journalRateLimit(source, &findings)
        }
        if let inventory, let exec { await DoctorChecks.drift(inventory, exec, &findings) }
        let groups = DoctorChecks.serviceGroups(unitFile: unitFile)
        DoctorChecks.permissions(groups: groups, config: options.config, socket: socketText, source: source, &findings)
        for f in findings { print(f.rendered) }
        let failed = findings.filter { $0.outcome == .fail }.count
        print(failed == 0 ? "\nall checks passed" : "\n\(failed) check\(failed == 1 ? "" : "s") failed")
        if failed > 0 { throw ExitCode(1) }
    }
}
