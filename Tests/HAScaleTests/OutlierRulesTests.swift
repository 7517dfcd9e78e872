import HAProxyNames
@testable import HAScale
import Testing

/// ec2_watch's outlier rule in latency terms, in virtual time.
@Suite("Engine outlier rules")
struct OutlierRulesTests {
    static let n = BackendAutoscalerTests.name
    static let t = BackendAutoscalerTests.t

    /// s1 (always up), s2, s3 serving; s4, s5 spares. Windows of 20, judged from 5 requests each.
    static func pool(_ configure: (inout Inventory.Policy) -> Void = { _ in }) -> BackendAutoscaler {
        var e = BackendAutoscaler(backend: BackendAutoscalerTests.backend(spares: 4) {
            $0.windowRequests = 20
            $0.outliers.minRequests = 5
            $0.scaleUpBreaches = 3
            configure(&$0)
        }, at: .zero)
        _ = e.reconcile(["s1", "s2", "s3", "s4", "s5"].map {
            ServerObservation(backend: "app", server: $0, admin: ["s4", "s5"].contains($0) ? .maint : .ready,
                              operational: ["s4", "s5"].contains($0) ? .down : .up, weight: 1)
        }, at: .zero, reportDrift: false)
        return e
    }

    /// One round: one request per serving server with the given latencies, then an evaluation.
    static func round(_ e: inout BackendAutoscaler, _ ms: [String: Int32], status: [String: Int16] = [:], at s: Double) -> [EngineEvent] {
        for (name, v) in ms.sorted(by: { $0.key < $1.key }) {
            e.observe(server: e.index(of: name), value: v, status: status[name] ?? 200, at: t(s))
        }
        return e.evaluate(at: t(s))
    }

    static func outliers(_ events: [EngineEvent]) -> [OutlierEvent] {
        events.compactMap { if case .outlier(let o) = $0 { o } else { nil } }
    }

