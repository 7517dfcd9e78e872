/// A count that each HAProxy node logs of its own share only, summed back to the pool's.
///
/// With several nodes balancing the same servers, a request's `srv_conn` is the
/// connections *its* node had open to the server, and `beconn` its node's to the
/// backend: one node's share of what the server carries. The load model fits
/// latency against what the server carries, so it needs the pool's figure: the
/// request's own count plus what every other node still had open when it last
/// logged. A logged count includes the request being logged, which ends then, so
/// another node's share is its last count less one (a node whose one client moves
/// from server to server holds nothing on the one it left). A node whose last
/// request is older than ``freshFor`` is counted as carrying nothing: a node that
/// logs nothing for that long sends that server next to no traffic.
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
        for k in 0..<nodes where now - at[k] <= Self.freshFor {
            sum &+= k == node ? values[k] : max(0, values[k] &- 1)
        }
        return sum
    }
}
