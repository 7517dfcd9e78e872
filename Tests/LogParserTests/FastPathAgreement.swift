import HAScaleTestKit

@testable import LogParser

/// Holds a fast path to the careful scan: seed lines mutated many times over,
/// each scanned both ways.
enum FastPathAgreement {
    static func both(_ bytes: [UInt8]) -> (fast: LogParseResult, careful: LogParseResult) {
        bytes.withUnsafeBytes { (LogLineScanner.scan($0), LogLineScanner.scan($0, carefully: true)) }
    }

    /// Up to five lines on which the two scans disagree, and how many records
    /// the fast path under test (`takesFastPath`) produced itself.
    static func mutate(
        _ seeds: [String], runs: Int, seed: UInt64, alphabet: String, takesFastPath: ([UInt8]) -> Bool
    ) -> (disagreements: [String], fastRecords: Int) {
        var rng = SeededGenerator(seed: seed)
        var fastRecords = 0
        var disagreements: [String] = []
        let alphabet = Array(alphabet.utf8)
        for _ in 0..<runs {
            var bytes = Array(seeds.randomElement(using: &rng)!.utf8)
            LineMutator.mutate(&bytes, maxEdits: 3, alphabet: alphabet, using: &rng)
            let (fast, careful) = both(bytes)
            if fast != careful, disagreements.count < 5 {
                disagreements.append(String(decoding: bytes, as: UTF8.self))
            }
            if case .record = fast, takesFastPath(bytes) { fastRecords += 1 }
        }
        return (disagreements, fastRecords)
    }
}
