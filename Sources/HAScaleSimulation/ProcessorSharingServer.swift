/// One app server as a processor-sharing queue: `k` requests in flight share
/// `cores`, each served at `min(1, cores / k)`.
///
/// Kept in virtual time: `work` is the service each request in flight has had
/// so far, which grows at the shared rate; a request leaves when it reaches
/// the work it needed. So an arrival or departure costs a heap operation, not
/// a pass over every request in flight.
struct ProcessorSharingServer {
    /// Min-heap of (work at which it finishes, arrival time).
    private var heap: [(finish: Double, arrival: Double)] = []
    private var work = 0.0
    private var updated = 0.0
    let cores: Double

    init(cores: Int) {
        self.cores = Double(cores)
        heap.reserveCapacity(64)
    }

    var inFlight: Int { heap.count }

    @inline(__always)
    private var rate: Double { heap.count <= Int(cores) ? 1 : cores / Double(heap.count) }

    @inline(__always)
    private mutating func advance(to t: Double) {
        if !heap.isEmpty { work += (t - updated) * rate }
        updated = t
    }

    /// When the next request leaves, if nothing arrives before.
    var nextDeparture: Double {
        guard let first = heap.first else { return .infinity }
        return updated + max(0, first.finish - work) / rate
    }

    mutating func arrive(at t: Double, needing service: Double) {
        advance(to: t)
        heap.append((work + service, t))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[parent].finish > heap[i].finish else { break }
            heap.swapAt(parent, i)
            i = parent
        }
    }

    /// The request that leaves at `t` (``nextDeparture``): its arrival time.
    mutating func depart(at t: Double) -> Double {
        advance(to: t)
        let arrival = heap[0].arrival
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count, heap[l].finish < heap[m].finish { m = l }
                if r < heap.count, heap[r].finish < heap[m].finish { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        return arrival
    }
}
