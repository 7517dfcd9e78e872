import HAScale

/// The loop as one of a keepalived pair (``ScalingLoop/Options/leadership``): the
/// active controller acts; the standby follows the log (its engine stays warm)
/// and reads HAProxy at its resyncs, but evaluates nothing, so it sends no command.
/// The check runs once a loop turn at most every ``ScalingLoop/Options/leadershipCheckEvery``,
/// after the log is read and before any decision of that turn.
extension ScalingLoop {
    /// The role at start, before the first resync: a standby reads but runs no
    /// start-up; an active one takes over from whoever acted before it.
    func startRole(_ leadership: any LeadershipCheck, _ state: inout LoopState) {
        let holds = holdsAddress(leadership, &state)
        state.leadershipCheckedAt = clock.now
        state.standby = !holds
        state.takingOver = holds
        state.engine.following = !holds
        logger.notice("\(holds ? "active: this host holds \(leadership.address)" : "standby: \(leadership.address) held elsewhere; following the log and HAProxy, sending nothing")")
    }

    /// Asks whether this host still (or now) holds the address, and switches
    /// role on a change; answers true when it just became the active one, so
    /// the caller reads HAProxy before any decision. In-flight actions of one
    /// that became the standby run to their end (each command is idempotent);
    /// no new one starts.
    func checkLeadership(_ leadership: any LeadershipCheck, _ state: inout LoopState, at t: Duration) -> Bool {
        state.leadershipCheckedAt = t
        let holds = holdsAddress(leadership, &state)
        guard holds == state.standby else { return false }
        state.standby = !holds
        state.engine.following = !holds
        let role = holds ? "active: this host holds \(leadership.address)" : "standby: \(leadership.address) held elsewhere"
        if holds {
            state.takingOver = true
            logger.notice("\(role); reading HAProxy's state before acting")
        } else {
            let running = state.running.count
            logger.notice("\(role); \(running == 0 ? "nothing in flight" : "the \(running) action(s) in flight finish"), no new one starts")
        }
        hooks.history(HistoryEvent(kind: .leadershipChanged, reason: role))
        return holds
    }

    /// Not knowing counts as not holding: a standby too many only waits.
    func holdsAddress(_ leadership: any LeadershipCheck, _ state: inout LoopState) -> Bool {
        do {
            let holds = try leadership.holdsAddress()
            state.leadershipFailed = false
            return holds
        } catch {
            if !state.leadershipFailed { logger.warning("\(error)") }
            state.leadershipFailed = true
            return false
        }
    }

    /// Every backend's status line; on standby, the role's line first.
    func statusLines(_ state: LoopState, at now: Duration) -> [String] {
        let lines = state.engine.status(at: now).map(EventProse.statusLine)
        guard state.standby, let leadership = options.leadership else { return lines }
        return ["standby (\(leadership.address) held elsewhere)"] + lines
    }

    /// The `min_active` the executor checks HAProxy against before (and after) a drain:
    /// the engine's own check ran on its view, which another controller may have made stale.
    /// A server removed from the inventory leaves whatever the bound (only the last one stays).
    static func minActiveGuard(_ d: ScaleDecision) -> Int? {
        if case .removedFromInventory = d.cause { return nil }
        return max(1, d.minActive)
    }

    /// The `max_active` checked against HAProxy before a metric scale-up; the other
    /// scale-ups (health, start-up, re-apply) replace or restore, they do not grow the pool.
    static func maxActiveGuard(_ d: ScaleDecision, _ policy: Inventory.Policy) -> Int? {
        if case .aboveThreshold = d.cause { return policy.maxActive }
        return nil
    }
}
