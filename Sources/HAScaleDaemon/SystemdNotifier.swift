import CSystemd
import Glibc
import Synchronization

/// The `sd_notify` side of `Type=notify`: readiness, a live status line,
/// watchdog pings, reload and stop. Outside systemd (no `NOTIFY_SOCKET`)
/// every call is a silent no-op, because `sd_notify` itself is one then.
final class SystemdNotifier: Sendable {
    /// Half of `WatchdogSec=`, or nil when the watchdog is off.
    let pingEvery: Duration?
    let state = Mutex<(lastPing: ContinuousClock.Instant, status: String, statusAt: ContinuousClock.Instant)>(
        (.now - .seconds(3600), "", .now - .seconds(3600)))

    init() {
        var usec: UInt64 = 0
        pingEvery = sd_watchdog_enabled(0, &usec) > 0 && usec > 0 ? .microseconds(Int64(usec / 2)) : nil
    }

    func notify(_ text: String) { _ = sd_notify(0, text) }

    func ready() { notify("READY=1") }

    func stopping() { notify("STOPPING=1\nSTATUS=stopping") }

    func reloading() {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        notify("RELOADING=1\nMONOTONIC_USEC=\(UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000)")
    }

    /// Called by the tail/decide loop each turn: only a loop that turns pings
    /// the watchdog, so a stuck loop gets the service restarted. The status
    /// line is sent when it changed, at most once a second.
    func heartbeat(_ lines: [String]) {
        let now = ContinuousClock.now
        let status = lines.joined(separator: " | ")
        var message = ""
        state.withLock { s in
            if let every = pingEvery, now - s.lastPing >= every {
                message += "WATCHDOG=1\n"
                s.lastPing = now
            }
            if status != s.status, now - s.statusAt >= .seconds(1) {
                message += "STATUS=\(status)\n"
                s.status = status
                s.statusAt = now
            }
        }
        if !message.isEmpty { notify(message) }
    }
}
