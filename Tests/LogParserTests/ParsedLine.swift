import LogParser

/// A record with its names copied out, so tests can compare whole values.
struct ParsedLine: Equatable, CustomStringConvertible {
    var framing: LogFraming
    var mode: LogMode
    var isCLF = false
    var frontend: String
    var ssl = false
    var backend: String
    var server: String
    var TR: Int32
    var Tw: Int32
    var Tc: Int32
    var Tr: Int32
    var Ta: Int32
    var status: Int16
    var bytes: Int64
    var termination: String
    var logasap = false

    var description: String {
        "\(framing) \(mode) clf=\(isCLF) \(frontend)\(ssl ? "~" : "") \(backend)/\(server) "
            + "\(TR)/\(Tw)/\(Tc)/\(Tr)/\(Ta) \(status) \(bytes) \(termination) logasap=\(logasap)"
    }
}

enum Scan {
    static func line(_ text: String) -> Result<ParsedLine, LogRejection> {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { buffer in
            switch LogLineScanner.scan(buffer) {
            case .rejected(let reason):
                return .failure(reason)
            case .record(let r):
                func s(_ range: ByteRange) -> String {
                    String(decoding: range.bytes(in: buffer), as: UTF8.self)
                }
                // Every range must lie inside the line.
                for range in [r.frontend, r.backend, r.server, r.termination] {
                    precondition(range.lowerBound >= 0 && range.upperBound <= buffer.count
                        && range.lowerBound <= range.upperBound)
                }
                return .success(ParsedLine(
                    framing: r.framing, mode: r.mode, isCLF: r.isCLF,
                    frontend: s(r.frontend), ssl: r.isSSLFrontend,
                    backend: s(r.backend), server: s(r.server),
                    TR: r.TR, Tw: r.Tw, Tc: r.Tc, Tr: r.Tr, Ta: r.Ta,
                    status: r.status, bytes: r.bytes, termination: s(r.termination),
                    logasap: r.isLogasap))
            }
        }
    }

    static func rejection(_ text: String) -> LogRejection? {
        if case .failure(let r) = line(text) { return r }
        return nil
    }
}
