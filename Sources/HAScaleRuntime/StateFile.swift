#if canImport(Glibc)
import Glibc
#endif
import HAScale
import SystemPackage

/// Where the running daemon leaves its ``LoopSnapshot`` as JSON, rewritten each
/// second (atomically, by rename), so `hascale status` and `hascale servers`, run
/// by an operator in another process and without the daemon's groups, can show
/// what it sees: the file is world-readable in a world-readable directory.
public enum StateFile {
    /// `$RUNTIME_DIRECTORY/state.json` under systemd (`RuntimeDirectory=hascale`), else none.
    public static func defaultPath(environment: [String: String]) -> FilePath? {
        environment["RUNTIME_DIRECTORY"].flatMap { $0.split(separator: ":").first }.map { FilePath(String($0)).appending("state.json") }
    }

    /// Writes `text` to `path` through a temporary file and a rename: a reader sees
    /// the old content or the new one, never half of it. Mode 0644 whatever the
    /// umask (the unit's is 0077): operators read it without the daemon's groups.
    public static func write(_ bytes: [UInt8], to path: FilePath) throws(FileError) {
        let temporary = FilePath(path.string + ".tmp")
        do {
            let fd = try FileDescriptor.open(temporary, .writeOnly, options: [.create, .truncate, .closeOnExec], permissions: [.ownerReadWrite, .groupRead, .otherRead])
            try fd.closeAfter {
                guard fchmod(fd.rawValue, 0o644) == 0 else { throw Errno(rawValue: errno) }
                _ = try fd.writeAll(bytes)
            }
        } catch {
            throw FileError(path: temporary, operation: "write", errno: error as? Errno ?? .ioError)
        }
        guard rename(temporary.string, path.string) == 0 else {
            throw FileError(path: path, operation: "replace", errno: Errno(rawValue: errno))
        }
    }
}
