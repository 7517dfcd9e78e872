import Foundation
import HAScaleRuntime
import Logging
import Synchronization
import SystemPackage

/// Keeps the state file: each ``LoopSnapshot`` the loop publishes, as JSON,
/// through ``StateFile/write(_:to:)`` (a rename, so readers never see half).
/// A failure is warned of once, and once more when writing works again: the
/// loop runs on, only `hascale status` and `hascale servers` go without.
final class StateFileWriter: Sendable {
    let path: FilePath
    let logger: Logger
    private let failing = Mutex(false)

    init(path: FilePath, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    static func encode(_ snapshot: LoopSnapshot) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(snapshot)) + [UInt8(ascii: "\n")]
    }

    func write(_ snapshot: LoopSnapshot) {
        do {
            try StateFile.write(try Self.encode(snapshot), to: path)
            if failing.withLock({ let was = $0; $0 = false; return was }) { logger.notice("the state file \(path) is written again") }
        } catch {
            if !failing.withLock({ let was = $0; $0 = true; return was }) {
                logger.warning("cannot keep the state file for `hascale status` and `hascale servers`: \(error)")
            }
        }
    }
}
