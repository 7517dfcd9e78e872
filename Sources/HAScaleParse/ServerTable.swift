#if canImport(Glibc)
import Glibc
#endif

/// Interns `backend/server` names straight from log bytes.
///
/// The key is the pair as an httplog line writes it, `backend/server`: one
/// run of bytes (a backend name never holds a `/`, so the first one splits
/// it). Pairs of up to 16 bytes, nearly all of them, are hashed and compared
/// as two words and a length; longer ones also compare the rest against one
/// byte arena. A `String` is made only the first time a pair is seen, and
/// everything is kept in flat arrays of plain values, so the per-line path
/// does no reference counting.
public struct ServerTable<Value> {
    public private(set) var backends: [String] = []
    public private(set) var servers: [String] = []
    public private(set) var values: [Value] = []
    @usableFromInline var keys: [Key] = []
    @usableFromInline var arena: [UInt8] = []
    @usableFromInline var slots: [Int32]  // index into the arrays above, -1 = empty
    /// `64 - log2(slots.count)`: a slot is the hash's top bits, the best mixed
    /// by the multiplications (the low bits of a product see only low input bits).
    @usableFromInline var slotShift: UInt64
    let defaultValue: Value

    /// A pair's first 16 bytes (zero-filled past its end), its length, its hash
    /// and where its bytes start in the arena.
    @usableFromInline struct Key {
        var word0: UInt64
        var word1: UInt64
        var length: Int
        var hash: UInt64
        var arenaStart: Int
    }

    public init(defaultValue: Value) {
        self.defaultValue = defaultValue
        slots = Array(repeating: -1, count: 64)
        slotShift = 58
    }

    public var count: Int { values.count }

    /// The first 16 bytes of `pair`, zero-filled past its end. Two 8-byte
    /// loads that stay inside the page of the pair's first byte cannot fault;
    /// near a page's end the bytes are copied one by one instead.
    @inline(__always)
    static func words(_ pair: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        guard let p = pair.baseAddress else { return (0, 0) }
        let n = pair.count
        if n >= 16 || UInt(bitPattern: p) & 4095 <= 4080 {
            let w0 = p.loadUnaligned(as: UInt64.self)
            let w1 = (p + 8).loadUnaligned(as: UInt64.self)
            if n >= 16 { return (w0, w1) }
            let bits = UInt64(truncatingIfNeeded: n &* 8)
            let keep0: UInt64 = n >= 8 ? ~0 : (1 &<< bits) &- 1
            let keep1: UInt64 = n <= 8 ? 0 : (1 &<< (bits &- 64)) &- 1
            return (w0 & keep0, w1 & keep1)
        }
        var w: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &w) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: pair[..<n])) }
        return w
    }

    @inline(__always)
    static func hash(_ word0: UInt64, _ word1: UInt64, _ pair: UnsafeRawBufferPointer) -> UInt64 {
        var h = (word0 ^ UInt64(truncatingIfNeeded: pair.count)) &* 0xFF51_AFD7_ED55_8CCD
        h = (h ^ (h &>> 29) ^ word1) &* 0xC4CE_B9FE_1A85_EC53
        if pair.count > 16 { h = mixTail(h, pair) }
        // A last multiply spreads the difference between names that differ in
        // one late byte (`web-301`, `web-302`) over the top bits the slot is
        // taken from; without it such names crowd into neighbouring slots.
        h = (h ^ (h &>> 32)) &* 0xFF51_AFD7_ED55_8CCD
        return h ^ (h &>> 29)
    }

    static func mixTail(_ seed: UInt64, _ pair: UnsafeRawBufferPointer) -> UInt64 {
        var h = seed
        var i = 16
        while i < pair.count {
            var w: UInt64 = 0
            let n = min(8, pair.count &- i)
            withUnsafeMutableBytes(of: &w) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: pair[i..<(i &+ n)])) }
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h &>> 29
            i &+= 8
        }
        return h
    }

    @inline(__always)
    func firstSlot(_ h: UInt64) -> Int { Int(truncatingIfNeeded: h &>> slotShift) }

    /// The index of the entry for `pair` (`backend/server`, the `/` at offset
    /// `slash`), created on first sight.
    @inline(__always)
    public mutating func index(pair: UnsafeRawBufferPointer, slash: Int) -> Int {
        let (w0, w1) = Self.words(pair)
        let h = Self.hash(w0, w1, pair)
        var slot = firstSlot(h)
        while true {
            let e = Int(slots[slot])
            if e < 0 { break }
            let k = keys[e]
            if k.hash == h, k.word0 == w0, k.word1 == w1, k.length == pair.count {
                if pair.count <= 16 { return e }
                let same = arena.withUnsafeBytes { stored in
                    memcmp(stored.baseAddress! + k.arenaStart, pair.baseAddress!, pair.count) == 0
                }
                if same { return e }
            }
            slot = (slot &+ 1) & (slots.count &- 1)
        }
        return insert(pair: pair, slash: slash, word0: w0, word1: w1, hash: h, slot: slot)
    }

    /// The same for names held apart (CLF quotes them one by one; a merge reads
    /// them from strings). The pair is built in temporary storage, on the stack
    /// for names of ordinary length, so a CLF line costs no allocation either.
    public mutating func index(backend: UnsafeRawBufferPointer, server: UnsafeRawBufferPointer) -> Int {
        let count = backend.count + 1 + server.count
        return withUnsafeTemporaryAllocation(byteCount: count, alignment: 8) { pair in
            pair.copyMemory(from: backend)
            pair[backend.count] = UInt8(ascii: "/")
            UnsafeMutableRawBufferPointer(rebasing: pair[(backend.count + 1)...]).copyMemory(from: server)
            return index(pair: UnsafeRawBufferPointer(pair), slash: backend.count)
        }
    }

    mutating func insert(
        pair: UnsafeRawBufferPointer, slash: Int, word0: UInt64, word1: UInt64, hash h: UInt64, slot: Int
    ) -> Int {
        keys.append(Key(word0: word0, word1: word1, length: pair.count, hash: h, arenaStart: arena.count))
        arena.append(contentsOf: pair)
        backends.append(String(decoding: pair[..<slash], as: UTF8.self))
        servers.append(String(decoding: pair[(slash + 1)...], as: UTF8.self))
        values.append(defaultValue)
        slots[slot] = Int32(values.count - 1)
        if values.count * 2 > slots.count { grow() }
        return values.count - 1
    }

    /// Changes one value in place.
    @inline(__always)
    public mutating func modify(_ index: Int, _ body: (inout Value) -> Void) {
        values.withUnsafeMutableBufferPointer { body(&$0[index]) }
    }

    public subscript(index: Int) -> Value {
        get { values[index] }
        _modify { yield &values[index] }
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        slotShift -= 1
        for (i, k) in keys.enumerated() {
            var slot = firstSlot(k.hash)
            while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(i)
        }
    }
}
