import HAProxyNames
import HAScale

/// The engine's structured causes as the sentences operators read in the log,
/// the journal's `HASCALE_REASON` and `systemctl status`. The only place prose
/// about decisions is written; tests of the engine check causes and numbers.
public enum EventProse {
    public static func describe(_ event: EngineEvent) -> String {
        switch event {
        case .scale(let d): describe(d)
        case .suppressed(let s): describe(s)
        case .drift(let d): "\(d.backend)/\(d.server): \(detail(d))"
        case .health(let h): "\(h.backend)/\(h.server): \(detail(h))"
        case .haproxyRestarted(let b, let up, let down): "\(b): \(restarted(up, down))"
        case .outlier(let o): "\(o.backend)/\(o.server): \(detail(o))"
        }
    }

    /// `mean Tr 2000 ms > 3 × its peers' median 50 ms`, or its error share.
    public static func outlierText(_ r: OutlierReading) -> String {
        switch r.rule {
        case .slow(let factor):
            let f = factor == factor.rounded() ? "\(Int(factor))" : "\(factor)"
            return "\(formatMs(r.serverMetricMs)) > \(f) × its serving peers' median \(formatMs(r.peerMedianMs))"
        case .failing(let rate):
            return "\(percent(rate)) of its requests fail while its serving peers stay under 5 %"
        }
    }

    public static func detail(_ o: OutlierEvent) -> String {
        let reading = o.reading.map(outlierText) ?? ""
        switch o.kind {
        case .detected: return "an outlier: \(reading); its requests leave the backend's metric"
        case .readmitted: return "ejection over: an ordinary spare again (a warm-up gates its return)"
        case .kept(let why):
            let text: String = switch why {
            case .detectOnly: "outliers.mode is detect"
            case .alwaysUp: "it is always_up: reported, never touched"
            case .maxEjected(let n): "outliers.max_ejected (\(n)) servers are ejected already"
            case .noCapacity(let ms): "no spare, and the rest would be at about \(formatMs(ms)) with one server fewer"
            case .lastServing: "it is the last serving server"
            }
            return "an outlier (\(reading)), kept in rotation: \(text)"
        }
    }

    public static func detail(_ h: HealthChange) -> String {
        switch h.kind {
        case .down(alwaysUp: false): "enabled but DOWN by HAProxy's health checks: lost capacity, replaced by a spare at once"
        case .down(alwaysUp: true): "always_up, enabled but DOWN by HAProxy's health checks: reported, not touched; a spare replaces its capacity"
        case .up: "serving again by HAProxy's health checks"
        }
    }

