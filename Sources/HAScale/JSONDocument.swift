/// A JSON value that remembers the line it started on.
///
/// The inventory is edited by hand; a refusal must name the line and the
/// field. Foundation's decoders report neither, and silently keep the last of
/// two duplicate keys, so the inventory is read with this small parser.
public indirect enum JSONValue: Sendable, Equatable {
    case object([(key: String, value: JSONNode)])
    case array([JSONNode])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)): x.map(\.key) == y.map(\.key) && x.map(\.value) == y.map(\.value)
        case (.array(let x), .array(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.bool(let x), .bool(let y)): x == y
        case (.null, .null): true
        default: false
        }
    }

    var typeName: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "true or false"
        case .null: "null"
        }
    }
}

public struct JSONNode: Sendable, Equatable {
    public var value: JSONValue
    public var line: Int
}

/// A syntax error, with its line.
public struct JSONSyntaxError: Error, Equatable {
    public var line: Int
    public var message: String
}

public enum JSONDocument {
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONNode {
        var p = Parser(bytes: Array(text.utf8))
        p.skipWhitespace()
        let v = try p.value(depth: 0)
        p.skipWhitespace()
        guard p.i == p.bytes.count else { throw p.error("unexpected text after the end of the document") }
        return v
    }

    struct Parser {
        let bytes: [UInt8]
        var i = 0
        var line = 1

        func error(_ m: String) -> JSONSyntaxError { JSONSyntaxError(line: line, message: m) }

        mutating func skipWhitespace() {
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "\n"): line += 1; i += 1
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): i += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONNode {
            guard depth < 64 else { throw error("nested too deeply") }
            guard i < bytes.count else { throw error("unexpected end of file") }
            let start = line
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var members: [(key: String, value: JSONNode)] = []
                skipWhitespace()
                if i < bytes.count && bytes[i] == UInt8(ascii: "}") { i += 1; return JSONNode(value: .object(members), line: start) }
                while true {
                    skipWhitespace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a key in double quotes") }
                    let keyLine = line
                    let key = try string()
                    if members.contains(where: { $0.key == key }) {
                        throw JSONSyntaxError(line: keyLine, message: "duplicate key \(key.debugDescription)")
                    }
                    skipWhitespace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':' after key \(key.debugDescription)") }
                    i += 1
                    skipWhitespace()
                    members.append((key, try value(depth: depth + 1)))
                    skipWhitespace()
                    guard i < bytes.count else { throw error("unexpected end of file in an object") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return JSONNode(value: .object(members), line: start) }
                    throw error("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [JSONNode] = []
                skipWhitespace()
                if i < bytes.count && bytes[i] == UInt8(ascii: "]") { i += 1; return JSONNode(value: .array(items), line: start) }
                while true {
                    skipWhitespace()
                    items.append(try value(depth: depth + 1))
                    skipWhitespace()
                    guard i < bytes.count else { throw error("unexpected end of file in an array") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return JSONNode(value: .array(items), line: start) }
                    throw error("expected ',' or ']'")
                }
            case UInt8(ascii: "\""):
                return JSONNode(value: .string(try string()), line: start)
            case UInt8(ascii: "t"): try literal("true"); return JSONNode(value: .bool(true), line: start)
            case UInt8(ascii: "f"): try literal("false"); return JSONNode(value: .bool(false), line: start)
            case UInt8(ascii: "n"): try literal("null"); return JSONNode(value: .null, line: start)
            default:
                return JSONNode(value: .number(try number()), line: start)
            }
        }

        mutating func literal(_ word: String) throws(JSONSyntaxError) {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { throw error("unexpected character") }
            i += w.count
        }

        mutating func number() throws(JSONSyntaxError) -> Double {
            let start = i
            while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
            guard i > start, let d = Double(String(decoding: bytes[start..<i], as: UTF8.self)) else {
                throw error("unexpected character")
            }
            return d
        }

        mutating func string() throws(JSONSyntaxError) -> String {
            i += 1
            var out: [UInt8] = []
            while i < bytes.count {
                let b = bytes[i]
                i += 1
                switch b {
                case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\n"): throw error("line break inside a string")
                case UInt8(ascii: "\\"):
                    guard i < bytes.count else { break }
                    let e = bytes[i]
                    i += 1
                    switch e {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "u"):
                        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16),
                            let s = Unicode.Scalar(v)
                        else { throw error("bad \\u escape") }
                        out.append(contentsOf: Array(String(Character(s)).utf8))
                        i += 4
                    default: out.append(e)
                    }
                default: out.append(b)
                }
            }
            throw error("unterminated string")
        }
    }
}
