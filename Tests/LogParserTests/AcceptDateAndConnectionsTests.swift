import Testing

@testable import LogParser

/// What the lazy accessors make of a scanned line.
enum Lazy {
    /// The line's record and what its accessors answer; `nil` when the line is rejected.
    static func read(_ text: String, utcOffsetSeconds: Int = 0)
        -> (record: LogRecord, acceptMs: Int64?, counts: ConnectionCounts?, date: String, connections: String?, clfMs: Int16?)?
    {
        Array(text.utf8).withUnsafeBytes { buffer in
            guard case .record(let r) = LogLineScanner.scan(buffer) else { return nil }
            func s(_ range: ByteRange) -> String { String(decoding: range.bytes(in: buffer), as: UTF8.self) }
            // The careful scan must agree on the new fields too (LogRecord is Hashable).
            #expect(LogLineScanner.scan(buffer, carefully: true) == .record(r), "\(text)")
            #expect(r.beconn(in: buffer) == r.connectionCounts(in: buffer)?.beconn)
            #expect(r.srvConn(in: buffer) == r.connectionCounts(in: buffer)?.srvConn)
            // Every range lies inside the line.
            for range in [r.acceptDate] + (r.connections(in: buffer).map { [$0] } ?? []) {
                #expect(range.lowerBound >= 0 && range.lowerBound <= range.upperBound && Int(range.upperBound) <= buffer.count)
            }
            return (
                r, r.acceptMilliseconds(in: buffer, utcOffsetSeconds: utcOffsetSeconds), r.connectionCounts(in: buffer),
                s(r.acceptDate), r.connections(in: buffer).map(s), r.clfMilliseconds(in: buffer)
            )
        }
    }

    static func acceptMs(_ text: String, utcOffsetSeconds: Int = 0) -> Int64? {
        read(text, utcOffsetSeconds: utcOffsetSeconds)?.acceptMs
    }

    /// A native httplog line (taken by the fast path) with `date` between its brackets.
    static func native(_ date: String) -> String {
        "127.0.0.1:33700 [\(date)] fe be1/s1 0/0/0/6/7 200 460 - - ---- 1/1/0/0/0 0/0"
    }

    /// A CLF line with `date` between its brackets and `ms` as its milliseconds field.
    static func clf(_ date: String, ms: String = "029") -> String {
        #"127.0.0.1 - - [\#(date)] "GET /x HTTP/1.1" 404 500 "" "" 55400 \#(ms) "feclf" "be1" "s1" 0 0 0 12 12 ---- 1 1 0 0 0 0 0 "" """#
    }
}

@Suite("LogRecord: the accept date, converted when read")
struct AcceptDateTests {
    @Test func nativeDateIsReadAsUTC() throws {
        // date -u -d '2026-11-22 21:10:58' +%s = 1795381858
        let line = try #require(Lazy.read(Lazy.native("22/Nov/2026:21:10:58.880")))
        #expect(line.date == "22/Nov/2026:21:10:58.880")
        #expect(line.acceptMs == 1_795_381_858_880)
        #expect(line.clfMs == nil)
    }

    @Test func utcOffsetSaysWhichZoneHAProxysLocalTimeWasIn() {
        let line = Lazy.native("22/Nov/2026:21:10:58.880")
        // 21:10 in CET (UTC+1) is 20:10 UTC; 21:10 in UTC-05:30 is 02:40 UTC the next day.
        let utc: Int64 = 1_795_381_858_880
        #expect(Lazy.acceptMs(line, utcOffsetSeconds: 3600) == utc - 3_600_000)
        #expect(Lazy.acceptMs(line, utcOffsetSeconds: -19_800) == utc + 19_800_000)
        #expect(Lazy.acceptMs(line, utcOffsetSeconds: 0) == 1_795_381_858_880)
    }

