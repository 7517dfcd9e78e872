#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

/// A whole regular file mapped read-only: the cheapest way to hand a large
/// log to the scanner (no copy, the page cache is the buffer).
public final class MappedFile: @unchecked Sendable {
    public let path: FilePath
    public let bytes: UnsafeRawBufferPointer

    /// Maps `path`. An empty file maps to an empty buffer.
    public init(path: FilePath) throws(FileError) {
        self.path = path
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(path, .readOnly, options: [.closeOnExec])
        } catch {
            throw FileError(path: path, operation: "open", errno: (error as? Errno) ?? .ioError)
        }
        defer { try? fd.close() }
        var st = stat()
        guard fstat(fd.rawValue, &st) == 0 else {
            throw FileError(path: path, operation: "stat", errno: Errno(rawValue: errno))
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw FileError(path: path, operation: "map (not a regular file)", errno: .invalidArgument)
        }
        let size = Int(st.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd.rawValue, 0)
        guard let p, p != MAP_FAILED else {
            throw FileError(path: path, operation: "mmap", errno: Errno(rawValue: errno))
        }
        _ = madvise(p, size, MADV_SEQUENTIAL)
        bytes = UnsafeRawBufferPointer(start: p, count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}

/// A file operation that failed, with the path and the system's reason.
public struct FileError: Error, CustomStringConvertible, Equatable {
    public var path: FilePath
    public var operation: String
    public var errno: Errno

    public init(path: FilePath, operation: String, errno: Errno) {
        self.path = path
        self.operation = operation
        self.errno = errno
    }

    public var description: String {
        var hint = ""
        switch errno {
        case .permissionDenied:
            hint = " (is the user in the group that owns it, e.g. adm for /var/log/haproxy.log?)"
        case .noSuchFileOrDirectory:
            hint = " (check the path)"
        default: break
        }
        return "cannot \(operation) \(path): \(errno)\(hint)"
    }
}
