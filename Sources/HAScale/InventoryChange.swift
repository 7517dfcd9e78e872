import HAProxySocket

/// What a reloaded inventory changed, for the `config_reloaded` entry, and the
/// drains it asks for (servers removed while in service leave drained, not cut).
public struct InventoryChange: Sendable {
    public var lines: [String] = []
    public var drains: [ScaleDecision] = []
    public var summary: String { lines.isEmpty ? "no change" : lines.joined(separator: "; ") }
}

extension BackendAutoscaler {
    /// Takes `new` as this backend's inventory: servers keep their state by name,
    /// new ones join as spares (the next resync tells their real state), removed
    /// ones stop being managed, and the policy applies from the next evaluation.
    mutating func apply(_ new: Inventory.Backend, at now: Duration, into change: inout InventoryChange) {
        var parts: [String] = []
        let oldNames = Set(servers.map(\.name))
        let newNames = Set(new.servers.map(\.name))
        let added = new.servers.filter { !oldNames.contains($0.name) }.map(\.name.value)
        if !added.isEmpty { parts.append("+" + added.joined(separator: ",+")) }
        var activeAfter = activeCount
        for s in servers where !newNames.contains(s.name) {
            if s.phase == .inService || s.phase == .warming {
                activeAfter -= 1
                parts.append("-\(s.name) (draining)")
                change.drains.append(ScaleDecision(backend: name, direction: .down, servers: [s.name], metricMs: nil,
                                                   thresholdMs: downThreshold, activeBefore: activeAfter + 1,
                                                   reason: "\(s.name) was removed from the inventory"))
            } else {
                parts.append("-\(s.name)")
            }
        }
        if new.policy != policy {
            parts.append("policy changed")
            if new.policy.windowRequests != policy.windowRequests || new.policy.windowSeconds != policy.windowSeconds {
                window = RollingWindow(policy: new.policy)
                newSamples = 0
            }
        }
        servers = new.servers.map { inv in
            if var kept = servers.first(where: { $0.name == inv.name }) {
                if kept.inventory != inv { parts.append("\(inv.name) settings changed") }
                kept.inventory = inv
                return kept
            }
            return ManagedServer(inventory: inv, phase: .spare, since: now, nameBytes: Array(inv.name.value.utf8))
        }
        policy = new.policy
        if let f = inFlight, f.servers.contains(where: { !newNames.contains($0) }) { inFlight = nil }
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
