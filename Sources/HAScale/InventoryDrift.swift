import HAProxyNames

/// Where the inventory and HAProxy disagree, one line per server: what an
/// operator checks after a HAProxy reload or a hand edit, and what `hascale run`
/// would change at start.
public enum InventoryDrift {
    public static func report(_ inventory: Inventory, _ observations: [ServerObservation]) -> [String] {
        var lines: [String] = []
        for backend in inventory.backends {
            let b = backend.name.value
            let haproxy = observations.filter { $0.backend == b }
            guard !haproxy.isEmpty else {
                lines.append("\(b): in the inventory, but HAProxy has no such backend (check haproxy.cfg)")
                continue
            }
            for s in backend.servers {
                let ref = "\(b)/\(s.name)"
                guard let row = haproxy.first(where: { $0.server == s.name.value }) else {
                    lines.append("\(ref): in the inventory, not in HAProxy; add it to haproxy.cfg or remove it from the inventory")
                    continue
                }
                let state = row.inService ? "in service" : row.admin == .ready ? "at weight 0" : "in \(row.admin.rawValue)"
                if s.alwaysUp && !row.inService {
                    lines.append("\(ref): always_up, but HAProxy has it \(state)")
                } else if s.active && !row.inService {
                    lines.append("\(ref): the inventory has it active, HAProxy has it \(state); `hascale run` brings it up at start")
                } else if !s.active && !s.alwaysUp && row.inService {
                    lines.append("\(ref): the inventory has it spare, HAProxy has it in service; `hascale run` takes it down at start unless the pool would shrink below min_active")
                }
                if row.inService && !row.serving {
                    lines.append("\(ref): enabled, but DOWN by HAProxy's health checks (operational state \(row.operational.rawValue)); it serves nothing")
                }
                if let w = s.weight, row.inService, row.weight != w {
                    lines.append("\(ref): weight \(row.weight) in HAProxy, \(w) in the inventory")
                }
            }
            for row in haproxy where !backend.servers.contains(where: { $0.name.value == row.server }) {
                lines.append("\(b)/\(row.server): in HAProxy, not in the inventory; hascale leaves it alone")
            }
        }
        return lines
    }
}
