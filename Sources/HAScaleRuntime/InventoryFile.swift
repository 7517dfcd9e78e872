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
