import HAScaleRuntime
import Synchronization

/// A clock that moves only when the test says so: sleepers wake in deadline
/// order as ``advance(by:)`` passes their deadlines, so drains, ramps and
/// warm-up backoffs run in virtual time, with no real sleep in the test.
public final class ManualClock: RuntimeClock {
    struct Sleeper {
        var id: UInt64
        var deadline: Duration
        var continuation: CheckedContinuation<Void, any Error>
    }

    struct State {
        var now: Duration = .zero
        var nextID: UInt64 = 0
        var sleepers: [Sleeper] = []
        var cancelled: Set<UInt64> = []
    }

    let state = Mutex(State())
    /// Each sleep as it begins, with its length: what a test waits for before it advances.
    public let sleeps = EventLog<Duration>()

    public init() {}

    public var now: Duration { state.withLock { $0.now } }

    /// How many tasks sleep on this clock now.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    public func sleep(for duration: Duration) async throws {
        let id = state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                let resume: Result<Void, any Error>? = state.withLock { s in
                    if s.cancelled.remove(id) != nil { return .failure(CancellationError()) }
                    if duration <= .zero { return .success(()) }
                    s.sleepers.append(Sleeper(id: id, deadline: s.now + duration, continuation: c))
                    return nil
                }
                if let resume { c.resume(with: resume) } else { sleeps.append(duration) }
            }
        } onCancel: {
            let c: CheckedContinuation<Void, any Error>? = state.withLock { s in
                guard let i = s.sleepers.firstIndex(where: { $0.id == id }) else {
                    s.cancelled.insert(id)  // cancelled before it slept
                    return nil
                }
                return s.sleepers.remove(at: i).continuation
            }
            c?.resume(throwing: CancellationError())
        }
    }

    /// Moves time on and wakes every sleeper whose deadline has come, earliest first.
    public func advance(by d: Duration) {
        let due: [CheckedContinuation<Void, any Error>] = state.withLock { s in
            s.now += d
            let now = s.now
            let ready = s.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            s.sleepers.removeAll { $0.deadline <= now }
            return ready.map(\.continuation)
        }
        for c in due { c.resume() }
    }
}
