import HAScale
import HAScaleRuntime
import Logging

/// Re-reads the inventory on an edit or SIGHUP: a valid file is applied live,
/// a broken one is refused with every one of its errors while the running one stays.
struct InventoryReloader: Sendable {
    let path: String
    let loop: ScalingLoop
    let notifier: SystemdNotifier
    let logger: Logger

    func reload(because trigger: String) {
        notifier.reloading()
        do {
            let inventory = try InventoryFile.load(path: path)
            logger.info("reloading the inventory (\(trigger))")
            loop.reload(inventory) { _ in notifier.ready() }
        } catch {
            // One log line per mistake, as check-config prints them; the history keeps one event.
            let n = error.errors.count
            logger.error("inventory rejected (\(trigger)), the running one stays: \(n) \(n == 1 ? "error" : "errors")")
            for e in error.errors { logger.error("  \(e)") }
            Journal.record(HistoryEvent(kind: .configRejected, reason: error.errors.map(\.description).joined(separator: "; ")))
            notifier.ready()
        }
    }
}