    @Test(arguments: [
        // Each value checked with `date -u -d '...' +%s`.
        ("29/Feb/2024:12:00:00.000", Int64(1_709_208_000_000)),  // a leap day
        ("28/Feb/2024:23:59:59.999", 1_709_164_799_999),
        ("01/Mar/2024:00:00:00.000", 1_709_251_200_000),
        ("29/Feb/2000:00:00:00.000", 951_782_400_000),  // divisible by 400: a leap year
        ("31/Dec/2025:23:59:59.999", 1_767_225_599_999),  // the last millisecond of a year
        ("01/Jan/2026:00:00:00.000", 1_767_225_600_000),  // and the next one's first
        ("31/Dec/1999:23:59:59.999", 946_684_799_999),
        ("01/Jan/1970:00:00:00.000", 0),
        ("31/Dec/1969:23:59:59.999", -1),
        ("06/Feb/2009:12:14:14.655", 1_233_922_454_655),  // HAProxy 1.4's documentation example
        ("31/Dec/9999:23:59:59.999", 253_402_300_799_999),
        ("01/Jan/0000:00:00:00.000", -62_167_219_200_000),
    ] as [(String, Int64)])
    func calendar(date: String, expected: Int64) {
        #expect(Lazy.acceptMs(Lazy.native(date)) == expected, "\(date)")
    }

    @Test func everyMonthName() {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var last = Int64.min
        for month in months {
            let ms = Lazy.acceptMs(Lazy.native("01/\(month)/2026:00:00:00.000"))
            #expect(ms != nil && ms! > last, "\(month)")
            last = ms ?? last
        }
        // 2026-12-01 00:00:00 UTC
        #expect(last == 1_796_083_200_000)
    }

    @Test func clfDateCarriesItsZoneAndTheMillisecondsField() throws {
        // 21:54:28 +0000 = 1795384468; +0100 is 20:54:28 UTC, -0530 is 03:24:28 UTC the next day.
        let utc = try #require(Lazy.read(Lazy.clf("22/Nov/2026:21:54:28 +0000")))
        #expect(utc.date == "22/Nov/2026:21:54:28 +0000")
        #expect(utc.record.isCLF && utc.clfMs == 29)
        #expect(utc.acceptMs == 1_795_384_468_029)
        #expect(Lazy.acceptMs(Lazy.clf("22/Nov/2026:21:54:28 +0100")) == 1_795_380_868_029)
        #expect(Lazy.acceptMs(Lazy.clf("22/Nov/2026:21:54:28 -0530", ms: "765")) == 1_795_404_268_765)
        // The zone is the line's own: the caller's offset is for zoneless dates only.
        #expect(Lazy.acceptMs(Lazy.clf("22/Nov/2026:21:54:28 +0100"), utcOffsetSeconds: 7200) == 1_795_380_868_029)
    }

    @Test func clfMillisecondsOutsideASecondAreNoDate() throws {
        // Both CLF paths: the fast tail (nine digits at most) and the careful scan (`-1`).
        let big = try #require(Lazy.read(Lazy.clf("22/Nov/2026:21:54:28 +0000", ms: "999999999")))
        #expect(big.clfMs == nil && big.acceptMs == nil)
        let nine = try #require(Lazy.read(Lazy.clf("22/Nov/2026:21:54:28 +0000", ms: "000000999")))
        #expect(nine.clfMs == 999 && nine.acceptMs == 1_795_384_468_999)
        let zero = try #require(Lazy.read(Lazy.clf("22/Nov/2026:21:54:28 +0000", ms: "0")))
        #expect(zero.clfMs == 0 && zero.acceptMs == 1_795_384_468_000)
        let thousand = try #require(Lazy.read(Lazy.clf("22/Nov/2026:21:54:28 +0000", ms: "1000")))
        #expect(thousand.clfMs == nil && thousand.acceptMs == nil)
        let negative = try #require(Lazy.read(Lazy.clf("22/Nov/2026:21:54:28 +0000", ms: "-1")))
        #expect(negative.clfMs == nil && negative.acceptMs == nil)
        let signed = try #require(Lazy.read(Lazy.clf("22/Nov/2026:21:54:28 +0000", ms: "+29")))
        #expect(signed.clfMs == nil && signed.acceptMs == nil)
        // Unquoted names (taken by the careful scan): the field is found all the same.
        let unquoted = #"10.0.0.1 - - [22/Nov/2026:21:54:28 +0000] "GET / HTTP/1.1" 200 1 "" "" 1 042  fe~ be s 1 0 1 2 3 ---- 1 1 0 0 0 0 0 "" """#
        let read = try #require(Lazy.read(unquoted))
        #expect(read.clfMs == 42 && read.acceptMs == 1_795_384_468_042 && read.record.isSSLFrontend)
    }

