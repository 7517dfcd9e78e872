#if canImport(Glibc)
import Glibc
#endif
@testable import HAProxySocket
import Testing

@Suite("RuntimeAPIAddress")
struct RuntimeAPIAddressTests {
    @Test(arguments: [
        ("/run/haproxy/admin.sock", RuntimeAPIAddress.unix(path: "/run/haproxy/admin.sock")),
        ("unix@/run/haproxy/admin.sock", .unix(path: "/run/haproxy/admin.sock")),
        ("admin.sock", .unix(path: "admin.sock")),
        ("./run/admin.sock", .unix(path: "./run/admin.sock")),
        ("/tmp/with space/and:colon@at.sock", .unix(path: "/tmp/with space/and:colon@at.sock")),
        ("ipv4@127.0.0.1:9999", .tcp(host: "127.0.0.1", port: 9999, ipv6: false)),
        ("ipv4@127.0.0.1:1", .tcp(host: "127.0.0.1", port: 1, ipv6: false)),
        ("ipv4@127.0.0.1:65535", .tcp(host: "127.0.0.1", port: 65535, ipv6: false)),
        ("ipv4@0.0.0.0:9999", .tcp(host: "0.0.0.0", port: 9999, ipv6: false)),
        ("ipv6@[::1]:9999", .tcp(host: "::1", port: 9999, ipv6: true)),
        ("ipv6@[::ffff:127.0.0.1]:9999", .tcp(host: "::ffff:127.0.0.1", port: 9999, ipv6: true)),
        ("ipv6@[fd00::2]:80", .tcp(host: "fd00::2", port: 80, ipv6: true)),
        // HAProxy reads a bare numeric ADDR:PORT in `stats socket` as TCP.
        ("127.0.0.1:9999", .tcp(host: "127.0.0.1", port: 9999, ipv6: false)),
        ("[::1]:9999", .tcp(host: "::1", port: 9999, ipv6: true)),
    ])
    func parses(_ text: String, _ expected: RuntimeAPIAddress) throws {
        #expect(try RuntimeAPIAddress(parsing: text) == expected)
    }

    @Test(arguments: [
        "/run/haproxy/admin.sock", "ipv4@127.0.0.1:9999", "ipv6@[::1]:9999", "ipv6@[fd00::2]:65535",
    ])
    func descriptionParsesBack(_ text: String) throws {
        let address = try RuntimeAPIAddress(parsing: text)
        #expect(address.description == text)
        #expect(try RuntimeAPIAddress(parsing: address.description) == address)
    }

    @Test func unixPrefixAndBareFormsNormalise() throws {
        #expect(try RuntimeAPIAddress(parsing: "unix@/run/x.sock").description == "/run/x.sock")
        #expect(try RuntimeAPIAddress(parsing: "127.0.0.1:9999").description == "ipv4@127.0.0.1:9999")
        #expect(try RuntimeAPIAddress(parsing: "[::1]:9999").description == "ipv6@[::1]:9999")
    }

