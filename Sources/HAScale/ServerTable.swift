import LogParser

/// Interns `backend/server` names straight from log bytes.
///
/// Looking a name up hashes the bytes in place and compares them with the
/// stored key; a `String` is made only the first time a server is seen, so a
/// summary over millions of lines allocates once per server, not per line.
public struct ServerTable<Value> {
    public struct Entry {
        public var backend: String
        public var server: String
        public var value: Value
        @usableFromInline var key: [UInt8]
        @usableFromInline var hash: UInt64
    }

    public private(set) var entries: [Entry] = []
    @usableFromInline var slots: [Int32]  // index into entries, -1 = empty
    @usableFromInline var mask: Int
    let defaultValue: Value

    public init(defaultValue: Value) {
        self.defaultValue = defaultValue
        slots = Array(repeating: -1, count: 64)
        mask = 63
    }

    @inline(__always)
    static func hash(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in a { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        h = (h ^ 0x2F) &* 0x100_0000_01b3
        for byte in b { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return h
    }

    @inline(__always)
    static func matches(_ key: [UInt8], _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard key.count == a.count + 1 + b.count else { return false }
        return key.withUnsafeBytes { k in
            k.starts(with: a) && k[a.count] == 0x2F && UnsafeRawBufferPointer(rebasing: k[(a.count + 1)...]).elementsEqual(b)
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
            if entries[e].hash == h && Self.matches(entries[e].key, backend, server) { return e }
            slot = (slot + 1) & mask
        }
        let key = Array(backend) + [0x2F] + Array(server)
        entries.append(Entry(
            backend: String(decoding: backend, as: UTF8.self),
            server: String(decoding: server, as: UTF8.self),
            value: defaultValue, key: key, hash: h))
        slots[slot] = Int32(entries.count - 1)
        if entries.count * 2 > slots.count { grow() }
        return entries.count - 1
    }

    public subscript(index: Int) -> Value {
        get { entries[index].value }
        _modify { yield &entries[index].value }
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for (i, e) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: e.hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(i)
        }
    }
}
