#if canImport(Glibc)
import Glibc
#endif
import HAProxySocket
import HAScale
import SystemPackage

/// Reads `servers.json` for the loader, which is pure and sees only bytes, and
/// turns a file that cannot be read into one refusal that says what to do.
public enum InventoryFile {
    /// An inventory is a few kilobytes; past this the path names something else
    /// (a log, `/dev/zero`) and reading on would only use up memory.
    static let maximumSize = 16 << 20

    public static func load(path: String) throws(InventoryRejection) -> Inventory {
        let bytes: [UInt8]
        do {
            bytes = try read(path)
        } catch {
            throw InventoryRejection(errors: [
                InventoryError(kind: error.isMissing ? .missing : .unreadable, file: path, line: 0, path: "", message: "cannot read the file: \(error.reason)")
            ])
        }
        return try InventoryLoader.parse(utf8: bytes, file: path, checkSocket: checkSocket)
    }

    /// `haproxy.socket` as the client will read it, so a bad address is refused
    /// with the rest of the file rather than when hascale first connects.
    static func checkSocket(_ text: String) -> String? {
        do {
            _ = try RuntimeAPIAddress(parsing: text)
            return nil
        } catch {
            return error.description
        }
    }

    enum ReadFailure: Error {
        case errno(Errno)
        case tooLarge

        var isMissing: Bool {
            if case .errno(.noSuchFileOrDirectory) = self { true } else { false }
        }

        var reason: String {
            switch self {
            case .errno(.noSuchFileOrDirectory): "no such file; copy examples/servers.json there and edit it, or give --config"
            case .errno(.permissionDenied): "not readable by this user; check its owner and mode"
            case .errno(.isDirectory): "it is a directory; give the path of the JSON file"
            case .errno(let errno): "\(errno)"
            case .tooLarge: "it is larger than \(maximumSize >> 20) MiB, which no inventory is; check the path"
            }
        }
    }

    static func read(_ path: String) throws(ReadFailure) -> [UInt8] {
        do {
            let fd = try FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec)
            return try fd.closeAfter {
                var bytes: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let n = try chunk.withUnsafeMutableBytes { try fd.read(into: $0) }
                    if n == 0 { return bytes }
                    bytes.append(contentsOf: chunk[..<n])
                    guard bytes.count <= maximumSize else { throw ReadFailure.tooLarge }
                }
            }
        } catch let failure as ReadFailure {
            throw failure
        } catch {
            throw .errno(error as? Errno ?? .ioError)
        }
    }
}

extension InventoryFile {
    /// Writes `text` as the inventory at `path`, whole or not at all: into a temporary
    /// file beside it (mode 0640: the inventory names the hosts), then into place in one
    /// step, so the daemon's watcher never reads half a file. Without `replacing`, the
    /// step is `link(2)`, which fails on an existing file rather than replacing it, so a
    /// file that appears meanwhile is never lost either.
    ///
    /// The file keeps the owner and group of the one it replaces, and a new one takes its
    /// directory's group (where the system allows it): the service reads
    /// `/etc/hascale/servers.json` through the `haproxy` group that owns the directory,
    /// and a file left to root's group would lock it out.
    public static func write(_ text: String, to path: String, replacing: Bool) throws(FileError) {
        let target = FilePath(path)
        var directory = target.removingLastComponent()
        if directory.isEmpty { directory = "." }
        let temporary = directory.appending(".\(target.lastComponent?.string ?? "servers.json").\(getpid()).tmp")
        func fail(_ p: FilePath, _ operation: String, _ err: Errno) -> FileError {
            _ = unlink(temporary.string)
            return FileError(path: p, operation: operation, errno: err)
        }
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(temporary, .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec],
                                         permissions: [.ownerReadWrite, .groupRead])
        } catch {
            throw FileError(path: target, operation: "create", errno: error as? Errno ?? .ioError)
        }
        do {
            try fd.closeAfter {
                // The umask may have taken bits away; 0640 is what the README promises.
                _ = fchmod(fd.rawValue, 0o640)
                var owner = stat()
                if stat(path, &owner) == 0 {
                    _ = fchown(fd.rawValue, owner.st_uid, owner.st_gid)
                } else if stat(directory.string, &owner) == 0 {
                    _ = fchown(fd.rawValue, uid_t.max, owner.st_gid)
                }
                _ = try fd.writeAll(Array(text.utf8))
                guard fsync(fd.rawValue) == 0 else { throw Errno(rawValue: errno) }
            }
        } catch {
            throw fail(target, "write", error as? Errno ?? .ioError)
        }
        if replacing {
            guard rename(temporary.string, path) == 0 else { throw fail(target, "replace", Errno(rawValue: errno)) }
        } else {
            guard link(temporary.string, path) == 0 else { throw fail(target, "create", Errno(rawValue: errno)) }
            _ = unlink(temporary.string)
        }
    }
}
