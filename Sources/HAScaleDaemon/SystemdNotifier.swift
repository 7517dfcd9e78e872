import CSystemd
import Glibc
import Synchronization

/// The `sd_notify` side of `Type=notify`: readiness, a live status line,
/// watchdog pings, reload and stop. Outside systemd (no `NOTIFY_SOCKET`)
/// every call is a silent no-op, because `sd_notify` itself is one then.
final class SystemdNotifier: Sendable {
    /// Half of `WatchdogSec=`, or nil when the watchdog is off.
    let pingEvery: Duration?
    let state = Mutex<(lastPing: ContinuousClock.Instant, status: String)>((.now - .seconds(3600), ""))

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
    /// the watchdog, so a stuck loop gets the service restarted.
    func progress() {
        guard let every = pingEvery else { return }
        let now = ContinuousClock.now
        let due = state.withLock { s in
            guard now - s.lastPing >= every else { return false }
            s.lastPing = now
            return true
        }
        if due { notify("WATCHDOG=1") }
    }

    /// The backends' status lines as one `STATUS=`, sent when it changed.
    func status(_ lines: [String]) {
        let status = lines.joined(separator: " | ")
        let changed = state.withLock { s in
            guard status != s.status else { return false }
            s.status = status
            return true
        }
        if changed { notify("STATUS=\(status)") }
    }
}
