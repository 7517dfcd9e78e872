import Foundation
import Synchronization

/// Closed-loop HTTP load through HAProxy: `clients` threads, each sending one
/// request at a time and pausing `think` between them. Changing the number of
/// clients changes the concurrency the backends see, which is what makes
/// their latency (``HTTPTestBackend/Behaviour/loadDependent(base:perRequest:)``) move.
public final class LoadGenerator: Sendable {
    public let host: String
    public let port: Int
    private let state = Locked(State())

    struct State {
        var clients = 0
        var think: TimeInterval = 0
        var stopped = false
        var running: Set<Int> = []
        var sent = 0
        var failed = 0
    }

    /// Load for `host`:`port` (127.0.0.1, or an HAProxy node's address inside its namespace).
    public init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
    }

    public var sent: Int { state.withLock { $0.sent } }
    public var failed: Int { state.withLock { $0.failed } }

    /// Sets the load: extra threads start at once, surplus ones stop after their current request.
    public func set(clients: Int, think: TimeInterval) {
        let start: [Int] = state.withLock { s in
            s.clients = clients
            s.think = think
            let missing = (0..<clients).filter { !s.running.contains($0) }
            s.running.formUnion(missing)
            return missing
        }
        for id in start {
            Thread.detachNewThread { [self] in worker(id) }
        }
    }

    private func worker(_ id: Int) {
        while true {
            let (run, think): (Bool, TimeInterval) = state.withLock { s in
                if s.stopped || id >= s.clients {
                    s.running.remove(id)
                    return (false, 0)
                }
                return (true, s.think)
            }
            guard run else { return }
            let ok = HTTPGet.get(host: host, port: port, path: "/app", timeout: 15)?.status == 200
            state.withLock { if ok { $0.sent += 1 } else { $0.failed += 1 } }
            if think > 0 { Thread.sleep(forTimeInterval: think) }
        }
    }

    public func stop() { state.withLock { $0.stopped = true } }
}
