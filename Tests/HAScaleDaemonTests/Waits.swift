import Foundation
import HAScaleTestKit
import Testing

/// Checks `condition` every 20 ms until it holds, at most `seconds`; answers when it
/// held. On time-out the issue names what was awaited, with the tail of hascale's output.
@discardableResult
func waitUntil(_ seconds: TimeInterval, _ what: String, _ hascale: ChildProcess? = nil, _ condition: () -> Bool) throws -> Date {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
        if condition() { return Date() }
        guard Date() < deadline else {
            let said = hascale.map { "; hascale said:\n" + $0.output.suffix(25).joined(separator: "\n") } ?? ""
            Issue.record("timed out after \(seconds) s waiting for \(what)\(said)")
            throw CancellationError()
        }
        Thread.sleep(forTimeInterval: 0.02)
    }
}

/// `hascale run` on the scenario's inventory, ready (start-up reconciled) before it returns.
func launchRun(_ scenario: AutoscaleScenario, _ extra: [String]) throws -> ChildProcess {
    let hascale = try ChildProcess(CLI.binary, ["run", "--config", scenario.inventoryPath] + extra)
    try hascale.waitForLine("hascale to be ready", timeout: 30) { $0.contains("ready:") }
    return hascale
}
