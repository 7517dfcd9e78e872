#if canImport(Glibc)
import Glibc
#endif

/// Interns `backend/server` names straight from log bytes.
///
/// Looking a name up hashes the bytes in place and compares them with the
/// stored key (`memcmp` into one byte arena); a `String` is made only the
/// first time a server is seen. Everything is kept in flat arrays of plain
/// values so the per-line path does no reference counting.
public struct ServerTable<Value> {
    public private(set) var backends: [String] = []
    public private(set) var servers: [String] = []
    public private(set) var values: [Value] = []
    @usableFromInline var hashes: [UInt64] = []
    @usableFromInline var keyStarts: [Int] = []
    @usableFromInline var backendLengths: [Int] = []
    @usableFromInline var serverLengths: [Int] = []
    @usableFromInline var arena: [UInt8] = []
    @usableFromInline var slots: [Int32]  // index into the arrays above, -1 = empty
    @usableFromInline var mask: Int
    let defaultValue: Value

    public init(defaultValue: Value) {
        self.defaultValue = defaultValue
        slots = Array(repeating: -1, count: 64)
        mask = 63
    }

    public var count: Int { values.count }

    /// Up to eight bytes from `p + i` (of `n` in all), zero-filled past the end.
    @inline(__always)
    static func word(_ p: UnsafeRawPointer, _ i: Int, _ n: Int) -> UInt64 {
        if i &+ 8 <= n { return p.loadUnaligned(fromByteOffset: i, as: UInt64.self) }
        var x: UInt64 = 0
        var k = i
        while k < n {
            x |= UInt64(p.load(fromByteOffset: k, as: UInt8.self)) &<< UInt64((k &- i) &* 8)
            k &+= 1
        }
        return x
    }

    /// A word at a time (names are short: one to three words each), mixed by
    /// multiplication: a few cycles where a byte-at-a-time hash costs one
    /// multiply per byte, in a chain.
    @inline(__always)
    static func hash(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> UInt64 {
        let h = mix(mix(0x9E37_79B9_7F4A_7C15 ^ UInt64(a.count &<< 16 | b.count), a), b)
        return h ^ (h &>> 32)
    }

    @inline(__always)
    static func mix(_ seed: UInt64, _ part: UnsafeRawBufferPointer) -> UInt64 {
        guard let p = part.baseAddress, part.count > 0 else { return seed }
        var h = seed
        var i = 0
        while i < part.count {
            h = (h ^ word(p, i, part.count)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h &>> 29
            i &+= 8
        }
        return h &* 0xC4CE_B9FE_1A85_EC53
    }

    /// Byte equality of two short ranges, a word at a time (no libc call).
    @inline(__always)
    static func equal(_ p: UnsafeRawPointer, _ q: UnsafeRawPointer, _ n: Int) -> Bool {
        var i = 0
        while i &+ 8 <= n {
            if p.loadUnaligned(fromByteOffset: i, as: UInt64.self) != q.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i &+= 8
        }
        while i < n {
            if p.load(fromByteOffset: i, as: UInt8.self) != q.load(fromByteOffset: i, as: UInt8.self) { return false }
            i &+= 1
        }
        return true
    }

    @inline(__always)
    func matches(_ e: Int, _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard backendLengths[e] == a.count, serverLengths[e] == b.count else { return false }
        let start = keyStarts[e]
        return arena.withUnsafeBytes { k in
            (a.count == 0 || Self.equal(k.baseAddress! + start, a.baseAddress!, a.count))
                && (b.count == 0 || Self.equal(k.baseAddress! + start + a.count, b.baseAddress!, b.count))
        }
    }

    /// The index of the entry for these names, created on first sight.
    @inline(__always)
    public mutating func index(backend: UnsafeRawBufferPointer, server: UnsafeRawBufferPointer) -> Int {
        let h = Self.hash(backend, server)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[slot])
            if e < 0 { break }
            if hashes[e] == h && matches(e, backend, server) { return e }
            slot = (slot + 1) & mask
        }
        keyStarts.append(arena.count)
        arena.append(contentsOf: backend)
        arena.append(contentsOf: server)
        backendLengths.append(backend.count)
        serverLengths.append(server.count)
        hashes.append(h)
        backends.append(String(decoding: backend, as: UTF8.self))
        servers.append(String(decoding: server, as: UTF8.self))
        values.append(defaultValue)
        slots[slot] = Int32(values.count - 1)
        if values.count * 2 > slots.count { grow() }
        return values.count - 1
    }

    public subscript(index: Int) -> Value {
        get { values[index] }
        _modify { yield &values[index] }
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for (i, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(i)
        }
    }
}
