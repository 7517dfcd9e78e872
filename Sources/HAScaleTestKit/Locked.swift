import Synchronization

/// A value behind Synchronization's `Mutex`, shared by reference: what the test
/// kit's servers and their handlers hold in common. The product uses `Mutex`
/// directly; this box only adds the sharing, so one lock family serves both.
public final class Locked<Value: Sendable>: Sendable {
    let mutex: Mutex<Value>

    public init(_ value: Value) { mutex = Mutex(value) }

    public func withLock<R: Sendable>(_ body: (inout sending Value) throws -> sending R) rethrows -> R {
        try mutex.withLock(body)
    }
}
