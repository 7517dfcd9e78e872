/// The recent samples of one backend's metric: the last `maxCount` requests,
/// of which only those younger than `maxAge` count (when set).
///
/// A fixed ring: adding never allocates once it is full, the mean is kept as
/// a running sum, and a percentile sorts a copy into a reused scratch buffer,
/// so an evaluation costs at most `maxCount` log `maxCount` and usually 15 —
/// and nothing when the samples did not change since the last one (the daemon
/// evaluates on every turn of its loop, most of them without new requests).
public struct RollingWindow: Sendable {
    /// How many samples a time-only window keeps at most (the newest win).
    public static let timeOnlyCapacity = 4096

    public let maxCount: Int
    public let maxAge: Duration?
    private var times: [Duration]
    private var values: [Int32]
    /// Who each sample came from (a managed server's index, -1 for none).
    private var tags: [Int32]
    /// Index of the oldest sample.
    private var head = 0
    public private(set) var count = 0
    private var sum: Int64 = 0
    private var scratch: [Int32] = []
    /// The last percentile computed, valid until the samples change.
    private var cachedPercentile: (kind: Inventory.Policy.Aggregate, value: Double)?

    public init(requests: Int, seconds: Double) {
        maxCount = requests > 0 ? requests : Self.timeOnlyCapacity
        maxAge = seconds > 0 ? .seconds(seconds) : nil
        times = Array(repeating: .zero, count: maxCount)
        values = Array(repeating: 0, count: maxCount)
        tags = Array(repeating: -1, count: maxCount)
    }

    public init(policy: Inventory.Policy) {
        self.init(requests: policy.windowRequests, seconds: policy.windowSeconds)
    }

    public var isEmpty: Bool { count == 0 }
    public var isFull: Bool { count == maxCount }

    public mutating func add(_ value: Int32, at time: Duration, tag: Int32 = -1) {
        if count == maxCount {
            sum -= Int64(values[head])
            values[head] = value
            times[head] = time
            tags[head] = tag
            head = head + 1 == maxCount ? 0 : head + 1
        } else {
            let i = (head + count) % maxCount
            values[i] = value
            times[i] = time
            tags[i] = tag
            count += 1
        }
        sum += Int64(value)
        cachedPercentile = nil
    }

    /// Drops samples older than `maxAge` at `now`.
    public mutating func expire(at now: Duration) {
        guard let maxAge else { return }
        while count > 0, now - times[head] > maxAge {
            sum -= Int64(values[head])
            head = head + 1 == maxCount ? 0 : head + 1
            count -= 1
            cachedPercentile = nil
        }
    }

    /// Drops the samples added with `tag`, keeping the others in order: how an
    /// outlier's requests leave the backend's window once it is detected.
    public mutating func remove(tag: Int32) {
        var kept: [(Duration, Int32, Int32)] = []
        for k in 0..<count {
            let i = (head + k) % maxCount
            if tags[i] != tag { kept.append((times[i], values[i], tags[i])) }
        }
        removeAll()
        for (t, v, g) in kept { add(v, at: t, tag: g) }
    }

    public mutating func removeAll() {
        head = 0
        count = 0
        sum = 0
        cachedPercentile = nil
    }

    /// The mean of the samples; nil when empty.
    public var mean: Double? { count > 0 ? Double(sum) / Double(count) : nil }

    /// The fastest sample: the floor that more servers cannot lower.
    public var minimum: Double? {
        guard count > 0 else { return nil }
        var m = Int32.max
        for k in 0..<count { m = Swift.min(m, values[(head + k) % maxCount]) }
        return Double(m)
    }

    /// The mean or a percentile (nearest rank) of the samples; nil when empty.
    public mutating func aggregate(_ kind: Inventory.Policy.Aggregate) -> Double? {
        guard count > 0 else { return nil }
        let p: Double
        switch kind {
        case .mean: return Double(sum) / Double(count)
        case .p50: p = 50
        case .p90: p = 90
        case .p95: p = 95
        case .p99: p = 99
        }
        if let c = cachedPercentile, c.kind == kind { return c.value }
        scratch.removeAll(keepingCapacity: true)
        for k in 0..<count { scratch.append(values[(head + k) % maxCount]) }
        scratch.sort()
        let rank = max(1, Int((p / 100 * Double(count)).rounded(.up)))
        let value = Double(scratch[rank - 1])
        cachedPercentile = (kind, value)
        return value
    }
}
