/// A backend's latency against the concurrency each server carries, learnt from
/// its own log: `metric ≈ a + b × conns/server`.
///
/// One server at a time is the safe answer when nothing says how many are
/// needed; a flash crowd then waits one cooldown per server. Every logged
/// request carries the load its server had (`srv_conn`) and its backend had
/// (`beconn`), so the log itself says how latency grows with load, and how
/// many servers bring it back under the threshold. The model is only used when
/// the log shows that relation plainly: enough distinct concurrency levels, a
/// rising line, a fit that explains most of the spread. Otherwise the caller
/// falls back to one step at a time and says why (``Distrust``).
///
/// How latency grows with load is the app's property, not the traffic's, so
/// the fit looks back half an hour (a quiet night is judged with what the busy
/// evening taught); the load now looks back a few seconds. Samples are summed
/// per concurrency level into ten-second slices: adding is constant time with
/// no allocation, and a fit reads at most `slices × levels` sums, whatever the
/// request rate.
public struct LoadModel: Sendable {
    /// Concurrency levels kept apart: 0 to 31 each, then eight at a time up to 287.
    static let levels = 64
    /// How far back the fit looks, in slices of ``sliceSeconds``.
    public static let horizonSeconds = 1800
    static let sliceSeconds: Int64 = 10
    static var sliceCount: Int { horizonSeconds / Int(sliceSeconds) }
    /// The load now: at most this many tenths of a second back.
    static let recentTicks: Int64 = 30
    static func tick(_ t: Duration) -> Int64 {
        let (s, a) = t.components
        return s * 10 + a / 100_000_000_000_000_000
    }
    /// A level counts toward the fit with at least this many requests.
    static let minPerLevel = 3
    /// The fit must explain at least this share of the spread between levels.
    public static let minimumR2 = 0.5

    /// Why the model is not used for a decision.
    public enum Distrust: Error, Sendable, Equatable {
        /// Fewer than three concurrency levels with enough requests each.
        case fewLevels(Int)
        /// Latency does not rise with concurrency: the servers are not what is slow.
        case slopeNotPositive(Double)
        /// The line explains too little of the spread (R²).
        case poorFit(Double)
        /// The target lies at or below the latency of an idle server (`a`): no
        /// number of servers reaches it.
        case unreachable(targetMs: Double, interceptMs: Double)
    }

    /// `metric ≈ interceptMs + slopeMs × conns/server`, from `samples` requests over `levels` concurrency levels.
    public struct Fit: Sendable, Equatable {
        public var interceptMs: Double
        public var slopeMs: Double
        public var r2: Double
        public var levels: Int
        public var samples: Int
        /// `srv_conn` counts the logged request itself (the log holds no 0).
        public var selfCounted: Bool

        public init(interceptMs: Double, slopeMs: Double, r2: Double, levels: Int, samples: Int, selfCounted: Bool = false) {
            self.interceptMs = interceptMs
            self.slopeMs = slopeMs
            self.r2 = r2
            self.levels = levels
            self.samples = samples
            self.selfCounted = selfCounted
        }

        /// The metric at `perServer` connections per server.
        public func latency(perServer: Double) -> Double { interceptMs + slopeMs * perServer }

        /// The metric expected with `servers` in service, under `load` carried by
        /// `active` servers now. By Little's law each server holds `rate × T / n`
        /// requests, so with the fitted line `T = a′ / (1 − rate × b / n)` (`a′` the
        /// latency of a request alone): right for open traffic, where a smaller
        /// pool makes every request slower and so more of them in flight. For a
        /// fixed number of clients (the connections in flight steady) the same
        /// connections spread over the new pool is the other bound, and the worse
        /// of the two is taken; a backlog growing fast is open traffic beyond capacity
        /// and drains once servers arrive, so it is not spread; while it grows, the
        /// pool's completions are its capacity. Infinity when the
        /// rate cannot be served by `servers` at all.
        public func predict(servers: Int, active: Int, load: Load) -> Double {
            guard servers > 0 else { return .infinity }
            let own = selfCounted ? 1.0 : 0
            let alone = interceptMs + slopeMs * own
            let perMs = load.arrivals / 1000
            var utilisation = perMs * slopeMs / Double(servers)
            if load.backlogGrowing, load.completions > 0 {
                // Saturated: the pool completes what it can, so its capacity is measured,
                // not inferred from a line fitted at lower loads (which flattens there).
                let capacity = load.completions / Double(max(active, 1))
                utilisation = max(utilisation, load.arrivals / (capacity * Double(servers)))
            }
            let open = utilisation < 1 ? alone / (1 - utilisation) : .infinity
            guard !load.overloaded else { return open }
            let inFlight = max(max(0, load.perServer - own) * Double(max(active, 1)), (load.backendConns ?? 0) - own)
            let spread = latency(perServer: inFlight / Double(servers) + own)
            return max(open, spread)
        }
    }

