import Foundation
import Synchronization

/// Splits what a child process writes to a pipe into lines, as they arrive.
enum PipeLines {
    /// Installs the pipe's reader: `raw` sees every chunk, `line` every complete line.
    static func read(_ pipe: Pipe, raw: (@Sendable (Data) -> Void)? = nil, line: @escaping @Sendable (String) -> Void) {
        let partial = Locked(Data())
        pipe.fileHandleForReading.readabilityHandler = { h in
            let data = h.availableData
            guard !data.isEmpty else { return }
            raw?(data)
            partial.withLock { partial in
                partial.append(data)
                while let nl = partial.firstIndex(of: 0x0A) {
                    let text = String(decoding: partial[partial.startIndex..<nl], as: UTF8.self)
                    partial.removeSubrange(partial.startIndex...nl)
                    line(text)
                }
            }
        }
    }
}
