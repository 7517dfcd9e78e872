import HAScale
import Testing

/// The journal schema without libsystemd: what the daemon sends and what
/// `hascale history` reads back are one pair of pure functions.
@Suite("History schema")
struct HistorySchemaTests {
    static let full = HistoryEvent(kind: .scaleUp, backend: "app", server: "s2", metricMs: 612, thresholdMs: 500, active: 3,
                                   reason: "mean Tr 612 ms > 500 ms for 3 evaluations\nwith 2 in service")

    @Test(arguments: HistoryEvent.Kind.allCases)
    func everyKindRoundTrips(kind: HistoryEvent.Kind) throws {
        var e = Self.full
        e.kind = kind
        let fields = HistorySchema.encode(e)
        let decoded = try #require(HistorySchema.decode(Dictionary(fields.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })))
        #expect(decoded == e)
    }

    @Test func optionalFieldsAreLeftOutNotEmpty() throws {
        let e = HistoryEvent(kind: .configReloaded, reason: "no change")
        let names = HistorySchema.encode(e).map(\.name)
        #expect(names == ["MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "MESSAGE_ID", "HASCALE_EVENT", "HASCALE_REASON"])
        #expect(HistorySchema.decode(Dictionary(uniqueKeysWithValues: HistorySchema.encode(e).map { ($0.name, $0.value) })) == e)
    }

    @Test func numbersAreWholeMillisecondsAndNamesAreStable() {
        var e = Self.full
        e.metricMs = 612.6
        let fields = Dictionary(uniqueKeysWithValues: HistorySchema.encode(e).map { ($0.name, $0.value) })
        #expect(fields["HASCALE_METRIC_MS"] == "613")
        #expect(fields["HASCALE_EVENT"] == "scale_up")
        #expect(fields["SYSLOG_IDENTIFIER"] == "hascale")
        #expect(fields["MESSAGE_ID"] == "96568f2c2e1147bead7619dfd86302eb", "scripts match on it across versions")
        #expect(fields["PRIORITY"] == "5")
        #expect(fields["MESSAGE"] == "app/s2 is in service: mean Tr 612 ms > 500 ms for 3 evaluations\nwith 2 in service")
        #expect(HistorySchema.encode(HistoryEvent(kind: .configRejected, reason: "x")).first { $0.name == "PRIORITY" }?.value == "3")
    }

    @Test func messageIDsAreDistinctAndWellFormed() {
        let ids = HistoryEvent.Kind.allCases.map(HistorySchema.messageID)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) && $0 == $0.lowercased() })
    }

    @Test func entriesOfOthersAreNotHistory() {
        #expect(HistorySchema.decode(["MESSAGE": "hello", "SYSLOG_IDENTIFIER": "haproxy"]) == nil)
        #expect(HistorySchema.decode(["HASCALE_EVENT": "no_such_kind"]) == nil)
    }
}
