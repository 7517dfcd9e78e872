import LogParser

/// Several HAProxy nodes logging to one controller: whose each request line is
/// (``NodeAttribution``), how many each sent, and which one went quiet.
///
/// A node whose log stops while the others' goes on is still balancing its share
/// of the traffic, unseen: the pool's metric and load then miss it. That is an
/// operator's to fix (its `log` line, a firewall, the allowed senders), so the
/// loop warns of it (``quietNodes(at:)``) instead of scaling on half the picture in silence.
struct NodeLog {
    let attribution: NodeAttribution
    private(set) var requests: [UInt64]
    private(set) var lastAt: [Duration?]
    private(set) var unattributed: UInt64 = 0
    /// Nodes warned of as quiet, until their log is back.
    private var warnedQuiet: Set<Int> = []
    private var total: UInt64 = 0
    /// The other nodes' requests at each node's last one.
    private var othersAtLast: [UInt64]

    /// A node is quiet when it has logged nothing for this long while the others logged ``quietAfterOthers``.
    static let quietAfter = Duration.seconds(30)
    static let quietAfterOthers: UInt64 = 100

    init(_ attribution: NodeAttribution) {
        self.attribution = attribution
        requests = Array(repeating: 0, count: attribution.names.count)
        lastAt = Array(repeating: nil, count: attribution.names.count)
        othersAtLast = Array(repeating: 0, count: attribution.names.count)
    }

    /// The node of one request line (-1: none told), counted.
    @inline(__always)
    mutating func attribute(sender: Int, _ record: LogRecord, line: UnsafeRawBufferPointer, at now: Duration) -> Int {
        let node = attribution.node(sender: sender, record, line: line)
        guard node >= 0 else {
            unattributed &+= 1
            return -1
        }
        requests[node] &+= 1
        total &+= 1
        lastAt[node] = now
        othersAtLast[node] = total &- requests[node]
        return node
    }

    /// What changed since the last call: nodes that went quiet (to warn of once)
    /// and nodes whose log is back.
    mutating func quietNodes(at now: Duration) -> (quiet: [String], back: [String]) {
        var quiet: [String] = [], back: [String] = []
        for i in requests.indices {
            let othersSince = total &- requests[i] &- othersAtLast[i]
            if lastAt[i] == nil || now - lastAt[i]! >= Self.quietAfter {
                if othersSince >= Self.quietAfterOthers, !warnedQuiet.contains(i) {
                    warnedQuiet.insert(i)
                    quiet.append(attribution.names[i].value)
                }
            } else if warnedQuiet.remove(i) != nil {
                back.append(attribution.names[i].value)
            }
        }
        return (quiet, back)
    }
}
