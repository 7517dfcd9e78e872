import Foundation

/// A blocking HTTP/1.0 GET over a plain socket: what tests use to send real
/// traffic through HAProxy without pulling an HTTP client into every test.
public enum HTTPGet {
    public struct Response: Sendable {
        public var status: Int
        public var raw: String
    }

    /// Sends `GET path` to `host` (an IPv4 literal: 127.0.0.1, or an address inside a namespace
    /// the test created) port `port` and reads the answer; `nil` on a connection error or when
    /// nothing came back within `timeout`.
    public static func get(host: String = "127.0.0.1", port: Int, path: String = "/", headers: [String: String] = [:], timeout: TimeInterval = 10,
                           rawRequest: String? = nil) -> Response? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - floor(timeout)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr(host)
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0 else { return nil }
        var request = rawRequest ?? "GET \(path) HTTP/1.0\r\nHost: test\r\n"
        if rawRequest == nil {
            for (k, v) in headers { request += "\(k): \(v)\r\n" }
            request += "\r\n"
        }
        _ = request.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        var data = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buf, buf.count, 0)
            if n <= 0 { break }
            data.append(contentsOf: buf[0..<n])
        }
        let text = String(decoding: data, as: UTF8.self)
        guard text.hasPrefix("HTTP/"), let code = Int(text.split(separator: " ").dropFirst().first ?? "") else {
            return data.isEmpty ? nil : Response(status: -1, raw: text)
        }
        return Response(status: code, raw: text)
    }
}
