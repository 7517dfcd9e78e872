#if canImport(Glibc)
import Glibc
#endif
import HAProxyNames
import HAScale
import HAScaleSimulation
import Testing

/// The committed traffic shapes, each run with hascale's defaults and with the
/// original script's rules on the same arrivals: what the README's table shows.
@Suite("traffic shapes: hascale's defaults against the original script")
struct TrafficShapeTests {
    static let root = String(#filePath.split(separator: "/").dropLast(3).joined(separator: "/")).withLeadingSlash

    static func load(_ name: String) throws -> Traffic {
        try Traffic(csv: try readText("\(root)/examples/traffic/\(name).csv"))
    }

    /// examples/traffic/servers.json: twelve servers, s1 always up, a 200 ms threshold, every other setting the default.
    static func backend(_ configure: (inout Inventory.Policy) -> Void = { _ in }) -> Inventory.Backend {
        let path = "\(root)/examples/traffic/servers.json"
        var b = try! InventoryLoader.parse(try! readText(path), file: path).backends[0]
        configure(&b.policy)
        return b
    }

    /// What the defaults meet on each shape at the default seed, against issue #14's goals: (1) fewer
    /// seconds over the SLO than the script (none where it has none), (2) at most 1.3× the hindsight
    /// pool, (3) no flap. (3) holds on all; `beatsScript` says whether (1) does, and the cost bound is
    /// 1.3 where (2) holds; where one does not, the bound is what the defaults do, to catch a
    /// regression (the README says why not).
    struct Goals: Sendable, CustomTestStringConvertible {
        var shape: String
        var beatsScript: Bool
        /// Seconds over the SLO at most this many more than the script's, where it does not beat it.
        var extraSeconds = 0
        var maxCostRatio: Double
        var testDescription: String { shape }
    }

    static let goals: [Goals] = [
        Goals(shape: "diurnal", beatsScript: true, maxCostRatio: 1.6),
        Goals(shape: "flash-crowd", beatsScript: true, maxCostRatio: 1.5),
        Goals(shape: "slow-ramp", beatsScript: true, maxCostRatio: 1.3),
        Goals(shape: "upstream-outage", beatsScript: false, extraSeconds: 1, maxCostRatio: 1.45),
        Goals(shape: "noisy-plateau", beatsScript: false, maxCostRatio: 1.5),
    ]

    @Test(arguments: goals)
    func theDefaultsAgainstTheScript(goals: Goals) throws {
        let shape = goals.shape
        let setup = SimulationSetup(backend: Self.backend(), traffic: try Self.load(shape))
        let mine = Simulation.run(setup, policy: .hascale)
        let seed = Simulation.run(setup, policy: .seed)
        // The same arrivals for both: only the requests still in flight at the end differ.
        #expect(abs(Int(mine.requests) - Int(seed.requests)) <= 20, "\(mine.requests) / \(seed.requests)")
        let (m, s) = (mine.sloViolationSeconds, seed.sloViolationSeconds)
        if goals.beatsScript {
            #expect(m < s || m == 0 && s == 0, "\(shape): hascale \(mine.json) / seed \(seed.json)")
        } else {
            #expect(m <= s + goals.extraSeconds, "\(shape): hascale \(mine.json) / seed \(seed.json)")
        }
        #expect(mine.costRatio <= goals.maxCostRatio, "\(shape): \(mine.json)")
        #expect(mine.flaps == 0, "\(shape): \(mine.json)")
        #expect(mine.serverSeconds < seed.serverSeconds, "\(shape): hascale \(mine.json) / seed \(seed.json)")
    }

    @Test func aFlashCrowdIsSizedInOneDecision() throws {
        let setup = SimulationSetup(backend: Self.backend(), traffic: try Self.load("flash-crowd"))
        let r = Simulation.run(setup, policy: .hascale)
        // The crowd arrives at 900 s: 120 req/s for servers of 40 ms needs 6 or more.
        let first = try #require(r.decisions.first { $0.second >= 900 && $0.decision.direction == .up })
        #expect(first.second < 903, "decided within three seconds of the crowd: \(first.second)")
        #expect(first.decision.servers.count >= 4, "\(first.decision.servers)")
        guard case .aboveThreshold(_, _, .sized(let s)) = first.decision.cause else {
            Issue.record("the model sized it: \(first.decision.cause)")
            return
        }
        #expect(s.servers == first.decision.activeBefore + first.decision.servers.count)
        // One step at a time, on the same arrivals, leaves users waiting much longer.
        let stepwise = Simulation.run(SimulationSetup(backend: Self.backend { $0.sizing = .step }, traffic: setup.traffic), policy: .hascale)
        #expect(stepwise.sloViolationSeconds > 2 * r.sloViolationSeconds, "model \(r.json) / step \(stepwise.json)")
    }

    @Test func theSameSeedGivesTheSameRun() throws {
        let setup = SimulationSetup(backend: Self.backend(), traffic: try Self.load("slow-ramp"))
        #expect(Simulation.run(setup, policy: .hascale) == Simulation.run(setup, policy: .hascale))
    }
}

extension String {
    var withLeadingSlash: String { hasPrefix("/") ? self : "/" + self }
}

/// The core links no Foundation, so neither does this target: the file is read with libc.
func readText(_ path: String) throws -> String {
    guard let f = fopen(path, "r") else { throw ReadError(path: path) }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n == 0 { break }
        bytes += buffer[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}

struct ReadError: Error { var path: String }
