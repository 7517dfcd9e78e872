import HAProxyNames
import HAProxySocket
import HAScale
import LogParser

/// Which HAProxy node logged a line, when several log to one controller.
///
/// By the datagram's source address first: a node's runtime socket address
/// (`ipv4@10.0.0.1:9999`) is the address it logs from to a controller on its
/// network, and a node reached through a Unix socket is this host, logging from
/// loopback. Else by the syslog header's HOSTNAME, matched to the node's name
/// (`lb1`, or `lb1.example.com`): what tells the nodes apart when their logs come
/// through a relay (rsyslog forwarding, one file for all) or HAProxy sends
/// `log-send-hostname`. A line neither names is not attributed, and its
/// counters (its node's share of the connections) are not counted.
public struct NodeAttribution: Sendable {
    /// The nodes, in the inventory's order: what an index answered stands for.
    public let names: [ProxyName]
    /// The addresses a receiver tells apart (``DatagramLogReceiver``'s `senders`),
    /// and the node each one is.
    public let senders: [IPAddress]
    let senderNodes: [Int]
    let hostnames: [[UInt8]]
    /// Addresses more than one node would log from: told apart only by hostname.
    public let ambiguous: [IPAddress]

    public init(nodes: [Inventory.Node]) {
        names = nodes.map(\.name)
        var owner: [IPAddress: Int] = [:], shared: Set<IPAddress> = []
        var order: [IPAddress] = []
        for (i, node) in nodes.enumerated() {
            for a in Self.addresses(logging: node.socket) {
                if let o = owner[a], o != i { shared.insert(a) } else if owner[a] == nil {
                    owner[a] = i
                    order.append(a)
                }
            }
        }
        let kept = order.filter { !shared.contains($0) }.prefix(DatagramLogReceiver.maximumSenders)
        senders = Array(kept)
        senderNodes = kept.map { owner[$0]! }
        ambiguous = order.filter { shared.contains($0) }
        hostnames = nodes.map { Array($0.name.value.lowercased().utf8) }
    }

    /// How lines are told apart, for the start-up log.
    public var summary: String {
        let byAddress = zip(senders, senderNodes).map { "\($0) → \(names[$1].value)" }
        return (byAddress.isEmpty ? "" : "sender address (\(byAddress.joined(separator: ", "))), else ")
            + "syslog hostname (\(names.map(\.value).joined(separator: ", ")))"
    }

    /// The addresses a node with this runtime socket sends its log from.
    static func addresses(logging socket: String) -> [IPAddress] {
        guard let address = try? RuntimeAPIAddress(parsing: socket) else { return [] }
        switch address {
        case .unix: return [.v4(0x7F00_0001), IPAddress("::1")!]
        case .tcp(let host, _, _): return IPAddress(host).map { [$0] } ?? []
        }
    }

    /// The node that logged `line` (an index into ``names``), or -1.
    /// `sender`: ``LogStreamEvent/line(_:sender:)``'s index into ``senders``.
    public func node(sender: Int, _ record: LogRecord, line: UnsafeRawBufferPointer) -> Int {
        if sender >= 0, sender < senderNodes.count { return senderNodes[sender] }
        guard let host = record.syslogHostname(in: line) else { return -1 }
        let bytes = host.bytes(in: line)
        for (i, name) in hostnames.enumerated() where Self.names(bytes, name) { return i }
        return -1
    }

    /// `host` is `name` or `name.`-something, in any case.
    static func names(_ host: UnsafeRawBufferPointer, _ name: [UInt8]) -> Bool {
        guard host.count >= name.count, host.count == name.count || host[name.count] == UInt8(ascii: ".") else { return false }
        for k in name.indices {
            var c = host[k]
            if c >= 65 && c <= 90 { c |= 0x20 }
            if c != name[k] { return false }
        }
        return true
    }
}
