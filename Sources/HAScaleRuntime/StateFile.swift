#if canImport(Glibc)
import Glibc
#endif
import HAScale
import SystemPackage

/// What the running loop knows that HAProxy does not: each managed server's phase
/// and how long an ejected outlier still rests. Written (atomically, by rename)
/// when it changes, so `hascale servers`, run by an operator in another process,
/// can show it beside HAProxy's state.
public enum StateFile {
    /// `$RUNTIME_DIRECTORY/state.json` under systemd (`RuntimeDirectory=hascale`), else none.
    public static func defaultPath(environment: [String: String]) -> FilePath? {
        environment["RUNTIME_DIRECTORY"].flatMap { $0.split(separator: ":").first }.map { FilePath(String($0)).appending("state.json") }
    }

    /// One JSON object: `{"servers": [{"backend": …, "server": …, "phase": …, "ejected_seconds": …}]}`.
    /// Names are validated `ProxyName`s (letters, digits, `-_.:`), so they need no escaping.
    public static func render(_ engine: DecisionEngine, at now: Duration) -> String {
        var rows: [String] = []
        for b in engine.backends {
            for s in b.servers {
                var row = #"{"backend":"\#(b.name)","server":"\#(s.name)","phase":"\#(s.phase.rawValue)""#
                if let until = s.ejectedUntil { row += #","ejected_seconds":\#(max(0, Int((until - now).seconds.rounded(.up))))"# }
                rows.append(row + "}")
            }
        }
        return #"{"servers":["# + rows.joined(separator: ",") + "]}\n"
    }

    /// Writes `text` to `path` through a temporary file and a rename: a reader sees
    /// the old content or the new one, never half of it.
    public static func write(_ text: String, to path: FilePath) throws(FileError) {
        let temporary = FilePath(path.string + ".tmp")
        do {
            let fd = try FileDescriptor.open(temporary, .writeOnly, options: [.create, .truncate, .closeOnExec], permissions: [.ownerReadWrite, .groupRead, .otherRead])
            try fd.closeAfter { _ = try fd.writeAll(Array(text.utf8)) }
        } catch {
            throw FileError(path: temporary, operation: "write", errno: error as? Errno ?? .ioError)
        }
        guard rename(temporary.string, path.string) == 0 else {
            throw FileError(path: path, operation: "replace", errno: Errno(rawValue: errno))
        }
    }
}
