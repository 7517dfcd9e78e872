import HAProxyNames
import HAScale
@testable import HAScaleSimulation
import Testing

/// The simulator's servers against queueing theory: with a static pool, Poisson
/// arrivals, exponential service and random balance, each server is an M/M/1
/// processor-sharing queue, whose mean response time is s / (1 − ρ).
@Suite("simulated servers follow queueing theory")
struct QueueFidelityTests {
    static func staticPool(_ n: Int) -> Inventory.Backend {
        var p = Inventory.Policy()
        p.minActive = n
        p.maxActive = n
        p.scaleUpThresholdMs = 10_000
        return Inventory.Backend(name: try! ProxyName("app"), policy: p,
                                 servers: (1...n).map { Inventory.Server(name: try! ProxyName("s\($0)"), active: true) })
    }

    @Test(arguments: [0.5, 0.8])
    func meanResponseIsTheMM1Formula(rho: Double) throws {
        var server = ServerModel()
        server.balance = .random
        server.serviceMs = 40
        let perServer = rho / 0.040
        let traffic = try Traffic(rows: [.init(second: 0, rate: 4 * perServer), .init(second: 8_000, rate: 0)])
        let r = Simulation.run(SimulationSetup(backend: Self.staticPool(4), traffic: traffic, server: server), policy: .hascale)
        let expected = 40 / (1 - rho)
        #expect(abs(r.meanMs - expected) / expected < 0.05, "mean \(r.meanMs) ms, M/M/1-PS says \(expected) ms")
        #expect(abs(Double(r.requests) - 4 * perServer * 8_000) / (4 * perServer * 8_000) < 0.02, "\(r.requests) requests")
        #expect(server.expectedResponseMs(rate: perServer) == expected)
        #expect(r.scaleUps == 0 && r.scaleDowns == 0)
    }

    @Test func processorSharingSplitsTheCore() {
        var s = ProcessorSharingServer(cores: 1)
        s.arrive(at: 0, needing: 1)
        s.arrive(at: 0, needing: 1)
        #expect(abs(s.nextDeparture - 2) < 1e-9, "two equal requests on one core both take twice as long")
        _ = s.depart(at: s.nextDeparture)
        #expect(abs(s.nextDeparture - 2) < 1e-9)
        var two = ProcessorSharingServer(cores: 2)
        two.arrive(at: 0, needing: 1)
        two.arrive(at: 0.5, needing: 1)
        #expect(abs(two.nextDeparture - 1) < 1e-9, "two cores serve two requests at full speed")
    }

    @Test func erlangCWithMoreCores() {
        var m = ServerModel()
        m.cores = 2
        m.serviceMs = 100
        // M/M/2 at λ = 10/s, μ = 10/s: a = 1, C = 1/3, W = C/(cμ − λ) + 1/μ = 1/30 + 0.1 s.
        #expect(abs(m.expectedResponseMs(rate: 10) - (1000.0 / 30 + 100)) < 1e-6)
        // 100 req/s of 100 ms over n two-core servers, by hand: n = 7 gives a = 1.43,
        // C = 0.595, W = 0.104 s + 0.1 s = 204 ms, over; n = 8 gives a = 1.25, 164 ms.
        #expect(m.fewestServers(rate: 100, sloMs: 200) == 8)
    }

    @Test func percentilesWithinTheirBin() {
        var r = LatencyRecorder()
        for v in 1...1000 { r.add(Double(v)) }
        let p95 = r.percentile(95)!
        #expect(abs(p95 - 950) / 950 < 0.04, "p95 \(p95)")
        #expect(r.mean == 500.5)
    }

    @Test func trafficFilesAreCheckedLineByLine() throws {
        let t = try Traffic(csv: "seconds,rate\n0,10\n# a flash crowd\n60, 100\n120,0\n")
        #expect(t.rows.count == 3 && t.duration == 120)
        #expect(t.rate(inSecond: 59) == 10 && t.rate(inSecond: 60) == 100)
        #expect(throws: Traffic.Invalid(line: 3, message: "seconds must rise from row to row (5.0 after 10.0)")) {
            try Traffic(csv: "0,1\n10,2\n5,3\n")
        }
        #expect(throws: Traffic.Invalid.self) { try Traffic(csv: "0,1\n10,fast\n") }
        #expect(throws: Traffic.Invalid.self) { try Traffic(csv: "0,1\n") }
    }
}
