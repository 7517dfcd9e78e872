import HAProxyNames
@testable import HAScaleRuntime

/// A snapshot as the loop would publish it: backend `app.v2:blue` (a name with
/// every punctuation HAProxy allows) with three servers, one of them an ejected
/// outlier, and counts for a few kinds of decision.
enum SnapshotFixture {
    static func name(_ s: String) -> ProxyName { try! ProxyName(s) }

    static func make(metricMs: Double? = 212.5, lag: Double? = 0.75) -> LoopSnapshot {
        let b = name("app.v2:blue")
        let backend = LoopSnapshot.Backend(
            name: b, active: 2, total: 4, down: 0, ejected: 1, maxActive: 3, metric: "Tr", aggregate: "mean", metricMs: metricMs,
            upThresholdMs: 500, downThresholdMs: 250, errorRate: 0, recommendedServers: 2,
            next: LoopSnapshot.NextStep(kind: "scale_down_in", text: "scale-down in 4m10s", inSeconds: 250, at: 1_800_000_250),
            status: "app.v2:blue: 2/4 up", decisions: [.up: 3, .down: 1, .heldCooldown: 7], failures: [.up: 1],
            recent: [LoopSnapshot.Decision(at: 1_800_000_000, kind: .up, servers: [name("s2")], reason: "mean Tr 612 ms > 500 ms", metricMs: 612, thresholdMs: 500)])
        return LoopSnapshot(
            pid: 4242, writtenAt: 1_800_000_000, startedAt: 1_799_999_000, dryRun: false, haproxyAnswers: true,
            log: LoopSnapshot.Log(source: "/var/log/haproxy.log", lines: 1000, managed: 900, unmanaged: 60, rejected: 40, dropped: 5,
                                  newestAcceptedAt: lag.map { 1_800_000_000 - $0 }, lagSeconds: lag),
            apiErrors: 2, backends: [backend],
            servers: [
                LoopSnapshot.Server(backend: b, server: name("s1"), phase: "up", ejectedSeconds: nil, metricMs: 180),
                LoopSnapshot.Server(backend: b, server: name("s2"), phase: "up", ejectedSeconds: nil, metricMs: 245.25),
                LoopSnapshot.Server(backend: b, server: name("s3"), phase: "spare", ejectedSeconds: 120, metricMs: nil),
                LoopSnapshot.Server(backend: b, server: name("s4"), phase: "warming", ejectedSeconds: nil, metricMs: nil),
            ])
    }
}
