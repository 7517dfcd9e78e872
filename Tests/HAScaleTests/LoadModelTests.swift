@testable import HAScale
import Testing

/// The load model on samples whose truth is known.
@Suite("Load model: latency against concurrency")
struct LoadModelTests {
    static func t(_ s: Double) -> Duration { .milliseconds(Int64(s * 1000)) }

    /// `value = a + b × conns` with a little deterministic noise, spread over 20 s.
    static func model(a: Double, b: Double, levels: ClosedRange<Int32>, perLevel: Int = 20) -> LoadModel {
        var m = LoadModel()
        var k = 0
        for _ in 0..<perLevel {
            for c in levels {
                let noise = Double((k * 7919) % 11) - 5
                m.add(conns: c, value: Int32((a + b * Double(c) + noise).rounded()), at: t(Double(k) * 0.01))
                k += 1
            }
        }
        return m
    }

    @Test func theFitRecoversTheLine() throws {
        var m = Self.model(a: 20, b: 30, levels: 1...8)
        let f = try m.fit(at: Self.t(20)).get()
        #expect(abs(f.interceptMs - 20) < 2 && abs(f.slopeMs - 30) < 1, "\(f)")
        #expect(f.r2 > 0.99 && f.levels == 8 && f.samples == 160)
        #expect(f.selfCounted, "no request logged srv_conn 0: HAProxy counted each request itself")
        var zeros = Self.model(a: 20, b: 30, levels: 0...8)
        #expect(try zeros.fit(at: Self.t(20)).get().selfCounted == false)
    }

    @Test func itIsNotTrustedWithoutEvidence() {
        var two = Self.model(a: 20, b: 30, levels: 3...4)
        #expect(two.fit(at: Self.t(20)) == .failure(.fewLevels(2)))
        var falling = Self.model(a: 400, b: -30, levels: 1...8)
        guard case .failure(.slopeNotPositive) = falling.fit(at: Self.t(20)) else {
            Issue.record("a falling line must not be trusted")
            return
        }
        // Latency that has nothing to do with concurrency: a scatter.
        var scatter = LoadModel()
        for k in 0..<400 {
            let c = Int32(k % 8 + 1)
            scatter.add(conns: c, value: Int32((k * 7_654_321) % 997), at: Self.t(Double(k) * 0.01))
        }
        switch scatter.fit(at: Self.t(20)) {
        case .failure(.poorFit(let r2)): #expect(r2 < LoadModel.minimumR2)
        case .failure(.slopeNotPositive): break
        case let other: Issue.record("a scatter must not be trusted: \(other)")
        }
    }

    @Test func samplesTakenInSaturationDoNotTeach() {
        var m = Self.model(a: 20, b: 30, levels: 1...2)
        for k in 0..<200 { m.add(conns: 30, value: 300, learn: false, at: Self.t(20 + Double(k) * 0.01)) }
        #expect(m.fit(at: Self.t(23)) == .failure(.fewLevels(2)))
    }

    @Test func arrivalsCountTheGrowingBacklog() throws {
        var m = LoadModel()
        // 2 s at 50 completions/s while the connections in flight grow by 30 per second.
        for k in 0..<100 {
            let at = Double(k) * 0.02
            m.add(conns: 5, beconn: Int32(10 + 30 * at), value: 100, at: Self.t(at))
        }
        let load = try #require(m.load(at: Self.t(2.05)))
        #expect(abs(load.completions - 50) < 3, "\(load)")
        #expect(abs(load.arrivals - 80) < 6, "\(load)")
        #expect(load.backlogGrowing)
        #expect(load.perServer == 5)
    }

    @Test func predictionsFollowLittlesLaw() {
        // A processor-sharing server of 40 ms: T = 40 / (1 − ρ), with srv_conn counting the request.
        let f = LoadModel.Fit(interceptMs: 0, slopeMs: 40, r2: 1, levels: 8, samples: 1000, selfCounted: true)
        let load = LoadModel.Load(perServer: 5, completions: 100, arrivals: 100)
        // 100 req/s over 5 servers: ρ = 0.8, T = 200 ms; over 10: ρ = 0.4, 66.7 ms.
        #expect(abs(f.predict(servers: 10, active: 5, load: LoadModel.Load(perServer: 1.5, completions: 100, arrivals: 100)) - 40 / 0.6) < 0.5)
        #expect(f.predict(servers: 4, active: 5, load: load) == .infinity, "ρ = 1: no pool of 4 serves it")
        // A fixed number of clients: 20 connections over 2 servers are 10 each, 400 ms.
        let closed = LoadModel.Load(perServer: 11, completions: 10, arrivals: 10)
        #expect(f.predict(servers: 2, active: 2, load: closed) == 440)
        // Saturated: 2 servers complete 50/s while 125/s arrive; the measured capacity sizes the pool.
        let crowd = LoadModel.Load(perServer: 30, completions: 50, arrivals: 125)
        #expect(crowd.backlogGrowing)
        #expect(f.predict(servers: 5, active: 2, load: crowd) == .infinity)
        #expect(abs(f.predict(servers: 10, active: 2, load: crowd) - 40 / 0.5) < 0.01)
    }

    @Test func sizingPicksTheSmallestPoolUnderTheTarget() throws {
        var m = Self.model(a: 0, b: 40, levels: 1...8)
        for k in 0..<60 { m.add(conns: 3, beconn: 9, value: 120, at: Self.t(30 + Double(k) * 0.02)) }
        let s = try m.size(targetMs: 160, active: 3, floor: 4, ceiling: 12, tail: 1, at: Self.t(31.25)).get()
        // 50 req/s × 40 ms = 2 servers' worth; under 160 ms needs ρ ≤ 0.75 → 2.67 → 3, but the
        // same 6 connections in flight spread over 4 is 1.5 + 1 each → 100 ms: the floor, 4, holds.
        #expect(s.servers == 4, "\(s)")
        #expect(s.predictedMs <= 160)
        let unreachable = m.size(targetMs: 30, active: 3, floor: 4, ceiling: 12, tail: 1, at: Self.t(31.25))
        guard case .failure(.unreachable) = unreachable else {
            Issue.record("a target below an idle server's latency cannot be reached: \(unreachable)")
            return
        }
    }
}
