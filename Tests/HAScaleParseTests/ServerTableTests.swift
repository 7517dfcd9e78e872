import Testing

@testable import HAScaleParse

#if canImport(Glibc)
import Glibc
#endif

@Suite("ServerTable: names interned from bytes")
struct ServerTableTests {
    static func index(_ table: inout ServerTable<Int>, _ backend: String, _ server: String) -> Int {
        Array(backend.utf8).withUnsafeBytes { b in
            Array(server.utf8).withUnsafeBytes { s in table.index(backend: b, server: s) }
        }
    }

    @Test func everyPairKeepsItsOwnEntryThroughGrowth() {
        var table = ServerTable<Int>(defaultValue: 0)
        // Short names, names over one word, and names that share their first eight bytes.
        var pairs: [(String, String)] = []
        for b in ["app", "backend-with-a-long-name", "backend-with-a-long-nam3", ""] {
            for s in 0..<300 { pairs.append((b, s % 2 == 0 ? "web-\(s)" : "server-number-\(s)")) }
        }
        var first: [Int] = []
        for (b, s) in pairs { first.append(Self.index(&table, b, s)) }
        #expect(table.count == pairs.count)
        #expect(Set(first).count == pairs.count)
        for (k, (b, s)) in pairs.enumerated() {
            let i = Self.index(&table, b, s)
            #expect(i == first[k], "\(b)/\(s) moved")
            #expect(table.backends[i] == b && table.servers[i] == s)
            table.modify(i) { $0 += k }
        }
        #expect(table.count == pairs.count)
        for (k, (b, s)) in pairs.enumerated() {
            #expect(table[Self.index(&table, b, s)] == k)
            // The same pair read as one run of bytes, as an httplog line holds it.
            let i = Array("\(b)/\(s)".utf8).withUnsafeBytes { table.index(pair: $0, slash: b.utf8.count) }
            #expect(i == first[k])
        }
    }

    /// Names that differ in one late byte (`web-301`, `web-302`), as real pools
    /// are named, must not crowd into neighbouring slots: the mean lookup should
    /// take close to one probe, as for random keys at this load (about 1.2).
    @Test(arguments: [
        (1...4).flatMap { b in (1...6).map { ("app\(b)", "web-\(b)0\($0)") } },
        (1...40).map { ("app", "web-\($0)") },
        (0..<300).map { ("pool-\($0 % 7)", "10.0.\($0 / 7).\($0 % 250):8080") },
    ])
    func consecutiveNamesSpreadOverTheSlots(pairs: [(String, String)]) {
        var table = ServerTable<Int>(defaultValue: 0)
        for (b, s) in pairs { _ = Self.index(&table, b, s) }
        var probes = 0
        for (slot, entry) in table.slots.enumerated() where entry >= 0 {
            let k = table.keys[Int(entry)]
            let home = table.firstSlot(k.hash)
            probes += (slot - home + table.slots.count) % table.slots.count + 1
        }
        let mean = Double(probes) / Double(pairs.count)
        #expect(mean < 1.5, "mean probes per lookup \(mean) for \(pairs.count) pairs in \(table.slots.count) slots")
    }

    @Test func pairsNearThePageEndAreReadWithoutCrossingIt() throws {
        // A pair that ends exactly at the end of a mapped page, followed by an unmapped one.
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let raw = try #require(mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        defer { munmap(raw, 2 * page) }
        #expect(mprotect(raw + page, page, PROT_NONE) == 0)
        var table = ServerTable<Int>(defaultValue: 0)
        for name in ["a/b", "app/web-1", "backend/server-12", "be/s"] {
            let bytes = Array(name.utf8)
            let at = raw + page - bytes.count
            at.copyMemory(from: bytes, byteCount: bytes.count)
            let slash = bytes.firstIndex(of: UInt8(ascii: "/"))!
            let i = table.index(pair: UnsafeRawBufferPointer(start: at, count: bytes.count), slash: slash)
            #expect(table.backends[i] + "/" + table.servers[i] == name)
            #expect(Self.index(&table, String(name[..<name.firstIndex(of: "/")!]), String(name[name.index(after: name.firstIndex(of: "/")!)...])) == i)
        }
        #expect(table.count == 4)
    }
}
