import HAProxyNames
import HAScaleRuntime
import Prometheus

/// A ``LoopSnapshot`` in Prometheus' text format, through swift-prometheus'
/// registry (names, label escaping, `# HELP`/`# TYPE`) and its encoder.
///
/// A registry per scrape: the snapshot holds every value already (the loop's
/// counters are counts since start, its gauges the second's view), so the
/// registry is only the encoding. A backend or server that leaves the inventory
/// leaves the next scrape with nothing to unregister, and a counter is exactly
/// the loop's count, never a sum of deltas a reset could break.
///
/// Times are in seconds, Prometheus' base unit, though hascale reads and states
/// them in milliseconds: `promtool check metrics` refuses `_milliseconds`, and
/// HAProxy's own exporter reports its response times in seconds, so the two plot
/// on one axis.
///
/// Label values are ``ProxyName``s (validated: letters, digits, `-_.:`) or fixed
/// words of this file: nothing a log line or a client wrote reaches a label.
public enum PrometheusExposition {
    /// What Prometheus expects for this format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The pool's phases as `hascale_servers{state}` names them.
    public static let states = ["serving", "spare", "warming", "draining", "ejected", "down"]

    public static func render(_ snapshot: LoopSnapshot?, version: String) -> [UInt8] {
        let registry = PrometheusCollectorRegistry()
        registry.makeGauge(descriptor: name("build", "info", "1 for the running hascale, its version as a label."), labels: [("version", version)]).set(1.0)
        guard let s = snapshot else { return registry.emitToBuffer() }
        let servers = name("servers", "", "Servers of the backend by state: serving (in service, managed or not), spare, warming, draining, ejected (an outlier resting), down (enabled, DOWN by health checks).")
        let maxActive = name("max_active", "servers", "The backend's max_active (every server when the policy sets none).")
        let metric = name("metric", "seconds", "The aggregate hascale steers the backend by (its policy's metric and aggregate over the window).")
        let threshold = name("threshold", "seconds", "The scale-up (direction=up) and scale-down (direction=down) thresholds.")
        let serverMetric = name("server_metric", "seconds", "A serving server's own aggregate over its window.")
        let decisions = name("decisions", "total", "Decisions since start: up, down, replaced, ejected, and scale actions held back by cause (held_*; counted each time hascale explains it).")
        let failed = name("actions_failed", "total", "Servers an action could not move (a failed warm-up, a refused command).")
        for b in s.backends {
            let backend = ("backend", b.name.value)
            var count = Dictionary(uniqueKeysWithValues: states.map { ($0, 0) })
            count["serving"] = b.active
            for server in s.servers where server.backend == b.name {
                switch server.phase {
                case "spare": count[server.ejectedSeconds == nil ? "spare" : "ejected", default: 0] += 1
                case "warming", "draining", "down": count[server.phase, default: 0] += 1
                default: break
                }
            }
            for state in states {
                registry.makeGauge(descriptor: servers, labels: [backend, ("state", state)]).set(Double(count[state] ?? 0))
            }
            registry.makeGauge(descriptor: maxActive, labels: [backend]).set(Double(b.maxActive))
            if let m = b.metricMs { registry.makeGauge(descriptor: metric, labels: [backend]).set(seconds(m)) }
            registry.makeGauge(descriptor: threshold, labels: [backend, ("direction", "up")]).set(seconds(b.upThresholdMs))
            registry.makeGauge(descriptor: threshold, labels: [backend, ("direction", "down")]).set(seconds(b.downThresholdMs))
            for kind in DecisionKind.allCases {
                registry.makeCounter(descriptor: decisions, labels: [backend, ("kind", kind.rawValue)]).increment(by: count64(b.decisions[kind]))
            }
            for kind in DecisionKind.actions {
                registry.makeCounter(descriptor: failed, labels: [backend, ("kind", kind.rawValue)]).increment(by: count64(b.failures[kind]))
            }
        }
        for server in s.servers {
            guard let m = server.metricMs else { continue }
            registry.makeGauge(descriptor: serverMetric, labels: [("backend", server.backend.value), ("server", server.server.value)]).set(seconds(m))
        }
        let lines = name("log_lines", "total", "Log lines read: parsed (requests of managed backends), unmanaged (requests of other backends), rejected (not a request).")
        registry.makeCounter(descriptor: lines, labels: [("result", "parsed")]).increment(by: count64(s.log.managed))
        registry.makeCounter(descriptor: lines, labels: [("result", "unmanaged")]).increment(by: count64(s.log.unmanaged))
        registry.makeCounter(descriptor: lines, labels: [("result", "rejected")]).increment(by: count64(s.log.rejected))
        registry.makeCounter(descriptor: name("log_source_dropped", "total", "Log lines the source lost before hascale read them (kernel receive buffer, hascale's queue, journald's rate limit)."))
            .increment(by: count64(s.log.dropped))
        if let lag = s.log.lagSeconds {
            registry.makeGauge(descriptor: name("log_lag", "seconds", "Now less the accept date of the newest request read (it includes that request's duration); it grows while the log is silent."))
                .set(lag)
        }
        if let nodes = s.nodes {
            let requests = name("node_log_requests", "total", "Request lines told to each HAProxy node (by sender address or syslog hostname); node=\"\" counts those told to none.")
            let inStep = name("node_in_step", "", "1 while the HAProxy node has the pool's state, 0 while it is out of step (unreachable, refused a command, or restarted and not yet resynced).")
            for n in nodes {
                registry.makeCounter(descriptor: requests, labels: [("node", n.name.value)]).increment(by: count64(n.requests))
                registry.makeGauge(descriptor: inStep, labels: [("node", n.name.value)]).set(n.outOfStep == nil ? 1.0 : 0.0)
            }
            registry.makeCounter(descriptor: requests, labels: [("node", "")]).increment(by: count64(s.unattributedRequests))
        }
        registry.makeCounter(descriptor: name("runtime_api_errors", "total", "Runtime-API commands that failed: refused, timed out, or no socket."))
            .increment(by: count64(s.apiErrors))
        return registry.emitToBuffer()
    }

    static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "hascale", metricName: metric, unitName: unit, helpText: help)
    }

    /// Milliseconds as seconds, to the microsecond: `0.24563`, not `0.24563000000000002`.
    static func seconds(_ ms: Double) -> Double { (ms * 1000).rounded() / 1_000_000 }

    static func count64(_ n: UInt64?) -> Int64 { Int64(clamping: n ?? 0) }
}
