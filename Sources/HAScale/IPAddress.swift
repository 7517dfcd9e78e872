/// An IPv4 or IPv6 address as written in the inventory or a log source: a
/// literal, never a host name, so nothing resolves behind an operator's back.
///
/// Parsed here (not by `inet_pton`) so the pure core can refuse a bad one with
/// the file and line of the inventory like every other mistake.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// In network order: the first octet is the high byte.
    case v4(UInt32)
    case v6([UInt8])

    public init?(_ text: String) {
        if text.contains(":") {
            guard let bytes = Self.parseV6(Substring(text)) else { return nil }
            self = .v6(bytes)
        } else {
            guard let v = Self.parseV4(Substring(text)) else { return nil }
            self = .v4(v)
        }
    }

    /// 127.0.0.0/8 and ::1 (and ::ffff:127.x.y.z): addresses only this host can send from.
    public var isLoopback: Bool {
        switch self {
        case .v4(let a): return a >> 24 == 127
        case .v6(let b):
            if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return true }
            return b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff && b[12] == 127
        }
    }

    public var description: String {
        switch self {
        case .v4(let a): return "\(a >> 24).\(a >> 16 & 0xff).\(a >> 8 & 0xff).\(a & 0xff)"
        case .v6(let b):
            // Shortest form: the longest run of zero groups (two or more) becomes "::".
            let groups = (0..<8).map { UInt16(b[2 * $0]) << 8 | UInt16(b[2 * $0 + 1]) }
            var best = (start: -1, count: 0), run = (start: -1, count: 0)
            for (i, g) in groups.enumerated() {
                if g == 0 {
                    run = run.start < 0 ? (i, 1) : (run.start, run.count + 1)
                    if run.count > best.count { best = run }
                } else {
                    run = (-1, 0)
                }
            }
            func hex(_ r: ArraySlice<UInt16>) -> String { r.map { String($0, radix: 16) }.joined(separator: ":") }
            guard best.count >= 2 else { return hex(groups[...]) }
            return hex(groups[..<best.start]) + "::" + hex(groups[(best.start + best.count)...])
        }
    }

    static func parseV4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for p in parts {
            guard (1...3).contains(p.count), p.allSatisfy({ $0.isASCII && $0.isNumber }),
                  p.count == 1 || p.first != "0", let octet = UInt32(p), octet <= 255 else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    static func parseV6(_ text: Substring) -> [UInt8]? {
        func groups(_ s: Substring) -> [UInt16]? {
            if s.isEmpty { return [] }
            var out: [UInt16] = []
            let parts = s.split(separator: ":", omittingEmptySubsequences: false)
            for (i, p) in parts.enumerated() {
                if i == parts.count - 1, p.contains("."), let v4 = parseV4(p) {
                    out += [UInt16(v4 >> 16), UInt16(v4 & 0xffff)]
                    continue
                }
                guard (1...4).contains(p.count), let g = UInt16(p, radix: 16) else { return nil }
                out.append(g)
            }
            return out
        }
        let halves = text.components(separatedBy: "::")
        let all: [UInt16]
        switch halves.count {
        case 1:
            guard let g = groups(text), g.count == 8 else { return nil }
            all = g
        case 2:
            guard let head = groups(halves[0]), let tail = groups(halves[1]), head.count + tail.count <= 7 else { return nil }
            all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        default:
            return nil
        }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    }
}

extension Substring {
    fileprivate func components(separatedBy separator: String) -> [Substring] {
        var out: [Substring] = []
        var rest = self[...]
        while let r = rest.firstRange(of: separator) {
            out.append(rest[..<r.lowerBound])
            rest = rest[r.upperBound...]
        }
        out.append(rest)
        return out
    }
}
