#if canImport(Glibc)
import Glibc
#endif

/// Interns `backend/server` names straight from log bytes.
///
/// Looking a name up hashes the bytes in place and compares them with the
/// stored key (a word for short names, `memcmp` into one byte arena beyond);
/// a `String` is made only the
/// first time a server is seen. Everything is kept in flat arrays of plain
/// values so the per-line path does no reference counting.
public struct ServerTable<Value> {
    public private(set) var backends: [String] = []
    public private(set) var servers: [String] = []
    public private(set) var values: [Value] = []
    @usableFromInline var hashes: [UInt64] = []
    @usableFromInline var keyStarts: [Int] = []
    @usableFromInline var keys: [Key] = []
    @usableFromInline var arena: [UInt8] = []
    @usableFromInline var slots: [Int32]  // index into the arrays above, -1 = empty
    @usableFromInline var mask: Int
    /// `64 - log2(slots.count)`: a slot is the hash's top bits, the best mixed
    /// by the multiplications (the low bits of a product see only low input bits).
    @usableFromInline var slotShift: UInt64
    let defaultValue: Value

    /// What a lookup compares first: for names of up to eight bytes, all of it.
    @usableFromInline struct Key {
        var backendHead: UInt64
        var serverHead: UInt64
        var backendLength: Int
        var serverLength: Int
    }

    public init(defaultValue: Value) {
        self.defaultValue = defaultValue
        slots = Array(repeating: -1, count: 64)
        mask = 63
        slotShift = 58
    }

    public var count: Int { values.count }

    /// The first (up to) eight bytes of a name, zero-filled past its end. A
    /// name inside a larger buffer is read with one load: an 8-byte read that
    /// stays inside the page of its first byte cannot fault, and near a page's
    /// end the load is taken to end at the name's end instead.
    @inline(__always)
    static func head(_ part: UnsafeRawBufferPointer) -> UInt64 {
        guard let p = part.baseAddress else { return 0 }
        let n = part.count
        if n >= 8 { return p.loadUnaligned(as: UInt64.self) }
        if n == 0 { return 0 }
        let keep: UInt64 = (1 &<< UInt64(n &* 8)) &- 1
        if UInt(bitPattern: p) & 4095 <= 4088 { return p.loadUnaligned(as: UInt64.self) & keep }
        let last = (p + (n &- 8)).loadUnaligned(as: UInt64.self)
        return last &>> UInt64(64 &- n &* 8)
    }

    /// Heads and lengths, and for names longer than eight bytes their other
    /// words too, mixed by multiplication: a few cycles per line.
    @inline(__always)
    static func hash(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> UInt64 {
        let lengths = UInt64(truncatingIfNeeded: a.count &<< 16 | b.count)
        var h: UInt64 = (head(a) ^ lengths) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h &>> 29
        h = (h ^ head(b)) &* 0xC4CE_B9FE_1A85_EC53
        if a.count > 8 { h = mixTail(h, a) }
        if b.count > 8 { h = mixTail(h, b) }
        return h ^ (h &>> 32)
    }

    static func mixTail(_ seed: UInt64, _ part: UnsafeRawBufferPointer) -> UInt64 {
        var h = seed
        var i = 8
        while i < part.count {
            let n = min(8, part.count &- i)
            h = (h ^ head(UnsafeRawBufferPointer(rebasing: part[i..<(i &+ n)]))) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h &>> 29
            i &+= 8
        }
        return h
    }

    @inline(__always)
    func matches(_ e: Int, _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let k = keys[e]
        guard k.backendLength == a.count, k.serverLength == b.count, k.backendHead == Self.head(a), k.serverHead == Self.head(b) else {
            return false
        }
        if a.count <= 8 && b.count <= 8 { return true }
        let start = keyStarts[e]
        return arena.withUnsafeBytes { stored in
            memcmp(stored.baseAddress! + start, a.baseAddress!, a.count) == 0
                && memcmp(stored.baseAddress! + start + a.count, b.baseAddress!, b.count) == 0
        }
    }

    @inline(__always)
    func firstSlot(_ h: UInt64) -> Int { Int(truncatingIfNeeded: h &>> slotShift) }

    /// The index of the entry for these names, created on first sight.
    @inline(__always)
    public mutating func index(backend: UnsafeRawBufferPointer, server: UnsafeRawBufferPointer) -> Int {
        let h = Self.hash(backend, server)
        var slot = firstSlot(h)
        while true {
            let e = Int(slots[slot])
            if e < 0 { break }
            if hashes[e] == h && matches(e, backend, server) { return e }
            slot = (slot + 1) & mask
        }
        return insert(backend: backend, server: server, hash: h, slot: slot)
    }

    mutating func insert(backend: UnsafeRawBufferPointer, server: UnsafeRawBufferPointer, hash h: UInt64, slot: Int) -> Int {
        keyStarts.append(arena.count)
        arena.append(contentsOf: backend)
        arena.append(contentsOf: server)
        keys.append(Key(backendHead: Self.head(backend), serverHead: Self.head(server), backendLength: backend.count, serverLength: server.count))
        hashes.append(h)
        backends.append(String(decoding: backend, as: UTF8.self))
        servers.append(String(decoding: server, as: UTF8.self))
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
        mask = slots.count - 1
        slotShift -= 1
        for (i, h) in hashes.enumerated() {
            var slot = firstSlot(h)
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(i)
        }
    }
}
