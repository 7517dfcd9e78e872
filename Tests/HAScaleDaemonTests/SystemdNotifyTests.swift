import Foundation
import HAScaleTestKit
import Testing

/// `hascale run` under a stand-in for systemd: a `NOTIFY_SOCKET` the test
/// reads, with the watchdog on, and a runtime-API socket the test can stall.
@Suite("sd_notify", .serialized)
struct SystemdNotifyTests {
    @Test func readyStatusWatchdogAndStopping() throws {
        let scenario = try AutoscaleScenario(policy: #"{ "resync_seconds": 1 }"#)
        defer { scenario.stop() }
        let dir = scenario.haproxy.directory.path
        let notify = try NotifySocket(path: "\(dir)/notify.sock")
        defer { notify.close() }
        let proxy = try RuntimeAPIProxy(path: "\(dir)/proxy.sock", upstream: scenario.haproxy.socketPath)
        defer { proxy.stop() }
        let hascale = try ChildProcess(CLI.binary, ["run", "--config", scenario.inventoryPath, "--socket", proxy.path, "--log-target", "stderr"],
                                       environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "1000000"])
        defer { hascale.terminate() }
        try hascale.waitForLine("hascale to be ready", timeout: 30) { $0.contains("ready:") }
        try waitFor(5, "READY=1", notify) { $0.contains { $0.name == "READY" && $0.value == "1" } }
        // READY comes after the start-up reconcile: hascale has logged it is ready by then.
        scenario.load.set(clients: 1, think: 0.05)
        try waitFor(10, "a STATUS line with the pool and the metric", notify) {
            $0.contains { $0.name == "STATUS" && $0.value.hasPrefix("app: 1/4 up, mean Tr ") }
        }
        // WATCHDOG_USEC=1 s: pings every half second while the loop turns.
        Thread.sleep(forTimeInterval: 2)
        let pings = notify.assignments.filter { $0.name == "WATCHDOG" }
        #expect(pings.count >= 3, "pings while healthy: \(pings.count)")

        // HAProxy's socket stops answering: the loop is stuck in its resync, pings stop.
        proxy.setHanging(true)
        Thread.sleep(forTimeInterval: 1.5)  // a resync (every 1 s) is now blocked
        let before = notify.assignments.filter { $0.name == "WATCHDOG" }.count
        Thread.sleep(forTimeInterval: 3)
        let during = notify.assignments.filter { $0.name == "WATCHDOG" }.count - before
        #expect(during == 0, "no watchdog ping while the loop is stuck (\(during) sent)")
        proxy.setHanging(false)
        let resumed = notify.assignments.filter { $0.name == "WATCHDOG" }.count
        try waitFor(10, "pings to resume", notify) { $0.filter { $0.name == "WATCHDOG" }.count > resumed + 2 }

        // A reload says RELOADING=1 then READY=1 again.
        kill(hascale.process.processIdentifier, SIGHUP)
        try waitFor(10, "RELOADING=1 then READY=1", notify) { a in
            guard let r = a.lastIndex(where: { $0.name == "RELOADING" }) else { return false }
            return a[r...].contains { $0.name == "READY" }
        }
        #expect(hascale.terminate() == 0)
        #expect(notify.assignments.contains { $0.name == "STOPPING" && $0.value == "1" })
    }

    @Test func outsideSystemdNothingIsSentAndNothingBreaks() throws {
        // Without NOTIFY_SOCKET the same binary runs as a plain process: covered by the
        // end-to-end test, which sets no NOTIFY_SOCKET. Here: a socket path that does not
        // exist must not stop hascale either.
        let scenario = try AutoscaleScenario(policy: "{}")
        defer { scenario.stop() }
        let hascale = try ChildProcess(CLI.binary, ["run", "--config", scenario.inventoryPath, "--log-target", "stderr"],
                                       environment: ["NOTIFY_SOCKET": "\(scenario.haproxy.directory.path)/absent.sock", "WATCHDOG_USEC": "1000000"])
        defer { hascale.terminate() }
        try hascale.waitForLine("hascale to be ready", timeout: 30) { $0.contains("ready:") }
        Thread.sleep(forTimeInterval: 1)
        #expect(hascale.process.isRunning)
        #expect(hascale.terminate() == 0)
    }

    func waitFor(_ seconds: TimeInterval, _ what: String, _ notify: NotifySocket,
                 _ condition: ([(at: Date, name: String, value: String)]) -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition(notify.assignments) {
            guard Date() < deadline else {
                Issue.record("timed out after \(seconds) s waiting for \(what); received: \(notify.messages.suffix(8).map(\.text))")
                throw CancellationError()
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
}
