import HAProxyNames

/// What the engine says after an input: act, explain a held-back action, or
/// report that HAProxy's state differs from what the engine believed. Causes
/// are values; the runtime renders them as prose for logs and the journal.
public enum EngineEvent: Sendable, Equatable {
    case scale(ScaleDecision)
    case suppressed(Suppression)
    case drift(Drift)
    case health(HealthChange)
    /// A new HAProxy process: what hascale re-applies, server by server.
    case haproxyRestarted(backend: ProxyName, bringUp: [ProxyName], takeDown: [ProxyName])
    case outlier(OutlierEvent)
}

/// A managed server stopped or started serving by HAProxy's health checks,
/// not by anything hascale or an operator did.
public struct HealthChange: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Enabled, but DOWN: lost capacity. `alwaysUp` ones are reported, never touched.
        case down(alwaysUp: Bool)
        /// Serving again.
        case up
    }

    public var backend: ProxyName
    public var server: ProxyName
    public var kind: Kind

    public init(backend: ProxyName, server: ProxyName, kind: Kind) {
        self.backend = backend
        self.server = server
        self.kind = kind
    }
}
