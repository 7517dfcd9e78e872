import ArgumentParser
import Foundation
import HAScale
import HAScaleParse
import HAScaleRuntime
import HAScaleSimulation
import LogParser
import SystemPackage

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Try a policy before production: hascale's engine against simulated servers, in virtual time.",
        discussion: """
            Runs the daemon's own engine (not a copy) in a closed loop against one simulated \
            backend: Poisson arrivals at the traffic's rate (seeded), each server a processor-sharing \
            queue, warm-ups and drains taking the time they take. Prints how often the mean \
            response time of a second went over the SLO, what the pool cost in server-seconds, and \
            the hindsight pool's cost (per second, the fewest servers queueing theory says keep that \
            second's mean under the SLO).

            Traffic is a CSV of `seconds,rate` rows (requests per second from that second on; the \
            last row's second ends the run), or the per-second arrivals of the backend in a real log \
            (--traffic-from). --compare seed runs the original script's rules on the same arrivals.
            """
    )

    @Option(name: .long, help: "The server inventory (JSON).")
    var config: String = ConfigOptions.defaultConfigPath
    @Option(name: .long, help: "The backend to simulate (needed when the inventory has several).")
    var backend: String?
    @Option(name: .long, help: "A CSV of `seconds,rate` rows.")
    var traffic: String?
    @Option(name: .customLong("traffic-from"), help: "A HAProxy log: the backend's arrivals per second (by accept date).")
    var trafficFrom: String?
    @Option(name: .long, help: "Seed of the arrivals and service times.")
    var seed: UInt64 = 1
    @Option(name: .customLong("service-ms"), help: "Mean service time of one request alone on a server, in ms.")
    var serviceMs: Double = 40
    @Option(name: .customLong("service-dist"), help: "exp, const or lognormal:SIGMA.")
    var serviceDist: String = "exp"
    @Option(name: .long, help: "Cores per server (processor sharing over them).")
    var cores: Int = 1
    @Option(name: .customLong("warmup-seconds"), help: "From a scale-up decision to the server taking traffic.")
    var warmupSeconds: Double = 2
    @Option(name: .long, help: "roundrobin, leastconn or random.")
    var balance: String = "roundrobin"
    @Option(name: .long, help: "hascale or seed (the original script's rules).")
    var policy: String = "hascale"
    @Option(name: .long, help: "Also run this policy on the same arrivals (seed).")
    var compare: String?
    @Option(name: .customLong("slo-ms"), help: "What each second's mean is judged against (default: scale_up.threshold_ms).")
    var sloMs: Double?
    @Flag(name: .long, help: "One JSON object per policy.")
    var json = false
    @Option(name: .long, help: "Write a per-second CSV: second, policy, rate, serving, mean_ms, p95_ms.")
    var timeline: String?
    @Option(name: .long, help: "Write an SVG of the pool and latency over time, one panel per policy.")
    var plot: String?
    @Flag(name: .long, help: "Print hascale's decisions with their virtual times and reasons.")
    var decisions = false

    func validate() throws {
        guard (traffic == nil) != (trafficFrom == nil) else { throw ValidationError("Give one of --traffic FILE and --traffic-from LOG.") }
        guard serviceMs > 0, serviceMs.isFinite else { throw ValidationError("--service-ms must be a number above 0.") }
        if let sloMs { guard sloMs.isFinite, sloMs > serviceMs else { throw ValidationError("--slo-ms must be above --service-ms: no pool answers faster than a server alone.") } }
        guard cores >= 1, cores <= 256 else { throw ValidationError("--cores must be 1 to 256.") }
        guard warmupSeconds >= 0 else { throw ValidationError("--warmup-seconds must be at least 0.") }
        guard ServerModel.Distribution(serviceDist) != nil else { throw ValidationError("--service-dist must be exp, const or lognormal:SIGMA (0 < SIGMA < 5).") }
        guard ServerModel.Balance(rawValue: balance) != nil else { throw ValidationError("--balance must be roundrobin, leastconn or random.") }
        for p in [policy] + (compare.map { [$0] } ?? []) where SimulatedPolicyKind(rawValue: p) == nil {
            throw ValidationError("\(p.debugDescription) is no policy: use hascale or seed.")
        }
    }

    func run() throws {
        let inventory = try ConfigOptions.loadOrExplain(config)
        let chosen: Inventory.Backend
        if let backend {
            guard let b = inventory.backend(named: backend) else {
                throw ValidationError("\(config) has no backend \(backend.debugDescription); it has \(inventory.backends.map(\.name.value).joined(separator: ", ")).")
            }
            chosen = b
        } else {
            guard inventory.backends.count == 1 else {
                throw ValidationError("\(config) has \(inventory.backends.count) backends; choose one with --backend.")
            }
            chosen = inventory.backends[0]
        }
        guard sloMs ?? chosen.policy.scaleUpThresholdMs > serviceMs else {
            throw ValidationError("the SLO (scale_up.threshold_ms \(chosen.policy.scaleUpThresholdMs), or --slo-ms) must be above --service-ms \(serviceMs): no pool answers faster than a server alone.")
        }
        let shape = try loadTraffic(backend: chosen.name.value)
        var server = ServerModel()
        server.serviceMs = serviceMs
        server.distribution = ServerModel.Distribution(serviceDist)!
        server.cores = cores
        server.warmupSeconds = warmupSeconds
        server.balance = ServerModel.Balance(rawValue: balance)!
        let setup = SimulationSetup(backend: chosen, traffic: shape, server: server, seed: seed, sloMs: sloMs,
                                    timeline: timeline != nil || plot != nil)
        let kinds = [policy] + (compare.map { [$0] } ?? [])
        let started = ContinuousClock.now
        let results = kinds.map { Simulation.run(setup, policy: SimulatedPolicyKind(rawValue: $0)!) }
        let elapsed = (ContinuousClock.now - started).seconds

        if json {
            for r in results { print(r.json) }
        } else {
            print(Self.table(results))
            let simulated = results.reduce(0) { $0 + $1.requests }
            StandardError.write("simulated \(Int(shape.duration)) s of \(chosen.name) (\(simulated) requests) in \(String(format: "%.2f", elapsed)) s: "
                + "\(Int(Double(simulated) / max(elapsed, 1e-9))) requests/s\n")
        }
        if decisions {
            for r in results {
                for d in r.decisions {
                    print(String(format: "%9.1f s  ", d.second) + EventProse.describe(d.decision))
                }
            }
        }
        if let timeline {
            var csv = "second,policy,rate,serving,mean_ms,p95_ms\n"
            for r in results {
                for row in r.timeline {
                    csv += "\(row.second),\(r.policy),\(row.rate),\(row.serving),\(row.meanMs.map { String(format: "%.1f", $0) } ?? ""),\(row.p95Ms.map { String(format: "%.1f", $0) } ?? "")\n"
                }
            }
            try write(csv, to: timeline)
        }
        if let plot {
            try write(SimulationPlot.svg(results, title: "\(chosen.name): \(traffic ?? trafficFrom ?? "")"), to: plot)
        }
    }

    static func table(_ results: [SimulationResult]) -> String {
        func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        var lines = ["policy     requests  mean ms  p95 ms  p99 ms  s over SLO  server-s  hindsight  ratio  ups  downs  flaps  max"]
        for r in results {
            lines.append(r.policy.padding(toLength: 8, withPad: " ", startingAt: 0)
                + pad("\(r.requests)", 11) + pad(String(format: "%.0f", r.meanMs), 9) + pad(String(format: "%.0f", r.p95Ms), 8)
                + pad(String(format: "%.0f", r.p99Ms), 8) + pad("\(r.sloViolationSeconds)", 12)
                + pad(String(format: "%.0f", r.serverSeconds), 10) + pad(String(format: "%.0f", r.oracleServerSeconds), 11)
                + pad(String(format: "%.2f", r.costRatio), 7) + pad("\(r.scaleUps)", 5) + pad("\(r.scaleDowns)", 7)
                + pad("\(r.flaps)", 7) + pad("\(r.maxActive)", 5))
        }
        lines.append("SLO \(Int(results.first?.sloMs ?? 0)) ms on each second's mean; hindsight: the fewest servers queueing theory allows, second by second")
        return lines.joined(separator: "\n")
    }

    func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw ValidationError("cannot write \(path): \(error.localizedDescription)")
        }
    }

    func loadTraffic(backend: String) throws -> Traffic {
        if let traffic {
            let text: String
            do { text = try String(contentsOfFile: traffic, encoding: .utf8) } catch {
                throw ValidationError("cannot read \(traffic): \(error.localizedDescription)")
            }
            do { return try Traffic(csv: text) } catch { throw ValidationError("\(traffic):\(error.line): \(error.message)") }
        }
        let path = trafficFrom!
        let file: MappedFile
        do { file = try MappedFile(path: FilePath(path)) } catch { throw ValidationError("\(error)") }
        let name = Array(backend.utf8)
        var counts: [Int64: Int] = [:]
        LineSplitter.forEachLine(in: file.bytes) { line in
            guard case .record(let r) = LogLineScanner.scan(line), r.backend.bytes(in: line).elementsEqual(name),
                  let ms = r.acceptMilliseconds(in: line) else { return }
            counts[ms / 1000, default: 0] += 1
        }
        guard let first = counts.keys.min(), let last = counts.keys.max() else {
            throw ValidationError("\(path) holds no request of backend \(backend) with an accept date")
        }
        var rows = (first...last).map { Traffic.Row(second: Double($0 - first), rate: Double(counts[$0] ?? 0)) }
        rows.append(Traffic.Row(second: Double(last - first + 1), rate: 0))
        do { return try Traffic(rows: rows) } catch { throw ValidationError("\(path): \(error.message)") }
    }
}
