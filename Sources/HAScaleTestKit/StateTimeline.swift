import Foundation
import Synchronization

/// Samples HAProxy's state every `interval` and keeps every change: the
/// ground truth a run is judged by.
public final class StateTimeline: @unchecked Sendable {
    public struct Change: Sendable, CustomStringConvertible {
        public var at: TimeInterval
        public var server: String
        public var up: Bool
        public var description: String { String(format: "%6.1fs %@ %@", at, server, up ? "up" : "down") }
    }

    private let box = Locked((changes: [Change](), current: Set<String>(), minimum: Int.max, stopped: false))
    public let start = Date()

    public convenience init(_ scenario: AutoscaleScenario, interval: TimeInterval = 0.1) {
        self.init(interval: interval) { try scenario.inService() }
    }

    /// Samples `inService` (the servers that take traffic now) every `interval`.
    public init(interval: TimeInterval = 0.1, inService: @escaping @Sendable () throws -> [String]) {
        Thread.detachNewThread { [box, start] in
            var last: Set<String>? = nil
            while !box.withLock({ $0.stopped }) {
                if let now = try? Set(inService()) {
                    let t = Date().timeIntervalSince(start)
                    box.withLock { b in
                        if let last {
                            for s in now.subtracting(last).sorted() { b.changes.append(Change(at: t, server: s, up: true)) }
                            for s in last.subtracting(now).sorted() { b.changes.append(Change(at: t, server: s, up: false)) }
                        }
                        b.current = now
                        b.minimum = min(b.minimum, now.count)
                    }
                    last = now
                }
                Thread.sleep(forTimeInterval: interval)
            }
        }
    }

    public var changes: [Change] { box.withLock { $0.changes } }
    public var current: Set<String> { box.withLock { $0.current } }
    /// The fewest servers ever seen in service.
    public var minimum: Int { box.withLock { $0.minimum } }
    public func stop() { box.withLock { $0.stopped = true } }
}
