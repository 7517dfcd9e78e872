import HAProxyNames
import HAProxySocket
import HAScale
import Synchronization

/// Several HAProxy nodes that balance the same servers, seen and moved as one pool.
///
/// Reads merge the nodes in step: a server serves only where it serves on every
/// one of them (its admin bits ORed, its weight the lowest, its operational
/// state the worst), and its sessions are summed, so a drain waits for the
/// whole pool. Commands go to every node; one that is unreachable or refuses
/// does not stop the others: it is marked out of step, left out of the merged
/// view, and brought to the pool's state (``bringInStep(_:)``) once it answers.
public final class HAProxyNodes: Sendable {
    public struct Node: Sendable {
        public var name: String
        public var api: any RuntimeAPI
        public init(name: String, api: any RuntimeAPI) {
            self.name = name
            self.api = api
        }
    }

    public let nodes: [Node]
    /// Node name → why it is out of step.
    let outOfStep = Mutex<[String: String]>([:])

    public init(_ nodes: [Node]) {
        precondition(!nodes.isEmpty, "a pool needs a node")
        self.nodes = nodes
    }

    public var description: String { nodes.map { "\($0.name) (\($0.api.addressDescription))" }.joined(separator: ", ") }

    /// Nodes out of step now, with why.
    public var outOfStepNodes: [String: String] { outOfStep.withLock { $0 } }

    public func markOutOfStep(_ name: String, _ why: String) {
        outOfStep.withLock { if $0[name] == nil { $0[name] = why } }
    }

    var inStep: [Node] {
        let out = outOfStepNodes
        let nodes = self.nodes.filter { out[$0.name] == nil }
        // With every node out of step there is no reference: read them all.
        return nodes.isEmpty ? self.nodes : nodes
    }

    /// Sends `command` to every node; throws only when no node took it.
    func perform(_ command: RuntimeCommand) async throws(ScaleError) {
        var firstError: RuntimeAPIError?
        var took = 0
        for node in nodes {
            do {
                _ = try await node.api.send(command)
                took += 1
            } catch {
                firstError = firstError ?? error
                markOutOfStep(node.name, "`\(command)` failed: \(error)")
            }
        }
        if took == 0, let firstError { throw .api(firstError) }
    }

    /// Each node's answer to `read`, nodes that do not answer marked out of step.
    func each<T>(_ from: [Node], _ read: (Node) async throws(ScaleError) -> T) async -> [(Node, T)] {
        var answers: [(Node, T)] = []
        for node in from {
            do { answers.append((node, try await read(node))) } catch {
                markOutOfStep(node.name, "it does not answer: \(error)")
            }
        }
        return answers
    }

    static func states(_ node: Node, _ backend: ProxyName?) async throws(ScaleError) -> [ServerStateRow] {
        do { return try ServerStateRow.parse(try await node.api.send(.showServersState(backend)), address: node.api.addressDescription) } catch { throw .api(error) }
    }

    static func stats(_ node: Node) async throws(ScaleError) -> [StatRow] {
        do { return try StatRow.parse(try await node.api.send(.showStat), address: node.api.addressDescription) } catch { throw .api(error) }
    }

    static func info(_ node: Node) async throws(ScaleError) -> ProcessInfoReply {
        do { return try ProcessInfoReply.parse(try await node.api.send(.showInfo), address: node.api.addressDescription) } catch { throw .api(error) }
    }

    func serverStates(_ backend: ProxyName?) async throws(ScaleError) -> [ServerStateRow] {
        let answers = await each(inStep) { n throws(ScaleError) in try await Self.states(n, backend) }
        guard !answers.isEmpty else { throw .api(.connectFailed(address: description, errno: 0, message: "no HAProxy node answers")) }
        return Self.merge(answers.map(\.1))
    }

    func stats() async throws(ScaleError) -> [StatRow] {
        let answers = await each(inStep) { n throws(ScaleError) in try await Self.stats(n) }
        guard !answers.isEmpty else { throw .api(.connectFailed(address: description, errno: 0, message: "no HAProxy node answers")) }
        return Self.merge(answers.map(\.1))
    }

    /// Every node's process (`show info`), for reload detection per node; nodes that do not answer are left out.
    public func processInfos() async -> [String: ProcessInfoReply] {
        var infos: [String: ProcessInfoReply] = [:]
        for (node, info) in await each(nodes, { n throws(ScaleError) in try await Self.info(n) }) {
            infos[node.name] = info
        }
        return infos
    }

    /// One row per server: serving only where it serves on every node.
    static func merge(_ perNode: [[ServerStateRow]]) -> [ServerStateRow] {
        var merged = perNode[0]
        for rows in perNode.dropFirst() {
            for (i, m) in merged.enumerated() {
                guard let r = rows.first(where: { $0.backend == m.backend && $0.server == m.server }) else { continue }
                merged[i].adminBits |= r.adminBits
                merged[i].weight = min(m.weight, r.weight)
                if r.operational != .running, m.operational == .running { merged[i].operational = r.operational }
            }
        }
        return merged
    }

    /// One row per server: sessions and queues summed, DOWN where any node has it DOWN.
    static func merge(_ perNode: [[StatRow]]) -> [StatRow] {
        var merged = perNode[0]
        for rows in perNode.dropFirst() {
            for (i, m) in merged.enumerated() {
                guard let r = rows.first(where: { $0.proxy == m.proxy && $0.service == m.service }) else { continue }
                merged[i].currentSessions += r.currentSessions
                merged[i].queued += r.queued
                merged[i].weight = min(m.weight, r.weight)
                if r.status.hasPrefix("DOWN") || r.status.hasPrefix("MAINT") { merged[i].status = r.status }
                if merged[i].checkStatus.isEmpty { merged[i].checkStatus = r.checkStatus }
            }
        }
        return merged
    }

    /// Brings an out-of-step node that answers again to the pool's state (the
    /// merged view of the nodes in step): each server's weight and admin state.
    /// Answers the commands sent, or nil when the node still does not answer.
    public func bringInStep(_ name: String) async -> [RuntimeCommand]? {
        guard let node = nodes.first(where: { $0.name == name }) else { return nil }
        let others = nodes.filter { $0.name != name && outOfStepNodes[$0.name] == nil }
        guard !others.isEmpty else {
            // No node to take the pool's state from: this one is the reference again.
            outOfStep.withLock { $0[name] = nil }
            return []
        }
        let answers = await each(others) { n throws(ScaleError) in try await Self.states(n, nil) }
        guard !answers.isEmpty, let mine = try? await Self.states(node, nil) else { return nil }
        let pool = Self.merge(answers.map(\.1))
        var sent: [RuntimeCommand] = []
        for want in pool {
            guard let have = mine.first(where: { $0.backend == want.backend && $0.server == want.server }),
                  let ref = try? ServerRef(backend: ProxyName(want.backend), server: ProxyName(want.server)) else { continue }
            var commands: [RuntimeCommand] = []
            if have.weight != want.weight { commands.append(.setWeight(ref, .absolute(want.weight))) }
            let wanted: RuntimeCommand.ServerState = want.inMaintenance ? .maint : want.draining ? .drain : .ready
            let had: RuntimeCommand.ServerState = have.inMaintenance ? .maint : have.draining ? .drain : .ready
            if wanted != had { commands.append(.setServerState(ref, wanted)) }
            for c in commands {
                do { _ = try await node.api.send(c) } catch { return nil }
                sent.append(c)
            }
        }
        outOfStep.withLock { $0[name] = nil }
        return sent
    }
}
