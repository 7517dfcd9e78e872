import Foundation
import HAScaleTestKit
import LogParser
import Testing

/// Lines written by a real HAProxy 2.6, for requests this test sent, parsed and
/// checked field by field against what the test knows happened.
@Suite("LogLineScanner against a real HAProxy", .serialized)
struct RealHAProxyLogTests {
    @Test func everyKindOfRequest() throws {
        let ok = try HTTPTestBackend(name: "ok", behaviour: .ok(latency: .milliseconds(30)))
        let hang = try HTTPTestBackend(name: "hang", behaviour: .hang)
        defer { ok.shutdown(); hang.shutdown() }
        let ports = (http: try FreePort.next(), clf: try FreePort.next(), tcp: try FreePort.next())
        let haproxy = try HAProxyProcess(configBody: """
            frontend web-in
              bind 127.0.0.1:\(ports.http)
              capture request header User-Agent len 64
              http-request deny if { path /deny }
              use_backend dead_pool if { path /dead }
              use_backend slow.pool if { path /slow }
              default_backend app_1
            frontend clf_in
              bind 127.0.0.1:\(ports.clf)
              option httplog clf
              default_backend app_1
            frontend tcp-in
              mode tcp
              option tcplog
              bind 127.0.0.1:\(ports.tcp)
              default_backend tcp_pool
            backend app_1
              server web-1 \(ok.address)
            backend dead_pool
              retries 1
              server gone 127.0.0.1:\(try FreePort.next())
            backend slow.pool
              timeout server 300ms
              server s.1 \(hang.address)
            backend tcp_pool
              mode tcp
              server t1 \(ok.address)
            """)
        defer { haproxy.stop() }

        #expect(HTTPGet.get(port: ports.http, path: "/", headers: ["User-Agent": #"a "q" {x} |y"#])?.status == 200)
        #expect(HTTPGet.get(port: ports.http, path: "/deny")?.status == 403)
        #expect(HTTPGet.get(port: ports.http, path: "/dead")?.status == 503)
        #expect(HTTPGet.get(port: ports.http, path: "/slow")?.status == 504)
        let bad = HTTPGet.get(port: ports.http, rawRequest: "GARBAGE\r\n\r\n")
        #expect(bad?.status == 400)
        #expect(HTTPGet.get(port: ports.clf, path: "/clf")?.status == 200)
        #expect(HTTPGet.get(port: ports.tcp, path: "/tcp")?.status == 200)

        let lines = try haproxy.waitForLines(timeout: 10, "7 request log lines") { lines in
            lines.filter { $0.contains(" [") || $0.contains(" - - [") }.count >= 7
        }
        var records: [ParsedLine] = []
        for line in lines {
            if case .success(let p) = Scan.line(line) { records.append(p) }
        }
        func one(_ what: String, _ match: (ParsedLine) -> Bool) -> ParsedLine? {
            let found = records.filter(match)
            #expect(found.count == 1, "expected one \(what) line, got \(found.count) in:\n\(lines.joined(separator: "\n"))")
            return found.first
        }

        let okLine = try #require(one("ok") { $0.frontend == "web-in" && $0.backend == "app_1" })
        #expect(okLine.server == "web-1")
        #expect(okLine.status == 200)
        #expect(okLine.termination == "----")
        #expect(okLine.Tr >= 30 && okLine.Tr < 2_000, "backend answered after 30 ms: \(okLine)")
        #expect(okLine.Ta >= okLine.Tr)
        #expect(okLine.bytes > 0)

        let denied = try #require(one("denied") { $0.status == 403 })
        #expect(denied.server == "<NOSRV>")
        #expect(denied.backend == "web-in")
        #expect(denied.Tr == -1 && denied.Tc == -1)
        #expect(denied.termination.hasPrefix("PR"))

        let dead = try #require(one("dead server") { $0.backend == "dead_pool" })
        #expect(dead.status == 503)
        #expect(dead.server == "gone")
        #expect(dead.Tc == -1 && dead.Tr == -1)
        #expect(dead.termination.hasPrefix("SC"))

        let slow = try #require(one("server timeout") { $0.backend == "slow.pool" })
        #expect(slow.status == 504)
        #expect(slow.server == "s.1")
        #expect(slow.Tr == -1)
        #expect(slow.Ta >= 300)
        #expect(slow.termination.hasPrefix("sH"))

        let badreq = try #require(one("bad request") { $0.status == 400 })
        #expect(badreq.server == "<NOSRV>")
        #expect(badreq.frontend == "web-in")

        let clf = try #require(one("clf") { $0.isCLF })
        #expect(clf.frontend == "clf_in" && clf.backend == "app_1" && clf.server == "web-1")
        #expect(clf.status == 200 && clf.Tr >= 30)

        let tcp = try #require(one("tcp") { $0.mode == .tcp })
        #expect(tcp.frontend == "tcp-in" && tcp.backend == "tcp_pool" && tcp.server == "t1")
        #expect(tcp.Ta >= 30 && tcp.bytes > 0)
        #expect(tcp.termination.count == 2)

        // The accept date and the counters, converted: a native date is HAProxy's
        // local time (the zone this process has too), a CLF date carries its zone.
        // Requests went one at a time, so no backend or server held more than one.
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let offset = TimeZone.current.secondsFromGMT()
        for (what, parsed) in [("ok", okLine), ("dead server", dead), ("clf", clf), ("tcp", tcp)] {
            let raw = try #require(lines.first { Scan.line($0) == .success(parsed) }, "\(what)")
            let read = try #require(Lazy.read(raw, utcOffsetSeconds: offset), "\(what)")
            let accepted = try #require(read.acceptMs, "\(what): \(raw)")
            #expect(accepted <= now && now - accepted < 60_000, "\(what): accepted at \(accepted), now \(now): \(raw)")
            let counts = try #require(read.counts, "\(what): \(raw)")
            #expect(counts.actconn >= 1 && counts.feconn >= 1, "\(what): \(raw)")
            #expect((0...1).contains(counts.beconn) && (0...1).contains(counts.srvConn), "\(what): \(raw)")
            // `retries 1` against a closed port: one retry, then 503.
            #expect(counts.retries == (what == "dead server" ? 1 : 0), "\(what): \(raw)")
        }

        // HAProxy's own notices in the same stream are rejected, not misread.
        for line in lines where !line.contains("[22/") && !line.contains(" [") {
            if case .success(let p) = Scan.line(line) { Issue.record("notice parsed as request: \(line) -> \(p)") }
        }
    }
}
