import HAProxyNames

/// The engine of a controller that is one of a keepalived pair: how it follows
/// HAProxy while the other one acts, and what it does first when it takes over.
extension BackendAutoscaler {
    /// On standby the engine's view of a server is HAProxy's, nothing more: the
    /// active controller's actions are neither drift nor lost capacity to replace.
    /// A server this controller is still warming or draining (it lost the address
    /// mid-action) keeps its phase until that action reports back.
    mutating func mirror(_ i: Int, _ o: ServerObservation, at now: Duration) {
        guard servers[i].phase != .warming, servers[i].phase != .draining else { return }
        let phase: Phase = o.serving ? .inService : o.inService ? .down : .spare
        guard servers[i].phase != phase else { return }
        let wasServing = servers[i].phase == .inService
        servers[i].phase = phase
        servers[i].since = now
        servers[i].forgetOutlier()
        owed.removeAll { $0 == servers[i].name }
        if phase == .inService, !wasServing { noteOthersAction(.up, at: now) } else if wasServing, phase == .spare { noteOthersAction(.down, at: now) }
    }

    /// The active controller moved a server (seen at a resync, or in the log): its
    /// action spaces this one's as its own would, so one that takes over keeps the
    /// cooldown and the quiet period instead of acting again at once. Known only as
    /// precisely as it was seen: up to a resync late.
    mutating func noteOthersAction(_ direction: ScaleDecision.Direction, at now: Duration) {
        lastActionAt = now
        if direction == .up { lastScaleUpAt = now } else { lastScaleDownAt = now }
    }

    /// A server HAProxy has in drain when this controller takes over: the previous
    /// one began a scale-down and did not finish it (it lost the address, or its
    /// node went down). Noted once; ``leftDrainingDecision(at:)`` settles it.
    mutating func noteLeftDraining(_ i: Int, _ o: ServerObservation) {
        guard o.admin == .drain, !servers[i].retired, servers[i].phase != .warming, servers[i].phase != .draining,
              !leftDraining.contains(servers[i].name) else { return }
        leftDraining.append(servers[i].name)
    }

    /// The next server left draining, settled: back into service when the backend
    /// needs it (``ScaleDecision/DrainUndo``), else its drain finished to
    /// maintenance. Either way it goes through ``begin(_:at:)`` and the executor
    /// like any decision, so it is logged and recorded as one.
    mutating func leftDrainingDecision(at now: Duration) -> ScaleDecision? {
        while let server = leftDraining.first {
            leftDraining.removeFirst()
            // Brought back or finished by someone else since: nothing left to settle.
            guard let i = index(of: server.value), !servers[i].retired, servers[i].phase == .spare else { continue }
            if let why = drainUndo(i) {
                return decision(.up, [server], cause: .leftDraining(back: why), pick: .named)
            }
            return decision(.down, [server], cause: .leftDraining(back: nil), pick: .named)
        }
        return nil
    }

    /// Why server `i`, left draining, should come back rather than go on to maintenance.
    mutating func drainUndo(_ i: Int) -> ScaleDecision.DrainUndo? {
        if servers[i].inventory.alwaysUp { return .alwaysUp }
        let active = activeCount
        if active < policy.minActive { return .belowMinActive(policy.minActive) }
        if active < maxActive, policy.windowSeconds > 0 || window.isFull, let m = window.aggregate(policy.aggregate), m > upThreshold {
            return .aboveThreshold(reading(m, upThreshold))
        }
        return nil
    }
}