    /// The model's answer for a target: the smallest pool whose prediction is under it.
    public struct Sizing: Sendable, Equatable {
        public var fit: Fit
        /// The load now, with `active` serving.
        public var load: Load
        public var active: Int
        /// The pool the model asks for (`maxActive` when even that does not reach the target).
        public var servers: Int
        public var predictedMs: Double
        public var targetMs: Double

        public init(fit: Fit, load: Load, active: Int, servers: Int, predictedMs: Double, targetMs: Double) {
            self.fit = fit
            self.load = load
            self.active = active
            self.servers = servers
            self.predictedMs = predictedMs
            self.targetMs = targetMs
        }
    }

    private var slices: [Slice]
    /// The slice number (seconds since the clock's zero / ``sliceSeconds``) each slice holds; -1 for none yet.
    private var sliceNumber: [Int64]
    /// Per tenth of a second, for the load now: requests, their summed `srv_conn` and `beconn`.
    private var recent: [(tick: Int64, requests: Int32, conns: Double, beconns: Int32, beconn: Double)]
    /// The same per second over the last minute, for the load a scale-down sizes for.
    private var perSecond: [(tick: Int64, requests: Int32, conns: Double, beconns: Int32, beconn: Double)]
    /// The last fit and the second it was made in: fits are refreshed once a second.
    private var cached: (second: Int64, result: Result<Fit, Distrust>)?
    public private(set) var samples: UInt64 = 0

    struct Slice: Sendable {
        var count = [Int32](repeating: 0, count: LoadModel.levels)
        var sumConns = [Double](repeating: 0, count: LoadModel.levels)
        var sumValue = [Double](repeating: 0, count: LoadModel.levels)

        mutating func clear() {
            for i in 0..<LoadModel.levels {
                count[i] = 0
                sumConns[i] = 0
                sumValue[i] = 0
            }
        }
    }

    public init() {
        slices = Array(repeating: Slice(), count: Self.sliceCount)
        sliceNumber = Array(repeating: -1, count: Self.sliceCount)
        recent = Array(repeating: (-1, 0, 0, 0, 0), count: Int(Self.recentTicks) + 2)
        perSecond = Array(repeating: (-1, 0, 0, 0, 0), count: Int(Self.sustainedSeconds) + 2)
    }

    static func level(_ conns: Int32) -> Int {
        conns < 32 ? Int(max(0, conns)) : min(levels - 1, 32 + Int(conns - 32) / 8)
    }

    static func second(_ t: Duration) -> Int64 { t.components.seconds }

    /// One request: `conns` is the `srv_conn` it was logged with, `beconn` its
    /// backend's (-1: not logged), `value` its metric (ms).
    /// `learn`: the request also teaches the fit. False while the backend is far
    /// past its threshold: the line describes the pool below saturation, and in a
    /// saturated pool only the shortest requests finish soon, which would bend it.
    public mutating func add(conns: Int32, beconn: Int32 = -1, value: Int32, learn: Bool = true, at now: Duration) {
        guard conns >= 0, value >= 0 else { return }
        defer { samples &+= 1 }
        Self.count(&recent, at: Self.tick(now), conns: conns, beconn: beconn)
        let second = Self.second(now)
        Self.count(&perSecond, at: second, conns: conns, beconn: beconn)
        guard learn, conns < 288 else { return }
        let n = second / Self.sliceSeconds
        let i = Int(n % Int64(Self.sliceCount))
        if sliceNumber[i] != n {
            slices[i].clear()
            sliceNumber[i] = n
        }
        let l = Self.level(conns)
        slices[i].count[l] &+= 1
        slices[i].sumConns[l] += Double(conns)
        slices[i].sumValue[l] += Double(value)
    }

