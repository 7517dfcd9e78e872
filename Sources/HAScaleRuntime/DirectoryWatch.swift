#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

/// A file is watched through its directory, because rotation and editors
/// replace it by rename; both inotify users (the log tailer, the inventory
/// watcher) add that watch the same way.
enum DirectoryWatch {
    /// Adds a watch for `mask` on the directory holding `path` to the inotify
    /// instance `fd`; `purpose` names it in the error (`watch the log's directory`).
    static func add(_ fd: Int32, for path: FilePath, _ mask: Int32, purpose: String) throws(FileError) -> Int32 {
        let dir = path.removingLastComponent()
        let dirString = dir.isEmpty ? "." : dir.string
        let wd = inotify_add_watch(fd, dirString, UInt32(mask))
        guard wd >= 0 else { throw FileError(path: FilePath(dirString), operation: purpose, errno: Errno(rawValue: errno)) }
        return wd
    }
}
