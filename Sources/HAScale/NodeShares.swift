/// A count that each HAProxy node logs of its own share only, summed back to the pool's.
///
/// With several nodes balancing the same servers, a request's `srv_conn` is the
/// connections *its* node had open to the server, and `beconn` its node's to the
/// backend: one node's share of what the server carries. The load model fits
/// latency against what the server carries, so it needs the pool's figure: the
/// request's own count plus every other node's latest, as their requests last
/// logged it. A node whose last request is older than ``freshFor`` is counted as
/// carrying nothing: a node that logs nothing for that long sends that server next to no traffic.
public struct NodeShares: Sendable, Equatable {
    private var values: [Int32] = []
    private var at: [Duration] = []

    /// How long a node's last count stands for its share.
    public static let freshFor = Duration.seconds(2)

    public init() {}

    /// Takes `value` as `node`'s count now (`node` in `0..<nodes`) and answers the pool's.
    public mutating func pooled(_ value: Int32, node: Int, of nodes: Int, at now: Duration) -> Int32 {
        if values.count < nodes {
            values += repeatElement(0, count: nodes - values.count)
            at += repeatElement(.zero, count: nodes - at.count)
        }
        values[node] = value
        at[node] = now
        var sum: Int32 = 0
        for k in 0..<nodes where k == node || now - at[k] <= Self.freshFor { sum &+= values[k] }
        return sum
    }
}
