#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

/// A whole regular file mapped read-only: the cheapest way to hand a large
/// log to the scanner (no copy, the page cache is the buffer).
public final class MappedFile: @unchecked Sendable {
    /// A file that could not be mapped, with the system's reason.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var path: FilePath
        public var operation: String
        public var errno: Errno

        public var description: String {
            let hint = switch errno {
            case .permissionDenied: " (is the user in the group that owns it, e.g. adm for /var/log/haproxy.log?)"
            case .noSuchFileOrDirectory: " (check the path)"
            default: ""
            }
            return "cannot \(operation) \(path): \(errno)\(hint)"
        }
    }

    public let path: FilePath
    /// Immutable after init and read-only memory: safe to share between the summary's workers.
    public let bytes: UnsafeRawBufferPointer

    /// Maps `path`. An empty file maps to an empty buffer.
    public init(path: FilePath) throws(Failure) {
        self.path = path
        func fail(_ operation: String, _ error: any Error) -> Failure {
            Failure(path: path, operation: operation, errno: error as? Errno ?? .ioError)
        }
        let fd: FileDescriptor
        do { fd = try FileDescriptor.open(path, .readOnly, options: [.closeOnExec]) } catch { throw fail("open", error) }
        defer { try? fd.close() }
        let st: Stat
        do { st = try fd.stat() } catch { throw fail("stat", error) }
        guard st.type == .regular else { throw Failure(path: path, operation: "map (not a regular file)", errno: .invalidArgument) }
        let size = Int(st.size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd.rawValue, 0)
        guard let p, p != MAP_FAILED else { throw Failure(path: path, operation: "mmap", errno: Errno(rawValue: errno)) }
        _ = madvise(p, size, MADV_SEQUENTIAL)
        bytes = UnsafeRawBufferPointer(start: p, count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