    static func count(_ ring: inout [(tick: Int64, requests: Int32, conns: Double, beconns: Int32, beconn: Double)], at tick: Int64,
                      conns: Int32, beconn: Int32) {
        let r = Int(tick % Int64(ring.count))
        if ring[r].tick != tick { ring[r] = (tick, 0, 0, 0, 0) }
        ring[r].requests &+= 1
        ring[r].conns += Double(conns)
        if beconn >= 0 {
            ring[r].beconns &+= 1
            ring[r].beconn += Double(beconn)
        }
    }

    /// Forgets everything: the servers behind the backend changed (a reload, a new app).
    public mutating func removeAll() {
        for i in sliceNumber.indices { sliceNumber[i] = -1 }
        for i in recent.indices { recent[i].tick = -1 }
        for i in perSecond.indices { perSecond[i].tick = -1 }
        cached = nil
    }

    /// The load the backend carries now.
    public struct Load: Sendable, Equatable {
        /// The mean `srv_conn` of the requests.
        public var perServer: Double
        /// Requests logged per second.
        public var completions: Double
        /// Requests arriving per second: those logged plus the growth of the
        /// connections in flight (`beconn`), which a queue hides from the log.
        public var arrivals: Double
        /// The backend's connections in flight as last logged (`beconn`), nil when not
        /// logged: ahead of `srv_conn` when a crowd arrives, since the log shows each
        /// request only when it ends, but every line counts all that are open.
        public var backendConns: Double?

        public init(perServer: Double, completions: Double, arrivals: Double, backendConns: Double? = nil) {
            self.perServer = perServer
            self.completions = completions
            self.arrivals = arrivals
            self.backendConns = backendConns
        }

        /// The connections in flight grow: open traffic beyond the pool's capacity,
        /// whose queue will drain once capacity arrives.
        public var backlogGrowing: Bool { arrivals > completions * 1.1 }

        /// Arrivals half again what the pool completes: open traffic far past capacity,
        /// whose queue drains once servers arrive. A smaller rise is as likely a fixed
        /// set of clients all starting at once, whose connections stay.
        public var overloaded: Bool { arrivals > completions * 1.5 }
    }

    /// nil without requests in the last three seconds. Over the last second
    /// (tenths of it, the current one left out) when it holds 20 requests or
    /// more, else back to three seconds: a flash crowd is seen within a second.
    public func load(at now: Duration) -> Load? {
        Self.load(recent, upTo: Self.tick(now), ticksPerSecond: 10, within: Self.recentTicks, enough: (10, 20))
    }

    /// The load sustained over the last ``sustainedSeconds`` whole seconds: what a
    /// scale-down sizes for, so a pool is not cut to the trough of a noisy rate.
    public func sustainedLoad(at now: Duration) -> Load? {
        Self.load(perSecond, upTo: Self.second(now), ticksPerSecond: 1, within: Self.sustainedSeconds, enough: (Self.sustainedSeconds, 0))
    }

    static let sustainedSeconds: Int64 = 30

    static func load(_ recent: [(tick: Int64, requests: Int32, conns: Double, beconns: Int32, beconn: Double)], upTo tick: Int64,
                     ticksPerSecond: Int64, within: Int64, enough: (ticks: Int64, requests: Int32)) -> Load? {
        let size = Int64(recent.count)
        var requests: Int32 = 0
        var conns = 0.0
        var latest: (Double, Int64)?, earliest: (Double, Int64)?
        var span: Int64 = 0
        for k in 1...within {
            span = k
            let t = tick - k
            guard t >= 0 else { break }
            let r = recent[Int(t % size)]
            guard r.tick == t else { continue }
            requests += r.requests
            conns += r.conns
            if r.beconns > 0 {
                let mean = r.beconn / Double(r.beconns)
                if latest == nil { latest = (mean, t) }
                earliest = (mean, t)
            }
            if k >= enough.ticks, requests >= enough.requests { break }
        }
        guard requests > 0 else { return nil }
        let completions = Double(requests) * Double(ticksPerSecond) / Double(span)
        var arrivals = completions
        if let (last, lastAt) = latest, let (first, firstAt) = earliest, lastAt > firstAt {
            arrivals += max(0, (last - first) * Double(ticksPerSecond) / Double(lastAt - firstAt))
        }
        return Load(perServer: conns / Double(requests), completions: completions, arrivals: arrivals, backendConns: latest?.0)
    }

    /// The fit over the horizon, or why there is none to trust.
    public mutating func fit(at now: Duration) -> Result<Fit, Distrust> {
        let s = Self.second(now)
        if let c = cached, c.second == s { return c.result }
        let result = computeFit(at: s / Self.sliceSeconds)
        cached = (s, result)
        return result
    }

