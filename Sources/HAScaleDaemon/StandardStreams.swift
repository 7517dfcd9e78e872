import SystemPackage

/// Buffered writes to a file descriptor: one `write(2)` per 64 KiB, not per line.
struct BufferedOutput {
    let fd: FileDescriptor
    var buffer: [UInt8] = []
    let flushThreshold = 1 << 16

    init(_ fd: FileDescriptor) {
        self.fd = fd
        buffer.reserveCapacity(flushThreshold * 2)
    }

    mutating func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= flushThreshold { flush() }
    }

    mutating func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushThreshold { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        _ = try? buffer.withUnsafeBytes { try fd.writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}

enum StandardError {
    static func write(_ s: String) {
        _ = try? FileDescriptor.standardError.writeAll(Array(s.utf8))
    }
}
