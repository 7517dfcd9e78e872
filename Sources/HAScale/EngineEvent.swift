/// What the engine says after an input: act, explain a held-back action, or
/// report that HAProxy's state differs from what the engine believed. Causes
/// are values; the runtime renders them as prose for logs and the journal.
public enum EngineEvent: Sendable, Equatable {
    case scale(ScaleDecision)
    case suppressed(Suppression)
    case drift(Drift)
}
