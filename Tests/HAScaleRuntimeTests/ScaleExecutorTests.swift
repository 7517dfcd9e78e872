import Foundation
import HAProxyNames
import HAProxySocket
import HAScale
@testable import HAScaleRuntime
import HAScaleTestKit
import Synchronization
import Testing

func inventoryServer(_ name: String, url: String?, alwaysUp: Bool = false) throws -> Inventory.Server {
    Inventory.Server(name: try ProxyName(name), active: false, alwaysUp: alwaysUp, warmupURL: url, weight: nil, priority: 0)
}

@Suite("Executor against a real HAProxy", .serialized)
struct ScaleExecutorTests {
    @Test func enableAfterSuccessfulWarmUp() async throws {
        let lab = try RuntimeAPILab()
        defer { lab.stop() }
        let exec = ScaleExecutor(api: OffloadedRuntimeAPI(lab.api))
        let ref = try ServerRef(backend: "app", server: "s4")
        // s4 shares the "good" backend process with s1; take s1 out so traffic must go to s4.
        try await exec.scaleUp(ref, server: inventoryServer("s4", url: "http://\(lab.good.address)/warmup"), warmUp: WarmUp())
        #expect(try lab.state("s4").inService)
        #expect(try lab.state("s4").weight == 10)
        _ = HTTPGet.get(port: lab.port, path: "/proxied")
        let seen = lab.good.requests
        let warm = try #require(seen.first { $0.path == "/warmup" })
        let proxied = try #require(seen.first { $0.path == "/proxied" })
        #expect(warm.sequence < proxied.sequence, "the warm-up must reach the server before any proxied request")
    }

    @Test func tcpStatsSocketAndShowServersConn() async throws {
        let app = try HTTPTestBackend(name: "app", behaviour: .ok())
        defer { app.shutdown() }
        let tcp = try FreePort.next()
        let haproxy = try HAProxyProcess(configBody: """
            backend app
              server s1 \(app.address) weight 10
              server s2 \(app.address) weight 10 disabled
            """, extraGlobal: "  stats socket ipv4@127.0.0.1:\(tcp) level admin")
        defer { haproxy.stop() }
        let api = RuntimeAPIClient(address: try RuntimeAPIAddress(parsing: "ipv4@127.0.0.1:\(tcp)"))
        let conns = try ServerConnRow.parse(api.send(.showServersConn(try ProxyName("app"))), address: "tcp")
        #expect(conns.map { "\($0.backend)/\($0.server)" } == ["app/s1", "app/s2"])
        #expect(conns.allSatisfy { $0.usedCurrent == 0 && $0.idleCurrent >= 0 })
        // The executor works the same over TCP.
        let exec = ScaleExecutor(api: OffloadedRuntimeAPI(api))
        try await exec.scaleUp(try ServerRef(backend: "app", server: "s2"), server: inventoryServer("s2", url: nil), warmUp: WarmUp())
        #expect(try ServerStateRow.parse(api.send(.showServersState(nil)), address: "tcp").first { $0.server == "s2" }?.inService == true)
        #expect(try await exec.connections()?.count == 2)
    }

    @Test func rampsTheWeightInStepsWithoutSlowstart() async throws {
        let lab = try RuntimeAPILab()
        defer { lab.stop() }
        let exec = ScaleExecutor(api: OffloadedRuntimeAPI(lab.api))
        let sent = Mutex<[String]>([])
        let start = ContinuousClock.now
        try await exec.scaleUp(try ServerRef(backend: "app", server: "s4"), server: inventoryServer("s4", url: nil), warmUp: WarmUp(),
                               ramp: .milliseconds(400)) { line in sent.withLock { $0.append(line) } }
        let elapsed = ContinuousClock.now - start
        let weights = sent.withLock { $0 }.compactMap { $0.hasPrefix("send: set weight app/s4 ") ? Int($0.split(separator: " ").last!) : nil }
        #expect(weights == [2, 4, 6, 8, 10], "\(sent.withLock { $0 })")
        #expect(sent.withLock { $0 }.firstIndex(of: "send: set server app/s4 state ready") == 1, "ready right after the first, small weight")
        #expect(elapsed >= .milliseconds(400))
        #expect(try lab.state("s4").weight == 10)
    }

