import Glibc

/// How a simulated app server answers: processor sharing over `cores`, each
/// request needing a service time drawn from `distribution` with mean `serviceMs`
/// (at one request in flight); what HAProxy balances with `balance`.
public struct ServerModel: Sendable, Equatable {
    public enum Distribution: Sendable, Equatable {
        case exponential
        case constant
        /// Log-normal with this σ of the logarithm, scaled to the same mean.
        case lognormal(sigma: Double)

        /// `exp`, `const`, `lognormal:SIGMA`.
        public init?(_ text: String) {
            switch text {
            case "exp": self = .exponential
            case "const": self = .constant
            default:
                guard text.hasPrefix("lognormal:"), let s = Double(text.dropFirst(10)), s > 0, s < 5 else { return nil }
                self = .lognormal(sigma: s)
            }
        }
    }

    public enum Balance: String, Sendable, CaseIterable {
        case roundrobin, leastconn, random
    }

    public var serviceMs: Double = 40
    public var distribution: Distribution = .exponential
    public var cores = 1
    /// From a scale-up decision to the server taking traffic (the warm-up).
    public var warmupSeconds = 2.0
    public var balance: Balance = .roundrobin

    public init() {}

    /// One request's work, in seconds.
    @inline(__always)
    func draw(_ random: inout SimulationRandom) -> Double {
        let mean = serviceMs / 1000
        switch distribution {
        case .exponential: return random.exponential(mean: mean)
        case .constant: return mean
        case .lognormal(let sigma): return mean * exp(sigma * random.normal() - sigma * sigma / 2)
        }
    }

    /// The mean response time (ms) of one server at `rate` requests per second,
    /// by queueing theory: M/G/1 processor sharing is `s / (1 − ρ)` whatever the
    /// distribution; with more cores, M/M/c's (Erlang C). Infinity at ρ ≥ 1.
    public func expectedResponseMs(rate: Double) -> Double {
        let s = serviceMs / 1000
        let c = Double(cores)
        let load = rate * s
        guard load < c else { return .infinity }
        if cores == 1 { return serviceMs / (1 - load) }
        // Erlang C: the chance an arrival finds all cores busy.
        var term = 1.0, sum = 1.0
        for k in 1..<cores {
            term *= load / Double(k)
            sum += term
        }
        let top = term * load / c / (1 - load / c)
        let wait = top / (sum + top)
        return (wait * s / (c - load) + s) * 1000
    }

    /// The fewest servers (at least 1) whose expected mean response at `rate`
    /// requests per second, split evenly, is under `sloMs`: the hindsight pool.
    public func fewestServers(rate: Double, sloMs: Double, limit: Int = 10_000) -> Int {
        var n = 1
        while n < limit, !(expectedResponseMs(rate: rate / Double(n)) < sloMs) { n += 1 }
        return n
    }
}
