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

    @Test(arguments: ["diurnal", "flash-crowd", "slow-ramp", "upstream-outage", "noisy-plateau"])
    func hascaleSpendsLessThanTheScriptWithoutFlapping(shape: String) throws {
        let setup = SimulationSetup(backend: Self.backend(), traffic: try Self.load(shape))
        let mine = Simulation.run(setup, policy: .hascale)
        let seed = Simulation.run(setup, policy: .seed)
        // The same arrivals for both: only the requests still in flight at the end differ.
        #expect(abs(Int(mine.requests) - Int(seed.requests)) <= 20, "\(mine.requests) / \(seed.requests)")
        #expect(mine.flaps == 0, "\(shape): \(mine.json)")
        #expect(mine.serverSeconds < seed.serverSeconds, "\(shape): hascale \(mine.json) / seed \(seed.json)")
        #expect(mine.costRatio <= 1.6, "\(shape): \(mine.json)")
        // Seconds over the SLO: under 1 % of the shape's time.
        #expect(Double(mine.sloViolationSeconds) <= 0.01 * setup.traffic.duration, "\(shape): \(mine.json)")
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
