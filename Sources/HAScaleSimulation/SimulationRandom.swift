import Glibc

/// SplitMix64 with the draws the simulator needs: the same seed gives the same
/// arrivals and service times on every machine, so two policies compared on
/// one seed see the very same traffic.
public struct SimulationRandom: RandomNumberGenerator, Sendable {
    var state: UInt64

    public init(seed: UInt64) { state = seed &* 0x2545_F491_4F6C_DD1D ^ 0x9E37_79B9_7F4A_7C15 }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1]: never 0, so its logarithm is finite.
    @inline(__always)
    mutating func unit() -> Double { Double((next() >> 11) + 1) * 0x1p-53 }

    /// Exponential with the given mean.
    @inline(__always)
    mutating func exponential(mean: Double) -> Double { -mean * log(unit()) }

    /// Standard normal (Box–Muller, one of the pair).
    mutating func normal() -> Double {
        let u = unit(), v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    mutating func index(_ count: Int) -> Int { Int(next() % UInt64(count)) }
}