    @Test func leavesTheRampToHAProxysSlowstart() async throws {
        let app = try HTTPTestBackend(name: "app", behaviour: .ok())
        defer { app.shutdown() }
        let haproxy = try HAProxyProcess(configBody: """
            backend app
              server s1 \(app.address) weight 10
              server s2 \(app.address) weight 10 slowstart 30s disabled
            """)
        defer { haproxy.stop() }
        let exec = ScaleExecutor(api: OffloadedRuntimeAPI(RuntimeAPIClient(address: .unix(path: haproxy.socketPath))))
        let sent = Mutex<[String]>([])
        try await exec.scaleUp(try ServerRef(backend: "app", server: "s2"), server: inventoryServer("s2", url: nil), warmUp: WarmUp(),
                               ramp: .seconds(30)) { line in sent.withLock { $0.append(line) } }
        let lines = sent.withLock { $0 }
        #expect(lines.contains { $0.hasPrefix("HAProxy's slowstart is ramping app/s2") }, "\(lines)")
        #expect(lines.last == "send: set weight app/s2 10", "the full weight at once; HAProxy ramps the effective one")
    }

    @Test func noEnableAfterFailedOrTimedOutWarmUp() async throws {
        let lab = try RuntimeAPILab()
        defer { lab.stop() }
        let exec = ScaleExecutor(api: OffloadedRuntimeAPI(lab.api))
        let quick = WarmUp(timeout: .milliseconds(300), attempts: 2, backoff: .milliseconds(50))
        await #expect(throws: ScaleError.self) {
            try await exec.scaleUp(try ServerRef(backend: "app", server: "s2"),
                                   server: try inventoryServer("s2", url: "http://\(lab.failing.address)/"), warmUp: quick)
        }
        #expect(lab.failing.requests.count == 2, "two warm-up attempts")
        #expect(try lab.state("s2").inMaintenance)
        do {
            try await exec.scaleUp(try ServerRef(backend: "app", server: "s3"),
                                   server: try inventoryServer("s3", url: "http://\(lab.hanging.address)/"), warmUp: quick)
            Issue.record("a hanging warm-up must fail")
        } catch {
            guard case .warmupFailed(let server, _) = error as? ScaleError else { Issue.record("wrong error \(error)"); return }
            #expect(server == "app/s3")
        }
        #expect(try lab.state("s3").inMaintenance)
    }

    @Test func drainWaitsForInFlightRequest() async throws {
        let lab = try RuntimeAPILab()
        defer { lab.stop() }
        let exec = ScaleExecutor(api: OffloadedRuntimeAPI(lab.api))
        try await exec.scaleUp(try ServerRef(backend: "app", server: "s4"), server: inventoryServer("s4", url: nil), warmUp: WarmUp())
        // Make s1 the only target for a slow request: take s4 down again first? No: make all requests slow.
        lab.good.behaviour = .ok(latency: .milliseconds(1500))
        let port = lab.port
        let slow = Task.detached { HTTPGet.get(port: port, path: "/slow") }
        // Wait (bounded) until the request is in flight at the backend.
        let deadline = Date().addingTimeInterval(5)
        while lab.good.inFlight == 0 {
            guard Date() < deadline else { Issue.record("the slow request never reached the backend"); return }
            try await Task.sleep(for: .milliseconds(10))
        }
        let stats = try StatRow.parse(lab.api.send(.showStat), address: "lab")
        let busy = try #require(stats.first { $0.proxy == "app" && $0.currentSessions > 0 && $0.isServer })
        try await exec.scaleDown(try ServerRef(backend: "app", server: busy.service), server: nil, drainTimeout: .seconds(10))
        // Judged by state, not by time (a loaded machine may eat most of the 1.5 s before the
        // drain starts): when scaleDown returns, the slow request must be done at the backend.
        #expect(lab.good.inFlight == 0, "maintenance came only after the slow request finished")
        let answer = await slow.value
        #expect(answer?.status == 200, "the in-flight request completed")
        #expect(try lab.state(busy.service).inMaintenance)
    }

    @Test func lastServerIsNeverDisabled() async throws {
        let lab = try RuntimeAPILab()
        defer { lab.stop() }
        let exec = ScaleExecutor(api: OffloadedRuntimeAPI(lab.api))
        await #expect(throws: ScaleError.lastServerInService("app/s1")) {
            try await exec.scaleDown(try ServerRef(backend: "app", server: "s1"), server: nil, drainTimeout: .seconds(1))
        }
        #expect(try lab.state("s1").inService)
        await #expect(throws: ScaleError.alwaysUp("app/s1")) {
            try await exec.scaleDown(try ServerRef(backend: "app", server: "s1"),
                                     server: try inventoryServer("s1", url: nil, alwaysUp: true), drainTimeout: .seconds(1))
        }
    }
}
