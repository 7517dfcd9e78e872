import HAScale
import Testing

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
        }
    }
}