    /// The scanner never needs the date, so it takes lines whose date is none;
    /// the accessor says so.
    @Test(arguments: [
        "22/Foo/2026:21:10:58.880",  // no such month
        "22/nov/2026:21:10:58.880",  // HAProxy writes month names capitalised
        "22/Nov/2026:25:10:58.880",  // hour 25
        "22/Nov/2026:24:00:00.000",
        "22/Nov/2026:21:60:58.880",
        "22/Nov/2026:21:10:60.880",
        "00/Nov/2026:21:10:58.880",
        "32/Dec/2026:21:10:58.880",
        "31/Nov/2026:21:10:58.880",  // November has 30 days
        "29/Feb/2023:12:00:00.000",  // not a leap year
        "29/Feb/1900:12:00:00.000",  // divisible by 100, not by 400
        "22/Nov/2026:21:10:58,880",
        "22/Nov/2026:21:10:58.88x",
        "2x/Nov/2026:21:10:58.880",
        "22/Nov/20 6:21:10:58.880",
        "22-Nov-2026:21:10:58.880",
        "22/Nov/2026 21:10:58.880",
        "22/Nov/2026:21:10:58",  // too short: HAProxy always writes milliseconds
        "22/Nov/2026:21:10:58.8800",
        "22/Nov/2026:21:54:28 +0000",  // a CLF date on a native line
        "",
        String(repeating: "9", count: 255),  // the longest a record holds
    ])
    func invalidNativeDates(date: String) throws {
        let line = try #require(Lazy.read(Lazy.native(date)), "the scanner should still take the line: \(date)")
        #expect(line.date == date)
        #expect(line.acceptMs == nil, "\(date)")
        #expect(line.counts != nil)
    }

    @Test(arguments: [
        "22/Foo/2026:21:54:28 +0000",
        "22/Nov/2026:25:54:28 +0000",
        "22/Nov/2026:21:54:28 +2400",  // zone hours past 23
        "22/Nov/2026:21:54:28 +0060",
        "22/Nov/2026:21:54:28 0000",
        "22/Nov/2026:21:54:28 *0000",
        "22/Nov/2026:21:54:28 +00:0",
        "22/Nov/2026:21:54:28.000",  // a native date on a CLF line
    ])
    func invalidCLFDates(date: String) throws {
        let line = try #require(Lazy.read(Lazy.clf(date)), "the scanner should still take the line: \(date)")
        #expect(line.date == date)
        #expect(line.acceptMs == nil, "\(date)")
    }

    @Test func bracketsTooLongForADateHoldNone() throws {
        let line = try #require(Lazy.read(Lazy.native(String(repeating: "9", count: 256))))
        #expect(line.record.acceptDate == ByteRange(0, 0) && line.date == "" && line.acceptMs == nil)
        #expect(line.counts == ConnectionCounts(actconn: 1, feconn: 1, beconn: 0, srvConn: 0, retries: 0))
    }

    @Test func recordsMadeByHandHaveNeither() {
        let r = LogRecord(
            framing: .raw, mode: .http, isCLF: false, frontend: ByteRange(0, 1), isSSLFrontend: false,
            backend: ByteRange(0, 1), server: ByteRange(0, 1), TR: 0, Tw: 0, Tc: 0, Tr: 0, Ta: 0,
            status: 200, bytes: 0, termination: ByteRange(0, 1), isLogasap: false)
        let line = Array(Lazy.native("22/Nov/2026:21:10:58.880").utf8)
        line.withUnsafeBytes { buffer in
            #expect(r.acceptMilliseconds(in: buffer) == nil)
            #expect(r.connectionCounts(in: buffer) == nil)
            #expect(r.beconn(in: buffer) == nil && r.srvConn(in: buffer) == nil)
            #expect(r.connections(in: buffer) == nil && r.clfMilliseconds(in: buffer) == nil)
            // Ranges past the buffer (the wrong line passed) answer nil, never trap.
            var past = r
            past.acceptDate = ByteRange(buffer.count - 4, buffer.count + 20)
            past.termination = ByteRange(buffer.count - 1, buffer.count + 4)
            past.frontend = ByteRange(buffer.count + 1, buffer.count + 4)
            past.isCLF = true
            #expect(past.acceptMilliseconds(in: buffer) == nil && past.connectionCounts(in: buffer) == nil)
            #expect(past.clfMilliseconds(in: buffer) == nil)
            // A range a record cannot hold (too long to be a date) is an empty one.
            past.acceptDate = ByteRange(10, 300)
            #expect(past.acceptDate == ByteRange(0, 0))
            past.acceptDate = ByteRange(70_000, 70_024)
            #expect(past.acceptDate == ByteRange(0, 0))
            past.acceptDate = ByteRange(65_000, 65_024)
            #expect(past.acceptDate == ByteRange(65_000, 65_024))
        }
    }
}

