import SystemPackage

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
