/// The loop's and the executor's time: a monotonic reading and a sleep.
///
/// Injected so tests drive time by hand (the test kit's `ManualClock`): a
/// drain's deadline, a ramp's steps, a warm-up's backoff and the engine's
/// quiet periods all pass in virtual time, without real sleeps.
public protocol RuntimeClock: Sendable {
    /// Time since a fixed origin; never goes back.
    var now: Duration { get }
    /// Suspends for `duration` of this clock's time; throws `CancellationError` when cancelled.
    func sleep(for duration: Duration) async throws
}

/// The system's monotonic clock, from the moment it is made.
public struct MonotonicClock: RuntimeClock {
    let origin = ContinuousClock.now

    public init() {}

    public var now: Duration { ContinuousClock.now - origin }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