    /// What a new HAProxy process reset and hascale puts back.
    public static func restarted(_ up: [ProxyName], _ down: [ProxyName]) -> String {
        var parts: [String] = []
        if !up.isEmpty { parts.append("bringing \(names(up)) back up (warm-up first)") }
        if !down.isEmpty { parts.append("draining \(names(down)) back to maintenance") }
        return "a new HAProxy process reset the servers from haproxy.cfg; "
            + (parts.isEmpty ? "nothing to re-apply, its state matches hascale's" : parts.joined(separator: ", "))
    }

    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded())) %" }

    /// `app: up s3: mean Tr 612 ms > 500 ms for 3 evaluations with 2 in service; …`
    public static func describe(_ d: ScaleDecision) -> String {
        "\(d.backend): \(d.direction == .up ? "up" : "down") \(names(d.servers)): \(reason(d))"
    }

    public static func describe(_ s: Suppression) -> String {
        "\(s.backend): scale-\(s.direction == .up ? "up" : "down") held back: \(reason(s))"
    }

    static func names(_ servers: [ProxyName]) -> String { servers.map(\.value).joined(separator: ",") }

    static func reading(_ r: MetricReading, _ comparison: String) -> String {
        "\(r.aggregate.rawValue) \(r.metric.rawValue) \(formatMs(r.valueMs)) \(comparison) \(formatMs(r.thresholdMs))"
    }

    static func evaluations(_ n: Int) -> String { "\(n) evaluation\(n == 1 ? "" : "s")" }

    public static func reason(_ d: ScaleDecision) -> String {
        let server = names(d.servers)
        let why: String
        switch d.cause {
        case .aboveThreshold(let r, let breaches, let model):
            why = "\(reading(r, ">")) for \(evaluations(breaches))\(upModel(model, r, moving: d.servers.count))"
        case .belowThreshold(let r, let quietFor, let projected, let model):
            let fewer = d.servers.count == 1 ? "one server fewer" : "\(d.servers.count) servers fewer"
            why = "\(reading(r, "<")) for \(formatSeconds(quietFor)), about \(formatMs(projected)) with \(fewer)\(downModel(model, r))"
        case .idle(let t):
            why = "no requests for \(formatSeconds(t))"
        case .idleSinceStart(let t):
            why = "no requests since hascale started \(formatSeconds(t)) ago"
        case .inventoryActive:
            return "the inventory has \(server) active; HAProxy has it out of service"
        case .inventoryInactive:
            return "the inventory has \(server) inactive; HAProxy has it in service"
        case .removedFromInventory:
            return "\(server) was removed from the inventory"
        case .haproxyRestarted:
            return d.direction == .up
                ? "a new HAProxy process put \(server) back in maintenance from haproxy.cfg; hascale had it serving"
                : "a new HAProxy process put \(server) back in service from haproxy.cfg; hascale had it in maintenance"
        case .replacing(let lost):
            why = "\(names(lost)) stopped serving by HAProxy's health checks; replacing it at once"
        case .belowMinActive(let min):
            why = "\(d.activeBefore) serving, below min_active \(min)"
        case .outlierReplacement(let o):
            why = "\(o) is an outlier; a spare comes in first, so its ejection leaves capacity as it was"
        case .outlier(let r):
            return "\(server) is an outlier: \(outlierText(r)); ejected to maintenance"
        case .leftDraining(nil):
            return "\(server) was left draining by the previous controller; finishing its drain to maintenance"
        case .leftDraining(let back?):
            let because: String = switch back {
            case .alwaysUp: "it is always_up"
            case .belowMinActive(let min): "without it \(d.activeBefore) serve, below min_active \(min)"
            case .aboveThreshold(let r): "\(reading(r, ">")): the backend needs its capacity"
            }
            return "\(server) was left draining by the previous controller; bringing it back into service: \(because)"
        }
        switch d.pick {
        case .restingLongest(let rests):
            let resting = zip(d.servers, rests).map { "\($0) spare for \(formatSeconds($1))" }.joined(separator: ", ")
            return "\(why) with \(d.activeBefore) in service; bringing up \(resting) (resting longest)"
        case .fewestSessions(let n):
            return "\(why) with \(d.activeBefore) in service (min_active \(d.minActive)); draining \(server), the one with the fewest sessions (\(n))"
        case .lastInPoolOrder:
            return "\(why) with \(d.activeBefore) in service (min_active \(d.minActive)); draining \(server), the last in the inventory's order (the step down to min_active takes servers in that order)"
        case .named:
            return "\(why) with \(d.activeBefore) in service"
        }
    }

    /// `Tr ≈ 21 ms + 69 ms × conns/server (R² 0.93)`
    public static func fitText(_ f: LoadModel.Fit, _ metric: String) -> String {
        "\(metric) ≈ \(formatMs(f.interceptMs)) + \(formatMs(f.slopeMs)) × conns/server (R² \((f.r2 * 100).rounded() / 100))"
    }

    public static func distrust(_ d: LoadModel.Distrust) -> String {
        switch d {
        case .fewLevels(let n): "the log shows \(n) concurrency level\(n == 1 ? "" : "s") with enough requests, 3 are needed"
        case .slopeNotPositive: "latency does not rise with concurrency"
        case .poorFit(let r2): "the fit explains too little (R² \((r2 * 100).rounded() / 100) < \(LoadModel.minimumR2))"
        case .unreachable(let target, let a): "the target \(formatMs(target)) is below an idle server's \(formatMs(a))"
        }
    }

    static func conns(_ x: Double) -> String { "\((x * 10).rounded() / 10)" }

    /// `; needs 4: Tr ≈ 21 ms + 69 ms × conns/server (R² 0.93); 10.5 conns/server over 1 → about 151 ms over 4, under 160 ms`
    static func upModel(_ m: ScaleDecision.Model, _ r: MetricReading, moving: Int) -> String {
        switch m {
        case .off, .stabilized: return ""
        case .fallback(let why): return "; one server at a time: \(distrust(why))"
        case .sized(let s):
            let bounded = s.servers > s.active + moving ? " (bringing \(moving): max_step, max_active or the spares bound it)" : ""
            return "; needs \(s.servers): \(fitText(s.fit, r.metric.rawValue)); \(conns(s.load.perServer)) conns/server, \(Int(s.load.arrivals.rounded())) req/s with \(s.active)"
                + " → about \(formatMs(s.predictedMs)) over \(s.servers), \(s.predictedMs <= s.targetMs ? "under" : "still above") \(formatMs(s.targetMs))\(bounded)"
        }
    }

    /// `; the model asks for 2 now, at most 3 over the last 5m0s (Tr ≈ …)`
    static func downModel(_ m: ScaleDecision.Model, _ r: MetricReading) -> String {
        switch m {
        case .off, .sized: return ""
        case .fallback(let why): return "; one server at a time: \(distrust(why))"
        case .stabilized(let s, let largest, let over):
            return "; the model asks for \(s.servers) now and at most \(largest) over the last \(formatSeconds(over)) (\(fitText(s.fit, r.metric.rawValue)))"
        }
    }

    public static func reason(_ s: Suppression) -> String {
        if case .errorRate(let rate, let limit) = s.cause {
            return "errors \(percent(rate)) of the window's requests > \(percent(limit)) (scale_down.max_error_rate); errors are not idle capacity"
        }
        let numbers = "\(reading(s.reading, ">")) for \(evaluations(s.breaches))"
        let why: String
        switch s.cause {
        case .errorRate: why = ""
        case .actionInFlight(let direction, let servers):
            why = "\(direction == .up ? "warm-up" : "drain") of \(names(servers)) still in progress"
        case .cooldown(let left): why = "cooldown after the last scale-up, \(formatSeconds(left)) left"
        case .maxActive(let max): why = "\(s.active) in service already, max_active \(max)"
        case .noSpare: why = "no spare server left to bring up"
        case .outlierSuspected(let s): why = "\(s) stands out from its peers and is judged as an outlier first"
        }
        return "\(numbers); \(why)"
    }

    public static func detail(_ d: Drift) -> String {
        switch d.cause {
        case .servedWhileSpare:
            "served a request while hascale counted it spare; now counted in service"
        case .inServiceInHAProxy(let w):
            "HAProxy has it in service (weight \(w)) while hascale counted it spare; HAProxy wins"
        case .outOfServiceInHAProxy(let admin, let w):
            "HAProxy has it in \(admin.rawValue) (weight \(w)) while hascale counted it in service; HAProxy wins"
        case .unknownToHAProxy:
            "HAProxy has no such server; it is left alone until haproxy.cfg has it"
        }
    }

    /// One line for `systemctl status`: `app1: 3/5 up, mean Tr 212 ms < 250 ms, scale-down in 4m10s`.
    public static func statusLine(_ s: BackendStatus) -> String {
        var line = "\(s.backend): \(s.active)/\(s.total) up"
        if s.down > 0 { line += ", \(s.down) down" }
        if s.ejected > 0 { line += ", \(s.ejected) ejected" }
        if let m = s.metricMs {
            let cmp = m > s.upThresholdMs ? ">" : m < s.downThresholdMs ? "<" : "≤"
            let ref = m < s.downThresholdMs ? s.downThresholdMs : s.upThresholdMs
            line += ", \(s.aggregate.rawValue) \(s.metric.rawValue) \(formatMs(m)) \(cmp) \(formatMs(ref))"
        } else {
            line += ", no requests yet"
        }
        return line + ", " + nextStep(s.next)
    }

    static func nextStep(_ n: BackendStatus.NextStep) -> String {
        switch n {
        case .acting(let direction, let servers): "\(direction == .up ? "warming" : "draining") \(names(servers))"
        case .breaching(let count, let needed, let left?):
            "\(count >= needed ? "above target" : "breach \(count)/\(needed)"), cooldown \(formatSeconds(left))"
        case .breaching(let count, let needed, nil): "breach \(count)/\(needed)"
        case .atMinimum: "at minimum"
        case .steady: "steady"
        case .steadyProjected(let ms): "steady (about \(formatMs(ms)) with one server fewer)"
        case .scaleDownIn(let t): "scale-down in \(formatSeconds(t))"
        case .errorsHoldScaleDown(let rate): "errors \(percent(rate)), scale-down held"
        case .replacementPending(let n): "\(n) down, no spare to replace \(n == 1 ? "it" : "them") yet"
        }
    }
}
