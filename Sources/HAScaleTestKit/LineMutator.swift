/// Small random edits to a good log line: the inputs that find scanner bugs,
/// because they stay close enough to the grammar to reach deep into it.
public enum LineMutator {
    /// Applies one to `maxEdits` edits: a byte replaced (from `alphabet` or any
    /// value), the tail cut off, a byte removed or inserted, a short run doubled.
    public static func mutate(
        _ bytes: inout [UInt8], maxEdits: Int, alphabet: [UInt8], using rng: inout SeededGenerator
    ) {
        for _ in 0..<Int.random(in: 1...maxEdits, using: &rng) {
            guard !bytes.isEmpty else { return }
            let i = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: bytes[i] = alphabet.randomElement(using: &rng)!
            case 1: bytes[i] = UInt8.random(in: 0...255, using: &rng)
            case 2: bytes.removeSubrange(i...)
            case 3: bytes.remove(at: i)
            case 4: bytes.insert(alphabet.randomElement(using: &rng)!, at: i)
            default: bytes.insert(contentsOf: bytes[i..<min(bytes.count, i + 8)], at: i)
            }
        }
    }
}
