import HAScaleParse
import LogParser
import Testing

/// `hascale parse --json`'s objects, byte for byte: the key set and order are
/// what scripts downstream read.
@Suite("JSONRecordEncoder: one object per record")
struct JSONRecordEncoderTests {
    static func encode(_ lines: [String], utcOffsetSeconds: Int = 0) -> String {
        var encoder = JSONRecordEncoder(utcOffsetSeconds: utcOffsetSeconds)
        for line in lines {
            Array(line.utf8).withUnsafeBytes { buffer in
                guard case .record(let r) = LogLineScanner.scan(buffer) else {
                    Issue.record("rejected: \(line)")
                    return
                }
                encoder.append(r, line: buffer)
            }
        }
        return String(decoding: encoder.buffer, as: UTF8.self)
    }

    @Test func httpLineEndsWithTheAcceptDateAndTheCounters() {
        let line = #"127.0.0.1:1 [22/Nov/2026:21:10:58.880] fe~ be/s1 0/0/1/40/41 200 10 - - ---- 9/8/7/6/0 0/0 "GET / HTTP/1.1""#
        #expect(Self.encode([line]) == """
            {"mode":"http","frontend":"fe","backend":"be","server":"s1","TR":0,"Tw":0,"Tc":1,"Tr":40,"Ta":41,\
            "status":200,"bytes":10,"termination":"----","accept_ms":1795381858880,"beconn":7,"srv_conn":6}

            """)
        // A native date has no zone: the encoder's offset says which HAProxy wrote it in.
        #expect(Self.encode([line], utcOffsetSeconds: 3600).contains(#""accept_ms":1795378258880,"#))
    }

    @Test func tcpAndCLFLines() {
        let tcp = "127.0.0.1:3 [22/Nov/2026:21:10:58.882] t tb/t1 0/1/+500 +99 -- 1/1/3/2/+1 0/0"
        let clf = #"127.0.0.1 - - [22/Nov/2026:21:54:28 -0530] "GET /x HTTP/1.1" 404 500 "" "" 55400 029 "feclf" "be1" "s1" 0 0 0 12 12 ---- 1 1 4 3 0 0 0 "" """#
        #expect(Self.encode([tcp, clf], utcOffsetSeconds: 3600) == """
            {"mode":"tcp","frontend":"t","backend":"tb","server":"t1","Tw":0,"Tc":1,"Tt":500,"bytes":99,\
            "termination":"--","accept_ms":1795378258882,"beconn":3,"srv_conn":2}
            {"mode":"http","frontend":"feclf","backend":"be1","server":"s1","TR":0,"Tw":0,"Tc":0,"Tr":12,"Ta":12,\
            "status":404,"bytes":500,"termination":"----","accept_ms":1795404268029,"beconn":4,"srv_conn":3}

            """)
    }

    @Test func fieldsThatDoNotConvertAreNull() {
        // The scanner takes these lines (it never needs the date's or the counters' values).
        let line = "127.0.0.1:1 [22/Foo/2026:21:10:58.880] fe be/s1 0/0/1/40/41 200 10 - - ---- 1/2/3/+4/5 0/0"
        #expect(Self.encode([line]).hasSuffix(#""termination":"----","accept_ms":null,"beconn":null,"srv_conn":null}"# + "\n"))
    }
}
