import HAScale

/// What the loop counts a decision as, for `hascale_decisions_total{kind}`,
/// `hascale_actions_failed_total{kind}` and the decisions `hascale status` lists.
/// Stable names: dashboards and alert rules select on them.
public enum DecisionKind: String, Sendable, Codable, CaseIterable {
    case up, down
    /// A spare brought in for servers HAProxy's health checks took down (`server_replaced`).
    case replaced
    /// An outlier drained to maintenance (`outlier_ejected`).
    case ejected
    case heldActionInFlight = "held_action_in_flight"
    case heldCooldown = "held_cooldown"
    case heldMaxActive = "held_max_active"
    case heldNoSpare = "held_no_spare"
    case heldOutlierSuspected = "held_outlier_suspected"
    case heldErrorRate = "held_error_rate"

    /// The kinds an action can be of (the held-back ones run nothing).
    public static let actions: [DecisionKind] = [.up, .down, .replaced, .ejected]

    public init(_ d: ScaleDecision) {
        switch d.cause {
        case .replacing: self = .replaced
        case .outlier: self = .ejected
        default: self = d.direction == .up ? .up : .down
        }
    }

    public init(_ s: Suppression) {
        switch s.cause {
        case .actionInFlight: self = .heldActionInFlight
        case .cooldown: self = .heldCooldown
        case .maxActive: self = .heldMaxActive
        case .noSpare: self = .heldNoSpare
        case .outlierSuspected: self = .heldOutlierSuspected
        case .errorRate: self = .heldErrorRate
        }
    }

    public var isHeldBack: Bool { !Self.actions.contains(self) }
}
