/// How many servers a metric decision moves, from the backend's ``LoadModel``.
///
/// Up: as many as bring the predicted metric under `threshold × (1 − headroom)`,
/// in one decision, so a flash crowd waits for one decision (its servers warmed in turn) rather than one cooldown
/// per server. Down: to the largest pool the model asked for over the last
/// `scale_down.after_seconds` (stabilization, as Kubernetes' autoscaler does), at
/// most `scale_down.max_step` at a time, so a dip shorter than that period (an
/// upstream outage) sheds nothing its end will need.
extension BackendAutoscaler {
    /// The aggregate's ratio to the mean of the same window: the model predicts
    /// means, a percentile policy is judged on the tail.
    func tail(_ m: Double) -> Double {
        guard policy.aggregate != .mean, let mean = window.mean, mean > 0 else { return 1 }
        return max(1, m / mean)
    }

    /// Why the model is not trusted now, or nil when it is.
    mutating func modelDistrust(at now: Duration) -> LoadModel.Distrust? {
        if case .failure(let why) = model.fit(at: now) { return why }
        return nil
    }

    /// The pool the model asks for to keep the metric under the scale-down threshold.
    mutating func downSizing(metric m: Double, at now: Duration) -> Result<LoadModel.Sizing, LoadModel.Distrust> {
        model.size(targetMs: downThreshold, active: activeCount, floor: max(1, policy.minActive),
                   ceiling: max(maxActive, activeCount), tail: tail(m), sustained: true, at: now)
    }

    /// Keeps the largest recommendation of each second over the stabilization
    /// period; a moment without a model to trust starts the period again.
    mutating func recordRecommendation(metric m: Double, at now: Duration) {
        guard policy.sizing == .model else { return }
        switch downSizing(metric: m, at: now) {
        case .success(let sizing):
            if recommendingSince == nil { recommendingSince = now }
            let second = LoadModel.second(now)
            if let last = recommended.indices.last, recommended[last].second == second {
                recommended[last].servers = max(recommended[last].servers, sizing.servers)
            } else {
                recommended.append((second, sizing.servers))
            }
            let oldest = second - Int64(policy.scaleDownAfterSeconds.rounded(.up))
            if let drop = recommended.firstIndex(where: { $0.second >= oldest }), drop > 0 { recommended.removeFirst(drop) }
        case .failure:
            recommendingSince = nil
            recommended.removeAll()
        }
    }

    /// A scale-down the model allows now, and how many servers it takes; nil when
    /// the model has no say (the one-at-a-time rule then applies). No breach for
    /// `scale_down.after_seconds`, the model trusted for all of it, the last
    /// scale-up that long ago, the metric under the lower threshold now, and the
    /// last action a cooldown ago (the smaller pool's requests reach the model
    /// before the next step).
    mutating func modelScaleDown(active: Int, at now: Duration) -> (ScaleDecision.Cause, Int)? {
        guard policy.sizing == .model else { return nil }
        let after = Duration.seconds(policy.scaleDownAfterSeconds)
        // The stabilized recommendation is the quiet period here: a window of 15
        // requests at a high rate crosses the lower threshold now and then by chance,
        // so what must hold is no breach for that long and the metric under it now.
        let calm = lastBreachAt ?? lastActionAt
        guard now - calm >= after, let m = lastMetric, m < downThreshold, let last = lastRequestAt, now - last < after,
              let since = recommendingSince, now - since >= after,
              now - lastActionAt >= .seconds(max(1, policy.scaleUpCooldownSeconds)),
              let largest = recommended.map(\.servers).max(), largest < active else { return nil }
        if let up = lastScaleUpAt, now - up < after { return nil }
        guard case .success(let sizing) = downSizing(metric: m, at: now) else { return nil }
        let floor = max(largest, 1, policy.minActive)
        let count = min(active - floor, policy.scaleDownMaxStep, downCandidates().count)
        guard count > 0 else { return nil }
        let projected = sizing.fit.predict(servers: active - count, active: active, load: sizing.load) * tail(m)
        guard projected < downThreshold else { return nil }
        return (.belowThreshold(reading(m, downThreshold), quietFor: now - calm, projectedMs: projected,
                                model: .stabilized(sizing, largest: largest, over: after)), count)
    }
}
