import HAScale

/// One second of a run, for `--timeline` and `--plot`.
public struct TimelineRow: Sendable, Equatable {
    public var second: Int
    /// The offered rate, requests per second.
    public var rate: Double
    /// Servers taking traffic at the end of the second.
    public var serving: Int
    /// Of the requests that finished in that second; nil when none did.
    public var meanMs: Double?
    public var p95Ms: Double?
}

/// A scale decision the engine took, and when (virtual seconds from the start).
public struct TimedDecision: Sendable, Equatable {
    public var second: Double
    public var decision: ScaleDecision
}

/// How a policy did on one run: latency, the seconds it let the mean run over
/// the SLO, and what it spent, against the hindsight pool.
public struct SimulationResult: Sendable, Equatable {
    public var policy: String
    public var requests: UInt64
    public var meanMs: Double
    public var p50Ms: Double
    public var p95Ms: Double
    public var p99Ms: Double
    public var sloMs: Double
    /// Seconds whose mean response time (of the requests finished in them) was above the SLO.
    public var sloViolationSeconds: Int
    /// Servers warming, serving or draining, integrated over the run.
    public var serverSeconds: Double
    /// Per second, the fewest servers that queueing theory says keep that second's
    /// mean under the SLO: a lower bound no policy that reacts can reach.
    public var oracleServerSeconds: Double
    public var scaleUps: Int
    public var scaleDowns: Int
    /// A server taken down and brought back, or brought up and taken down, within `scale_down.after_seconds`.
    public var flaps: Int
    public var maxActive: Int
    /// Requests that found no server serving.
    public var failed: UInt64
    public var timeline: [TimelineRow]
    public var decisions: [TimedDecision]

    /// Server-seconds over the oracle's.
    public var costRatio: Double { oracleServerSeconds > 0 ? serverSeconds / oracleServerSeconds : 0 }

    /// The object `hascale simulate --json` prints, with exactly its documented keys.
    public var json: String {
        func n(_ v: Double) -> String {
            let r = (v * 10).rounded() / 10
            return r == r.rounded() ? "\(Int(r))" : "\(r)"
        }
        return "{\"policy\":\"\(policy)\",\"requests\":\(requests),\"mean_ms\":\(n(meanMs)),\"p50_ms\":\(n(p50Ms)),"
            + "\"p95_ms\":\(n(p95Ms)),\"p99_ms\":\(n(p99Ms)),\"slo_ms\":\(n(sloMs)),\"slo_violation_seconds\":\(sloViolationSeconds),"
            + "\"server_seconds\":\(n(serverSeconds)),\"oracle_server_seconds\":\(n(oracleServerSeconds)),"
            + "\"scale_ups\":\(scaleUps),\"scale_downs\":\(scaleDowns),\"flaps\":\(flaps),\"max_active\":\(maxActive)}"
    }
}