    @Test(arguments: [
        // Empty.
        ("", "is an empty socket path"),
        ("unix@", "has an empty socket path after unix@"),
        // Ports.
        ("ipv4@127.0.0.1:0", "has the port 0"),
        ("ipv4@127.0.0.1:65536", #"has the port "65536", which is not a number from 1 to 65535"#),
        ("ipv4@127.0.0.1:99999999999999999999", "which is not a number from 1 to 65535"),
        ("ipv4@127.0.0.1:+80", #"has the port "+80""#),
        ("ipv4@127.0.0.1:-1", #"has the port "-1""#),
        ("ipv4@127.0.0.1:80x", #"has the port "80x""#),
        ("ipv4@127.0.0.1: 80", #"has the port " 80""#),
        ("ipv4@127.0.0.1:", "has no port after the colon"),
        ("ipv4@127.0.0.1", "is not ipv4@ADDR:PORT (no port)"),
        ("ipv6@[::1]:0", "has the port 0"),
        ("ipv6@[::1]:70000", #"has the port "70000""#),
        ("ipv6@[::1]:", "has no port after the colon"),
        ("ipv6@[::1]", "no port after the brackets"),
        ("127.0.0.1:0", "has the port 0"),
        ("[::1]:", "has no port after the colon"),
        // Hosts.
        ("ipv4@:9999", "no address before the port"),
        ("ipv4@localhost:9999", #"has "localhost", which is not a numeric IPv4 address"#),
        ("ipv4@127.0.0.256:9999", #"has "127.0.0.256""#),
        ("ipv4@::1:9999", #"has "::1", which is not a numeric IPv4 address"#),
        ("ipv4@[::1]:9999", #"has "[::1]""#),
        ("ipv6@[]:9999", "empty brackets"),
        ("ipv6@[127.0.0.1]:9999", #"has "127.0.0.1", which is not a numeric IPv6 address"#),
        ("ipv6@[::1%lo]:9999", #"has "::1%lo""#),
        ("ipv6@[::1]x:9999", "no port after the brackets"),
        // Brackets.
        ("ipv6@::1:9999", "the address needs its brackets"),
        ("ipv6@[::1:9999", "the address needs its brackets"),
        ("ipv6@::1", "the address needs its brackets"),
        ("[::1:9999", "the address needs its brackets"),
        // HAProxy's other families.
        ("abns@haproxy-admin", "uses HAProxy's abns@ address family"),
        ("fd@3", "uses HAProxy's fd@ address family"),
        ("tcp4@127.0.0.1:9999", "uses HAProxy's tcp4@ address family"),
        ("sockpair@4", "uses HAProxy's sockpair@ address family"),
        // sun_path holds 107 bytes and the NUL.
        ("/" + String(repeating: "a", count: 107), "is a socket path of 108 bytes; a Unix socket path holds at most 107"),
    ])
    func refuses(_ text: String, _ reason: String) {
        let error = #expect(throws: RuntimeAPIError.self) { try RuntimeAPIAddress(parsing: text) }
        guard case .invalidAddress(let t, let r)? = error else {
            Issue.record("expected .invalidAddress, got \(String(describing: error))")
            return
        }
        #expect(t == text)
        #expect(r.contains(reason), "\(r)")
        #expect(error?.description.hasPrefix("invalid runtime-API address \(text.debugDescription): it ") == true)
    }

    @Test func longestUnixPathIsAccepted() throws {
        let path = "/" + String(repeating: "a", count: 106)
        #expect(RuntimeAPIAddress.maxUnixPathBytes == 107)
        #expect(try RuntimeAPIAddress(parsing: path) == .unix(path: path))
        #expect(try RuntimeAPIAddress(parsing: "unix@" + path) == .unix(path: path))
    }

    /// The plain-Swift address checks agree with glibc's `inet_pton`, which the client
    /// connects with.
    @Test func addressChecksAgreeWithInetPton() {
        var samples = [
            "", "0.0.0.0", "127.0.0.1", "255.255.255.255", "256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04",
            "1..2.3", "1.2.3.", ".1.2.3", "1.2.3.4 ", "+1.2.3.4", "1.2.3.0x4", "١.2.3.4",
            "::", "::1", "1::", "::ffff:127.0.0.1", "::127.0.0.1", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7", "::1:2:3:4:5:6:7:8", "1::2::3", ":::", "1:::2",
            ":1", "1:", "fe80::1%lo", "FD00::2", "fd00::g", "12345::", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4",
            "1:2:3:4:5::1.2.3.4", "1.2.3.4::", "::1.2.3", "::1.2.3.4.5", "::01.2.3.4", "[::1]", "０::1", "::ｆ",
        ]
        // Deterministic mixtures of the pieces addresses are made of.
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        let hex = Array("0123456789abcdefABCDEF")
        let separators = [":", ":", ":", ":", "::", ".", "."]
        func decimal() -> String { next(8) == 0 ? "0\(next(10))" : String(next(300)) }
        for _ in 0..<5000 {
            var text = ""
            if next(4) == 0 {
                text = (0..<next(3) + 3).map { _ in decimal() }.joined(separator: ".")
            } else {
                for i in 0...next(9) {
                    if i > 0 { text += separators[next(separators.count)] }
                    text += next(3) == 0 ? decimal() : String((0...next(5)).map { _ in hex[next(hex.count)] })
                }
            }
            if next(10) == 0 { text = "::" + text }
            samples.append(text)
        }
        var valid = (v4: 0, v6: 0)
        for text in samples {
            var a4 = in_addr(), a6 = in6_addr()
            let v4 = inet_pton(AF_INET, text, &a4) == 1, v6 = inet_pton(AF_INET6, text, &a6) == 1
            #expect(RuntimeAPIAddress.isIPv4(text[...]) == v4, "\(text.debugDescription)")
            #expect(RuntimeAPIAddress.isIPv6(text[...]) == v6, "\(text.debugDescription)")
            if v4 { valid.v4 += 1 }
            if v6 { valid.v6 += 1 }
        }
        // The mixtures must hold valid addresses too, or they would test only refusals.
        #expect(valid.v4 > 100 && valid.v6 > 100, "\(valid)")
    }
}