    private func computeFit(at slice: Int64) -> Result<Fit, Distrust> {
        var count = [Int](repeating: 0, count: Self.levels)
        var sumX = [Double](repeating: 0, count: Self.levels)
        var sumY = [Double](repeating: 0, count: Self.levels)
        for i in slices.indices where sliceNumber[i] >= 0 && slice - sliceNumber[i] < Int64(Self.sliceCount) {
            for l in 0..<Self.levels where slices[i].count[l] > 0 {
                count[l] += Int(slices[i].count[l])
                sumX[l] += slices[i].sumConns[l]
                sumY[l] += slices[i].sumValue[l]
            }
        }
        var points: [(x: Double, y: Double, w: Double)] = []
        var total = 0
        for l in 0..<Self.levels where count[l] >= Self.minPerLevel {
            let n = Double(count[l])
            points.append((sumX[l] / n, sumY[l] / n, n))
            total += count[l]
        }
        guard points.count >= 3 else { return .failure(.fewLevels(points.count)) }
        let (a, b) = Self.leastSquares(points)
        guard b > 0 else { return .failure(.slopeNotPositive(b)) }
        let weight = points.reduce(0) { $0 + $1.w }
        let meanY = points.reduce(0) { $0 + $1.w * $1.y } / weight
        var residual = 0.0, spread = 0.0
        for p in points {
            let e = p.y - (a + b * p.x)
            residual += p.w * e * e
            spread += p.w * (p.y - meanY) * (p.y - meanY)
        }
        let r2 = spread > 0 ? 1 - residual / spread : 0
        guard r2 >= Self.minimumR2 else { return .failure(.poorFit(r2)) }
        // HAProxy counts the logged request itself in `srv_conn` in some modes and not in
        // others: a log with (almost) no 0 has it counted, and Little's law must take one off.
        let zeros = count[0]
        let selfCounted = Double(zeros) <= 0.01 * Double(count.reduce(0, +))
        return .success(Fit(interceptMs: max(0, a), slopeMs: b, r2: r2, levels: points.count, samples: total,
                            selfCounted: selfCounted))
    }

    /// The weighted least-squares line through the level means. Summing per
    /// level first is what makes it robust: a single slow request moves its
    /// level's mean by 1/count, and the fit is judged on how well it explains
    /// the levels (R²), not single requests.
    static func leastSquares(_ p: [(x: Double, y: Double, w: Double)]) -> (Double, Double) {
        let w = p.reduce(0) { $0 + $1.w }
        let mx = p.reduce(0) { $0 + $1.w * $1.x } / w
        let my = p.reduce(0) { $0 + $1.w * $1.y } / w
        var sxy = 0.0, sxx = 0.0
        for q in p {
            sxy += q.w * (q.x - mx) * (q.y - my)
            sxx += q.w * (q.x - mx) * (q.x - mx)
        }
        guard sxx > 0 else { return (my, 0) }
        let b = sxy / sxx
        return (my - b * mx, b)
    }

    /// The smallest pool in `floor...ceiling` whose prediction (times `tail`, the
    /// aggregate's ratio to the mean) is at most `targetMs`; `ceiling` when none is.
    /// `sustained`: size for the load of the last half minute (a scale-down), not the last second.
    public mutating func size(targetMs: Double, active: Int, floor: Int, ceiling: Int, tail: Double, sustained: Bool = false,
                              at now: Duration) -> Result<Sizing, Distrust> {
        switch fit(at: now) {
        case .failure(let why): return .failure(why)
        case .success(let f):
            let alone = f.latency(perServer: f.selfCounted ? 1 : 0) * tail
            guard targetMs > alone else { return .failure(.unreachable(targetMs: targetMs, interceptMs: alone)) }
            guard let load = sustained ? sustainedLoad(at: now) : load(at: now) else { return .failure(.fewLevels(0)) }
            let low = max(1, floor)
            var n = max(low, min(ceiling, low))
            var predicted = f.predict(servers: n, active: active, load: load) * tail
            while predicted > targetMs, n < ceiling {
                n += 1
                predicted = f.predict(servers: n, active: active, load: load) * tail
            }
            return .success(Sizing(fit: f, load: load, active: active, servers: n, predictedMs: predicted, targetMs: targetMs))
        }
    }
}
