import HAScale
import Logging

/// Re-reads the inventory on an edit or SIGHUP: a valid file is applied live,
/// a broken one is refused with its exact error while the running one stays.
struct InventoryReloader: Sendable {
    let path: String
    let autoscaler: Autoscaler
    let notifier: SystemdNotifier
    let logger: Logger

    func reload(because trigger: String) {
        notifier.reloading()
        do {
            let inventory = try InventoryLoader.load(path: path)
            logger.info("reloading the inventory (\(trigger))")
            autoscaler.reload(inventory) { _ in notifier.ready() }
        } catch {
            logger.error("inventory rejected (\(trigger)), the running one stays: \(error)")
            Journal.record(HistoryEvent(kind: .configRejected, reason: error.description))
            notifier.ready()
        }
    }
}
