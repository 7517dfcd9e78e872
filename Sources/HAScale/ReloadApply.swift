import HAProxyNames

/// What a reloaded inventory changed, for the `config_reloaded` entry.
public struct InventoryChange: Sendable, Equatable {
    public var lines: [String] = []
    public var summary: String { lines.isEmpty ? "no change" : lines.joined(separator: "; ") }
}

extension BackendAutoscaler {
    /// Takes `new` as this backend's inventory: servers keep their state by name,
    /// new ones join as spares (the next resync tells their real state), and the
    /// policy applies from the next evaluation. A removed server that is out of
    /// service stops being managed at once; one that serves, warms or drains is
    /// retired: its action in flight runs to its end, and if it then serves,
    /// the next evaluation drains it through the same rule as any decision.
    mutating func apply(_ new: Inventory.Backend, at now: Duration, into change: inout InventoryChange) {
        var parts: [String] = []
        let newNames = Set(new.servers.map(\.name))
        let kept = servers.filter { !$0.retired }.map(\.name)
        let added = new.servers.filter { !kept.contains($0.name) }.map(\.name.value)
        if !added.isEmpty { parts.append("+" + added.joined(separator: ",+")) }
        var retiring: [ManagedServer] = []
        for var s in servers where !newNames.contains(s.name) {
            if s.phase == .spare {
                if !s.retired { parts.append("-\(s.name)") }
                continue
            }
            if !s.retired {
                switch s.phase {
                case .warming: parts.append("-\(s.name) (drained after its warm-up)")
                case .draining: parts.append("-\(s.name) (drain in progress)")
                default: parts.append("-\(s.name) (draining)")
                }
            }
            s.retired = true
            retiring.append(s)
        }
        if new.policy != policy {
            parts.append("policy changed")
            // What the model learnt is in the old metric's milliseconds; what it asked
            // for was under the old thresholds and period.
            if new.policy.metric != policy.metric { model.removeAll() }
            if new.policy.metric != policy.metric || new.policy.scaleUpThresholdMs != policy.scaleUpThresholdMs
                || new.policy.effectiveScaleDownThresholdMs != policy.effectiveScaleDownThresholdMs
                || new.policy.scaleDownAfterSeconds != policy.scaleDownAfterSeconds || new.policy.sizing != policy.sizing
                || new.policy.aggregate != policy.aggregate {
                recommended.removeAll()
                recommendingSince = nil
            }
            if new.policy.windowRequests != policy.windowRequests || new.policy.windowSeconds != policy.windowSeconds {
                window = RollingWindow(policy: new.policy)
                newSamples = 0
            }
            if new.policy.windowRequests != policy.windowRequests || new.policy.windowSeconds != policy.windowSeconds
                || new.policy.scaleDownAfterSeconds != policy.scaleDownAfterSeconds {
                outcomes = Self.errorWindow(new.policy)
            }
            if new.policy.windowRequests != policy.windowRequests || new.policy.windowSeconds != policy.windowSeconds
                || new.policy.outliers.minRequests != policy.outliers.minRequests {
                for i in servers.indices {
                    servers[i].window = ManagedServer.ownWindow(new.policy)
                    servers[i].conns = ManagedServer.ownWindow(new.policy)
                    servers[i].outcomes = ManagedServer.ownWindow(new.policy)
                }
            }
        }
        servers = new.servers.map { inv in
            if var kept = servers.first(where: { $0.name == inv.name }) {
                if kept.inventory != inv && !kept.retired { parts.append("\(inv.name) settings changed") }
                kept.inventory = inv
                kept.retired = false
                return kept
            }
            defer { nextServerID += 1 }
            return ManagedServer(inventory: inv, phase: .spare, since: now, policy: new.policy, id: nextServerID)
        } + retiring
        policy = new.policy
        if !parts.isEmpty { change.lines.append("\(name): " + parts.joined(separator: ", ")) }
    }
}

extension DecisionEngine {
    /// Applies a reloaded inventory without losing what the engine knows.
    public mutating func apply(_ inventory: Inventory, at now: Duration) -> InventoryChange {
        var change = InventoryChange()
        var next: [BackendAutoscaler] = []
        for b in inventory.backends {
            if let i = index(of: b.name) {
                var e = backends[i]
                e.apply(b, at: now, into: &change)
                next.append(e)
            } else {
                next.append(BackendAutoscaler(backend: b, at: now))
                change.lines.append("\(b.name): new backend, \(b.servers.count) server(s)")
            }
        }
        for b in backends where inventory.backends.first(where: { $0.name == b.name }) == nil {
            change.lines.append("\(b.name): no longer managed; its servers stay as they are")
        }
        replaceBackends(next)
        return change
    }
}
