import Foundation

/// A bare HTTP/1.1 client on blocking sockets, for poking an HTTP server the way
/// a test needs to: one request and its whole answer, a connection that sends
/// nothing, bytes that are no HTTP at all. Every read is bounded by a time-out.
public enum HTTPProbe {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public struct Response: Sendable {
        public var status: Int
        /// Header names in lower case.
        public var headers: [String: String]
        public var body: String
    }

    /// A TCP connection to 127.0.0.1:`port`, reads bounded by `timeout` seconds.
    public static func connect(port: Int, timeout: Double = 5) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard ok else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "connect to 127.0.0.1:\(port): \(why)")
        }
        return fd
    }

    public static func send(_ fd: Int32, _ text: String) throws {
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else {
            throw Failure(description: "send: \(String(cString: strerror(errno)))")
        }
    }

    /// Everything the server sends until it closes; throws when `timeout` passes first.
    public static func readToEnd(_ fd: Int32) throws -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return out }
            guard n > 0 else {
                throw Failure(description: errno == EAGAIN ? "no end of the answer before the time-out (\(out.count) bytes so far)" : "recv: \(String(cString: strerror(errno)))")
            }
            out += chunk[0..<n]
        }
    }

    /// Whether the server closed `fd` within its read time-out (reading and dropping what it sends).
    public static func closedByServer(_ fd: Int32) -> Bool {
        (try? readToEnd(fd)) != nil
    }

    /// One request on a connection of its own (`Connection: close`), and the answer.
    public static func request(_ method: String = "GET", port: Int, path: String, body: String = "", timeout: Double = 5) throws -> Response {
        let fd = try connect(port: port, timeout: timeout)
        defer { close(fd) }
        let length = body.isEmpty ? "" : "Content-Length: \(body.utf8.count)\r\n"
        try send(fd, "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\(length)\r\n\(body)")
        return try parse(try readToEnd(fd))
    }

    public static func parse(_ bytes: [UInt8]) throws -> Response {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw Failure(description: "no end of headers in \(text.prefix(200).debugDescription)") }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let status = lines.first.flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) }
        guard let status else { throw Failure(description: "no status line in \(text.prefix(200).debugDescription)") }
        var headers: [String: String] = [:]
        for l in lines.dropFirst() {
            guard let colon = l.firstIndex(of: ":") else { continue }
            headers[l[..<colon].lowercased()] = l[l.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = String(text[split.upperBound...])
        return Response(status: status, headers: headers, body: headers["transfer-encoding"] == "chunked" ? try unchunk(body) : body)
    }

    /// A `Transfer-Encoding: chunked` body, joined.
    static func unchunk(_ body: String) throws -> String {
        var rest = Substring(body)
        var out = ""
        while let end = rest.range(of: "\r\n") {
            guard let size = Int(rest[..<end.lowerBound].split(separator: ";").first ?? "", radix: 16) else {
                throw Failure(description: "a bad chunk size in \(rest.prefix(40).debugDescription)")
            }
            if size == 0 { return out }
            let start = end.upperBound
            guard let stop = rest.utf8.index(start, offsetBy: size, limitedBy: rest.utf8.endIndex) else {
                throw Failure(description: "a chunk cut short")
            }
            out += rest[start..<stop]
            rest = rest[stop...].dropFirst(2)
        }
        throw Failure(description: "no last chunk")
    }
}
