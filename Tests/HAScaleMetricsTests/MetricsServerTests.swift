import Foundation
import HAScale
@testable import HAScaleMetrics
@testable import HAScaleRuntime
import HAScaleTestKit
import Testing

@Suite("The /metrics endpoint", .serialized)
struct MetricsServerTests {
    static func start(timeout: Duration = .seconds(10), maximumConnections: Int = 64) async throws -> (MetricsServer, PublishedSnapshot) {
        let published = PublishedSnapshot()
        published.publish(SnapshotFixture.make())
        let server = try await MetricsServer(endpoint: IPEndpoint(address: .v4(0x7f00_0001), port: 0), snapshot: published, version: "9.9.9",
                                             requestTimeout: timeout, maximumConnections: maximumConnections)
        return (server, published)
    }

    @Test func getMetricsAnswersThePublishedSnapshot() async throws {
        let (server, published) = try await Self.start()
        defer { Task { await server.stop() } }
        let port = Int(server.endpoint.port)
        let r = try HTTPProbe.request(port: port, path: "/metrics")
        #expect(r.status == 200)
        #expect(r.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(r.headers["content-length"] == String(r.body.utf8.count))
        #expect(r.body.contains(#"hascale_servers{backend="app.v2:blue",state="serving"} 2"#), "\(r.body)")
        #expect(r.body.contains(#"hascale_build_info{version="9.9.9"}"#))
        // The next scrape sees the next snapshot, and nothing in between.
        var next = SnapshotFixture.make()
        next.backends[0].active = 3
        published.publish(next)
        #expect(try HTTPProbe.request(port: port, path: "/metrics?debug=1").body.contains(#"state="serving"} 3"#), "a query string is ignored")
    }

    @Test(arguments: [("GET", "/"), ("GET", "/metrics/"), ("GET", "/status.json"), ("POST", "/metrics"), ("HEAD", "/metrics"), ("PUT", "/metrics")])
    func anythingButGetMetricsIsNotFound(method: String, path: String) async throws {
        let (server, _) = try await Self.start()
        defer { Task { await server.stop() } }
        let r = try HTTPProbe.request(method, port: Int(server.endpoint.port), path: path, body: method == "POST" || method == "PUT" ? "x=1" : "")
        #expect(r.status == 404, "\(method) \(path)")
        #expect(!r.body.contains("hascale_"), "nothing of the metrics on \(method) \(path)")
    }

    @Test func aSilentClientNeitherBlocksAScrapeNorStaysForever() async throws {
        let (server, _) = try await Self.start(timeout: .milliseconds(500))
        defer { Task { await server.stop() } }
        let port = Int(server.endpoint.port)
        // Connects and sends nothing; another sends half a request head and stops.
        let silent = try HTTPProbe.connect(port: port, timeout: 5)
        defer { close(silent) }
        let half = try HTTPProbe.connect(port: port, timeout: 5)
        defer { close(half) }
        try HTTPProbe.send(half, "GET /metrics HTTP/1.1\r\nHost: x\r\n")
        let started = Date()
        let r = try HTTPProbe.request(port: port, path: "/metrics", timeout: 2)
        #expect(r.status == 200)
        #expect(Date().timeIntervalSince(started) < 0.4, "the scrape was not held up by the silent clients")
        // Both are cut off once their request time-out passes (well before the probe's 5 s).
        #expect(HTTPProbe.closedByServer(silent), "the silent client is disconnected")
        #expect(HTTPProbe.closedByServer(half), "the half request is disconnected")
        #expect(Date().timeIntervalSince(started) < 3)
    }

    @Test func aKeepAliveConnectionServesScrapeAfterScrape() async throws {
        let (server, _) = try await Self.start()
        defer { Task { await server.stop() } }
        let fd = try HTTPProbe.connect(port: Int(server.endpoint.port), timeout: 5)
        defer { close(fd) }
        try HTTPProbe.send(fd, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let all = String(decoding: try HTTPProbe.readToEnd(fd), as: UTF8.self)
        #expect(all.components(separatedBy: "HTTP/1.1 200 OK").count == 3, "two answers of 200: \(all.prefix(300))")
        #expect(all.components(separatedBy: "HTTP/1.1 404 Not Found").count == 2)
    }

    @Test func aMalformedRequestIsRefusedAndClosed() async throws {
        let (server, _) = try await Self.start()
        defer { Task { await server.stop() } }
        let fd = try HTTPProbe.connect(port: Int(server.endpoint.port), timeout: 5)
        defer { close(fd) }
        try HTTPProbe.send(fd, "\u{1}\u{2} NOT HTTP\r\n\r\n")
        let answer = String(decoding: try HTTPProbe.readToEnd(fd), as: UTF8.self)
        #expect(answer.hasPrefix("HTTP/1.1 400"), "\(answer.debugDescription)")
    }

    @Test func aBodyBeyondTheCapClosesTheConnection() async throws {
        let (server, _) = try await Self.start()
        defer { Task { await server.stop() } }
        let fd = try HTTPProbe.connect(port: Int(server.endpoint.port), timeout: 5)
        defer { close(fd) }
        let size = MetricsRequestHandler.maximumBodyBytes * 2
        try HTTPProbe.send(fd, "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: \(size)\r\n\r\n" + String(repeating: "x", count: size))
        let answer = (try? HTTPProbe.readToEnd(fd)) ?? []
        #expect(answer.isEmpty, "closed without an answer: \(String(decoding: answer.prefix(100), as: UTF8.self))")
    }

    @Test func connectionsBeyondTheLimitAreClosedAndTheSlotsComeBack() async throws {
        let (server, _) = try await Self.start(timeout: .milliseconds(400), maximumConnections: 2)
        defer { Task { await server.stop() } }
        let port = Int(server.endpoint.port)
        let held = try (0..<2).map { _ in try HTTPProbe.connect(port: port, timeout: 5) }
        defer { held.forEach { close($0) } }
        // Give the server a moment to admit both before the third arrives.
        try await Task.sleep(for: .milliseconds(100))
        #expect((try? HTTPProbe.request(port: port, path: "/metrics", timeout: 2))?.status == nil, "a third connection is closed at once")
        // The silent two time out; then scrapes get through again.
        for fd in held { #expect(HTTPProbe.closedByServer(fd)) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(try HTTPProbe.request(port: port, path: "/metrics").status == 200)
    }

    @Test func aPortInUseIsRefusedWithWhatToDo() async throws {
        let (server, published) = try await Self.start()
        defer { Task { await server.stop() } }
        do {
            _ = try await MetricsServer(endpoint: server.endpoint, snapshot: published, version: "x")
            Issue.record("a second server bound the same port")
        } catch {
            #expect(error.description.contains("cannot serve /metrics on 127.0.0.1:\(server.endpoint.port)"), "\(error)")
            #expect(error.description.contains("choose a free port with --metrics"), "\(error)")
        }
    }
}
