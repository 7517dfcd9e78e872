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

    @inline(__always)
    static func hash(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in a { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        h = (h ^ 0x2F) &* 0x100_0000_01b3
        for byte in b { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return h
    }

    @inline(__always)
    func matches(_ e: Int, _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard backendLengths[e] == a.count, serverLengths[e] == b.count else { return false }
        let start = keyStarts[e]
        return arena.withUnsafeBytes { k in
            (a.count == 0 || memcmp(k.baseAddress! + start, a.baseAddress!, a.count) == 0)
                && (b.count == 0 || memcmp(k.baseAddress! + start + a.count, b.baseAddress!, b.count) == 0)
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
