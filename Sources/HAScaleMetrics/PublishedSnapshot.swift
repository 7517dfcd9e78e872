import HAScaleRuntime
import Synchronization

/// The latest ``LoopSnapshot``, where the loop leaves it and the metrics
/// endpoint takes it. The loop only stores a value (one lock, no waiting on a
/// reader); a scrape only copies one out. Neither ever sees the other's work,
/// so a slow or hostile client cannot slow the loop down.
public final class PublishedSnapshot: Sendable {
    private let latest = Mutex<LoopSnapshot?>(nil)

    public init() {}

    public func publish(_ snapshot: LoopSnapshot) { latest.withLock { $0 = snapshot } }

    /// Nil until the loop's first turn after start-up.
    public var current: LoopSnapshot? { latest.withLock { $0 } }
}
