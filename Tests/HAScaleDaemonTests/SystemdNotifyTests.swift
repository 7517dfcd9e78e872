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
        try waitFor(10, "three watchdog pings while healthy", notify) { $0.filter { $0.name == "WATCHDOG" }.count >= 3 }

        // HAProxy's socket stops answering: once the loop's resync is held by it, the loop
        // makes no progress, and so sends no ping, for as long as it is held.
        proxy.setHanging(true)
        let deadline = Date().addingTimeInterval(10)
        while proxy.heldCommands == 0 {
            guard Date() < deadline else { Issue.record("no resync reached the stalled socket in 10 s"); return }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let before = notify.assignments.filter { $0.name == "WATCHDOG" }.count
        // The client's read timeout is 5 s: within 3 s the resync is still held.
        Thread.sleep(forTimeInterval: 3)
        let during = notify.assignments.filter { $0.name == "WATCHDOG" }.count - before
        #expect(proxy.heldCommands == 1, "the loop waits on its one command, it sends no other")
        #expect(during <= 1, "no watchdog ping while the loop is stuck (\(during) sent; one may have been on its way)")
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

    @Test func aNotifySocketThatIsGoneDoesNotStopTheLoop() throws {
        // systemd's socket can vanish (a daemon-reexec): notifications then fail, and the
        // loop must go on turning as if nothing happened.
        let scenario = try AutoscaleScenario(policy: "{}")
        defer { scenario.stop() }
        let hascale = try ChildProcess(CLI.binary, ["run", "--config", scenario.inventoryPath, "--log-target", "stderr", "--status-every", "0.2"],
                                       environment: ["NOTIFY_SOCKET": "\(scenario.haproxy.directory.path)/absent.sock", "WATCHDOG_USEC": "1000000"])
        defer { hascale.terminate() }
        try hascale.waitForLine("hascale to be ready", timeout: 30) { $0.contains("ready:") }
        let turns = hascale.output.filter { $0.contains("status tail:") }.count
        try hascale.waitForLine("the loop to go on turning", timeout: 10) { _ in
            hascale.output.filter { $0.contains("status tail:") }.count >= turns + 3
        }
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
