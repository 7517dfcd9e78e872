import ArgumentParser

/// Exit codes scripts can rely on, the same for every command. Bad arguments
/// exit 64 (`EX_USAGE`), as swift-argument-parser does for validation errors.
enum HAScaleExit {
    /// The inventory was refused (`check-config`).
    static let invalidInventory = ExitCode(1)
    /// `init` wrote nothing: the file could not be written, or HAProxy has nothing to put in it.
    static let notWritten = ExitCode(1)
    /// What the command needs did not answer: HAProxy's runtime API, the journal.
    static let unavailable = ExitCode(2)
    /// A safety rule said no: the last server in service, an `always_up` server.
    static let refusedBySafetyRule = ExitCode(3)
    /// The warm-up failed; the server stays in maintenance.
    static let warmupFailed = ExitCode(4)
}