    @Test func aServerFortyTimesSlowerIsDetectedAfterConsecutiveEvaluationsAndLeftOutOfTheMetric() throws {
        var e = Self.pool()
        var detected: [OutlierEvent] = []
        var decisions: [ScaleDecision] = []
        for k in 0..<12 {
            let events = Self.round(&e, ["s1": 50, "s2": 2000, "s3": 50], at: Double(k))
            detected += Self.outliers(events).filter { $0.kind == .detected }
            decisions += BackendAutoscalerTests.decisions(events)
            if !detected.isEmpty { break }
        }
        let d = try #require(detected.first)
        #expect(d.server == Self.n("s2"))
        #expect(d.reading == OutlierReading(rule: .slow(factor: 3), serverMetricMs: 2000, peerMedianMs: 50))
        #expect(e.servers[1].outlier != nil)
        // Its requests no longer count: the pool's mean is its peers' 50 ms.
        for k in 20..<45 { decisions += BackendAutoscalerTests.decisions(Self.round(&e, ["s1": 50, "s2": 2000, "s3": 50], at: Double(k))) }
        #expect(e.lastMetric == 50)
        #expect(!decisions.contains { if case .aboveThreshold = $0.cause { true } else { false } },
                "one broken server is not read as a need for capacity: \(decisions.map(\.cause))")
    }

    @Test func belowTheFactorOrTheThresholdItIsNoOutlier() {
        // 140 ms is under 3 × 50; 400 ms is over 3 × 50 but under the 500 ms scale-up threshold.
        for slow: Int32 in [140, 400] {
            var e = Self.pool()
            var events: [EngineEvent] = []
            for k in 0..<40 { events += Self.round(&e, ["s1": 50, "s2": slow, "s3": 50], at: Double(k)) }
            #expect(Self.outliers(events).isEmpty, "\(slow) ms")
        }
    }

    @Test func itNeedsTwoServingPeers() {
        var e = Self.pool()
        _ = e.reconcile(["s1", "s2", "s3", "s4", "s5"].map {
            ServerObservation(backend: "app", server: $0, admin: $0 == "s1" || $0 == "s2" ? .ready : .maint,
                              operational: $0 == "s1" || $0 == "s2" ? .up : .down, weight: 1)
        }, at: .zero, reportDrift: false)
        var events: [EngineEvent] = []
        for k in 0..<40 { events += Self.round(&e, ["s1": 50, "s2": 2000], at: Double(k)) }
        #expect(Self.outliers(events).isEmpty, "one peer is no median")
    }

    @Test func ejectionBringsASpareInFirstThenDrainsAndReadmitsWithDoubling() throws {
        var e = Self.pool { $0.outliers.ejectionSeconds = 100 }
        var k = 0.0
        func until(_ what: String, _ match: (EngineEvent) -> Bool) throws -> EngineEvent {
            for _ in 0..<400 {
                k += 1
                // Requests reach the servers that serve: s2 only until it is ejected.
                let latencies: [String: Int32] = ["s1": 50, "s2": 2000, "s3": 50, "s4": 50, "s5": 50]
                let serving = latencies.filter { e.servers[e.index(of: $0.key)!].phase == .inService }
                if let hit = Self.round(&e, serving, at: k).first(where: match) { return hit }
            }
            throw CancellationError()
        }
        guard case .scale(let spare) = try until("the spare", { if case .scale = $0 { true } else { false } }) else { return }
        #expect(spare.direction == .up && spare.cause == .outlierReplacement(Self.n("s2")) && spare.servers == [Self.n("s4")])
        e.finished(spare, at: Self.t(k))
        guard case .scale(let eject) = try until("the ejection", { if case .scale = $0 { true } else { false } }) else { return }
        #expect(eject.direction == .down && eject.servers == [Self.n("s2")])
        guard case .outlier(let r) = eject.cause else { Issue.record("not an outlier drain: \(eject.cause)"); return }
        #expect(r.serverMetricMs == 2000 && r.peerMedianMs == 50)
        e.finished(eject, at: Self.t(k))
        #expect(e.servers[1].ejectedUntil == Self.t(k) + .seconds(100))
        #expect(e.activeCount == 3, "capacity never below what it was: s1, s3 and the spare s4")
        #expect(e.status(at: Self.t(k)).ejected == 1)
        // Readmitted after 100 s: an ordinary spare again.
        let ejectedAt = k
        let back = try until("the readmission") { if case .outlier(let o) = $0 { o.kind == .readmitted } else { false } }
        #expect(k - ejectedAt >= 100 && k - ejectedAt < 102, "\(back)")
        #expect(e.servers[1].ejectedUntil == nil && e.servers[1].phase == .spare)
        // Ejected again later: twice as long.
        e.servers[1].ejections = 1
        e.eject(1, at: Self.t(k))
        #expect(e.servers[1].ejectedUntil == Self.t(k) + .seconds(200))
        for _ in 0..<6 { e.eject(1, at: Self.t(k)) }
        #expect(e.servers[1].ejectedUntil == Self.t(k) + .seconds(3600), "capped at an hour")
    }

    @Test func capsAlwaysUpAndDetectMode() throws {
        // always_up s1 slow: reported, never touched.
        var e = Self.pool()
        var events: [EngineEvent] = []
        for k in 0..<60 { events += Self.round(&e, ["s1": 2000, "s2": 50, "s3": 50], at: Double(k)) }
        #expect(Self.outliers(events).map(\.kind).contains(.kept(.alwaysUp)))
        #expect(!BackendAutoscalerTests.decisions(events).contains { $0.servers.contains(Self.n("s1")) })
        // detect mode: reported, not ejected.
        var d = Self.pool { $0.outliers.mode = .detect }
        events = []
        for k in 0..<60 { events += Self.round(&d, ["s1": 50, "s2": 2000, "s3": 50], at: Double(k)) }
        #expect(Self.outliers(events).map(\.kind) == [.detected, .kept(.detectOnly)])
        #expect(BackendAutoscalerTests.decisions(events).isEmpty)
        // max_ejected 1: a second outlier waits while the first rests.
        var c = Self.pool { $0.outliers.maxEjected = 1; $0.outliers.ejectionSeconds = 1000 }
        c.servers[1].ejectedUntil = Self.t(5000)
        c.servers[1].phase = .spare
        _ = c.reconcile(["s1", "s3", "s4", "s5", "s2"].map {
            ServerObservation(backend: "app", server: $0, admin: ["s1", "s3", "s4"].contains($0) ? .ready : .maint,
                              operational: ["s1", "s3", "s4"].contains($0) ? .up : .down, weight: 1)
        }, at: .zero, reportDrift: false)
        events = []
        for k in 0..<60 { events += Self.round(&c, ["s1": 50, "s3": 2000, "s4": 50], at: Double(k)) }
        #expect(Self.outliers(events).map(\.kind).contains(.kept(.maxEjected(1))))
        #expect(!BackendAutoscalerTests.decisions(events).contains { $0.servers.contains(Self.n("s3")) && $0.direction == .down })
    }

    @Test func aFailingServerIsAnOutlierWhileItsPeersAreFine() throws {
        var e = Self.pool()
        var events: [EngineEvent] = []
        for k in 0..<40 { events += Self.round(&e, ["s1": 50, "s2": 3, "s3": 50], status: ["s2": 500], at: Double(k)) }
        let d = try #require(Self.outliers(events).first { $0.kind == .detected })
        #expect(d.server == Self.n("s2"))
        #expect(d.reading?.rule == .failing(errorRate: 1))
    }

    @Test func afterAReloadReordersTheServersTheOutliersOwnSamplesAreTheOnesTakenOut() throws {
        var e = Self.pool()
        var reordered = BackendAutoscalerTests.backend(spares: 4) { $0.windowRequests = 20; $0.outliers.minRequests = 5; $0.scaleUpBreaches = 3 }
        reordered.servers.reverse()
        var change = InventoryChange()
        e.apply(reordered, at: Self.t(0.5), into: &change)
        var detected = false
        for k in 1..<20 where !detected {
            detected = Self.outliers(Self.round(&e, ["s1": 50, "s2": 2000, "s3": 50], at: Double(k))).contains { $0.kind == .detected }
        }
        #expect(detected)
        #expect(e.lastMetric == 50, "only s2's samples left the backend's window, not a peer's")
    }

    @Test func aFailedOutlierDrainIsNotRetriedAtOnce() throws {
        var e = Self.pool { $0.maxActive = 3 }  // no room for a spare: the drain goes alone
        var k = 0.0
        var eject: ScaleDecision?
        while eject == nil, k < 60 {
            k += 1
            eject = BackendAutoscalerTests.decisions(Self.round(&e, ["s1": 50, "s2": 600, "s3": 50], at: k)).first
        }
        let d = try #require(eject)
        #expect(d.direction == .down && d.servers == [Self.n("s2")])
        e.finished(d, failures: [Self.n("s2")], at: Self.t(k))
        for s in 1...20 {
            #expect(BackendAutoscalerTests.decisions(Self.round(&e, ["s1": 50, "s2": 600, "s3": 50], at: k + Double(s))).isEmpty,
                    "not retried within 30 s (at +\(s) s)")
        }
    }

    @Test func aSuspectThatGoesDownDoesNotHoldScaleUpsBack() throws {
        var e = Self.pool()
        _ = Self.round(&e, ["s1": 50, "s2": 2000, "s3": 50], at: 1)
        for k in 2...5 { _ = Self.round(&e, ["s1": 50, "s2": 2000, "s3": 50], at: Double(k)) }
        #expect(e.servers[1].outlierStreak > 0, "s2 is being judged")
        _ = e.reconcile([ServerObservation(backend: "app", server: "s2", admin: .maint, operational: .down, weight: 1)], at: Self.t(6))
        var d: [ScaleDecision] = []
        for k in 7..<40 { d += BackendAutoscalerTests.decisions(Self.round(&e, ["s1": 900, "s3": 900], at: Double(k))) }
        #expect(d.contains { if case .aboveThreshold = $0.cause { true } else { false } }, "a slow pool still scales up: \(d.map(\.cause))")
    }
}
