/// One judgement of a backend's metric against a threshold: what a decision
/// or a held-back decision was based on, with the numbers.
public struct MetricReading: Sendable, Equatable {
    public var metric: Inventory.Policy.Metric
    public var aggregate: Inventory.Policy.Aggregate
    public var valueMs: Double
    public var thresholdMs: Double

    public init(metric: Inventory.Policy.Metric, aggregate: Inventory.Policy.Aggregate, valueMs: Double, thresholdMs: Double) {
        self.metric = metric
        self.aggregate = aggregate
        self.valueMs = valueMs
        self.thresholdMs = thresholdMs
    }
}
