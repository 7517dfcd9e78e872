import Synchronization

/// Things that happened, in order, and a way to wait for one: tests wait on
/// the event they expect (bounded, with a message naming it), never on a sleep.
public final class EventLog<Element: Sendable>: Sendable {
    struct Waiter {
        var id: UInt64
        /// The answer once the log holds it, from all elements so far.
        var answer: @Sendable ([Element]) -> Element?
        var continuation: CheckedContinuation<Element?, Never>
    }

    struct State {
        var elements: [Element] = []
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0
        /// Waits whose timeout came before they registered: they end at once.
        var expired: Set<UInt64> = []
    }

    let state = Mutex(State())

    public init() {}

    public var all: [Element] { state.withLock { $0.elements } }

    public func append(_ e: Element) {
        let woken: [(CheckedContinuation<Element?, Never>, Element)] = state.withLock { s in
            s.elements.append(e)
            var ready: [(CheckedContinuation<Element?, Never>, Element)] = []
            s.waiters.removeAll { w in
                guard let found = w.answer(s.elements) else { return false }
                ready.append((w.continuation, found))
                return true
            }
            return ready
        }
        for (c, found) in woken { c.resume(returning: found) }
    }

    public struct Timeout: Error, CustomStringConvertible {
        public var description: String
    }

    /// The first element, already logged or still to come, that `matches`;
    /// throws ``Timeout`` naming `what` after `timeout` of real time.
    @discardableResult
    public func first(_ what: String, timeout: Duration = .seconds(10), where matches: @escaping @Sendable (Element) -> Bool) async throws -> Element {
        try await nth(1, what, timeout: timeout, where: matches)
    }

    /// The `n`th element that `matches` (1 is the first), already logged or still to come.
    @discardableResult
    public func nth(_ n: Int, _ what: String, timeout: Duration = .seconds(10), where matches: @escaping @Sendable (Element) -> Bool) async throws -> Element {
        let answer: @Sendable ([Element]) -> Element? = { all in
            var seen = 0
            for e in all where matches(e) {
                seen += 1
                if seen == n { return e }
            }
            return nil
        }
        let id = state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
        let found: Element? = await withTaskGroup(of: Element?.self) { group in
            group.addTask {
                await withCheckedContinuation { (c: CheckedContinuation<Element?, Never>) in
                    let done: Element?? = self.state.withLock { s in
                        if let e = answer(s.elements) { return .some(e) }
                        if s.expired.remove(id) != nil { return .some(nil) }
                        s.waiters.append(Waiter(id: id, answer: answer, continuation: c))
                        return nil
                    }
                    if let done { c.resume(returning: done) }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                let c = self.state.withLock { s -> CheckedContinuation<Element?, Never>? in
                    guard let i = s.waiters.firstIndex(where: { $0.id == id }) else {
                        s.expired.insert(id)  // not registered yet (or answered): a late registration ends at once
                        return nil
                    }
                    return s.waiters.remove(at: i).continuation
                }
                c?.resume(returning: nil)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let found else {
            throw Timeout(description: "waited \(timeout) for \(what); saw \(all.suffix(12))")
        }
        return found
    }
}