private func counts(_ ac: Int32, _ fc: Int32, _ bc: Int32, _ sc: Int32, _ rc: Int32) -> ConnectionCounts {
    ConnectionCounts(actconn: ac, feconn: fc, beconn: bc, srvConn: sc, retries: rc)
}

@Suite("LogRecord: the connection counters, converted when read")
struct ConnectionCountsTests {
    @Test(arguments: [
        // httplog on the fast path (from CommonRequestLineTests).
        (CommonRequestLineTests.common, "10/48/5/6/0", counts(10, 48, 5, 6, 0)),
        (CommonRequestLineTests.seeds[5], "1000/2000/300/100/3", counts(1000, 2000, 300, 100, 3)),
        // httplog on the careful path: redispatched (`+1` retries), logasap.
        (CommonRequestLineTests.seeds[13], "3/2/1/1/+1", counts(3, 2, 1, 1, 1)),
        (CommonRequestLineTests.seeds[14], "1/1/1/1/0", counts(1, 1, 1, 1, 0)),
        // tcplog: fast path, then careful (logasap), as a real 2.6 wrote it.
        (CommonRequestLineTests.seeds[7], "100/200/30/10/3", counts(100, 200, 30, 10, 3)),
        ("127.0.0.1:33286 [22/Nov/2026:21:54:28.055] fetcp betcp/t1 1/0/+1 +461 -- 7/6/5/4/+2 0/0", "7/6/5/4/+2", counts(7, 6, 5, 4, 2)),
        ("127.0.0.1:33286 [22/Nov/2026:21:54:28.055] fetcp betcp/t1 1/0/1 461 -- 7/6/5/4/3 0/0", "7/6/5/4/3", counts(7, 6, 5, 4, 3)),
        // CLF: the fast tail, the careful scan (a -1 timer), `+1` retries, more than one space.
        (CommonCLFTailTests.seeds[0], "70 10 13 7 0", counts(70, 10, 13, 7, 0)),
        (CommonCLFTailTests.seeds[2], "999999999 1 2 3 4", counts(999_999_999, 1, 2, 3, 4)),
        (CommonCLFTailTests.seeds[3], "1 1 0 0 0", counts(1, 1, 0, 0, 0)),
        (#"10.0.0.1 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "" "" 1 2 "fe" "be" "s" 1 0 1 2 3 ---- 9 8 7 6 +1 0 0 "" """#,
         "9 8 7 6 +1", counts(9, 8, 7, 6, 1)),
        (#"10.0.0.1 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "" "" 1 2 "fe" "be" "s" 1 0 1 2 3 ----  9  8 7 6  5 0 0"#,
         "9  8 7 6  5", counts(9, 8, 7, 6, 5)),
        // The largest values that fit.
        ("10.0.0.1:1 [22/Nov/2026:10:00:00.159] fe be/s 1/2/3/4/5 204 1 - - ---- 2147483647/0/2147483647/1/0 0/0", "2147483647/0/2147483647/1/0",
         counts(.max, 0, .max, 1, 0)),
    ] as [(String, String, ConnectionCounts)])
    func counters(line: String, field: String, expected: ConnectionCounts) throws {
        let read = try #require(Lazy.read(line), "\(line)")
        #expect(read.connections == field)
        #expect(read.counts == expected, "\(line)")
        let bytes = Array(line.utf8)
        bytes.withUnsafeBytes { buffer in
            #expect(read.record.beconn(in: buffer) == expected.beconn)
            #expect(read.record.srvConn(in: buffer) == expected.srvConn)
        }
    }

    /// The scanner checks the counters' shape loosely (it never needs their
    /// values); what is not five numbers converts to nil.
    @Test(arguments: [
        "1+2/3/4/5/6",  // a sign inside a number
        "1/2/3/+4/5",  // `+` is for retries only
        "-1/2/3/4/5",
        "2147483648/0/0/0/0",  // past Int32
        "99999999999/0/0/0/0",
    ])
    func malformedCounters(field: String) throws {
        let line = "10.0.0.1:1 [22/Nov/2026:10:00:00.159] fe be/s 1/2/3/4/5 204 1 - - ---- \(field) 0/0"
        let read = try #require(Lazy.read(line), "the scanner should still take \(field)")
        #expect(read.connections == field)
        #expect(read.counts == nil, "\(field)")
        #expect(read.acceptMs == 1_795_341_600_159)
    }
}
