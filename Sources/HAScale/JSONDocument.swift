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

/// A syntax error: the line it is on and what to write instead.
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public var description: String { "line \(line): \(message)" }
}

/// Strict RFC 8259. A file hascale accepts must mean the same to every other
/// JSON tool an operator runs on it (jq, an editor, a config linter), so nothing
/// lenient parsers disagree on is accepted: no `\q`, `+1`, `01`, comments,
/// trailing commas, raw control characters, lone surrogates or duplicate keys.
public enum JSONDocument {
    /// The parser recurses; no inventory comes near this, a hostile file cannot go past it.
    static let maximumDepth = 64

    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONNode {
        try parse(utf8: Array(text.utf8))
    }

    /// Bytes as read from a file: invalid UTF-8 is refused with its line rather
    /// than silently replaced, as decoding to `String` first would do.
    public static func parse(utf8 bytes: [UInt8]) throws(JSONSyntaxError) -> JSONNode {
        var p = Parser(bytes: bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw p.error("the file starts with a byte order mark; save it as UTF-8 without one")
        }
        p.skipWhitespace()
        guard p.i < bytes.count else { throw p.error("the document is empty; it needs one value, such as {}") }
        let v = try p.value(depth: 0)
        p.skipWhitespace()
        guard p.i == bytes.count else {
            throw p.error("unexpected \(p.found) after the end of the document; a document is one value (wrap several in [ ])")
        }
        return v
    }

    struct Parser {
        let bytes: [UInt8]
        var i = 0
        var line = 1

        func error(_ m: String) -> JSONSyntaxError { JSONSyntaxError(line: line, message: m) }

        func at(_ c: Unicode.Scalar) -> Bool { i < bytes.count && bytes[i] == UInt8(ascii: c) }

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
            guard depth < JSONDocument.maximumDepth else {
                throw error("arrays and objects nested more than \(JSONDocument.maximumDepth) deep; flatten the document")
            }
            guard i < bytes.count else { throw error("unexpected end of the file where a value should be") }
            let start = line
            let v: JSONValue
            switch bytes[i] {
            case UInt8(ascii: "{"): v = try object(depth: depth)
            case UInt8(ascii: "["): v = try array(depth: depth)
            case UInt8(ascii: "\""): v = .string(try string())
            case UInt8(ascii: "t"): try literal("true"); v = .bool(true)
            case UInt8(ascii: "f"): try literal("false"); v = .bool(false)
            case UInt8(ascii: "n"): try literal("null"); v = .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): v = .number(try number())
            default: throw error("expected a value (object, array, string, number, true, false or null), found \(found)\(hint)")
            }
            return JSONNode(value: v, line: start)
        }

        mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
            let start = line
            i += 1
            var members: [(key: String, value: JSONNode)] = []
            // Keys compare as Swift strings do (canonical equivalence): two spellings
            // of the same visible name are refused too, not kept as two keys.
            var firstLine: [String: Int] = [:]
            skipWhitespace()
            if at("}") { i += 1; return .object(members) }
            while true {
                skipWhitespace()
                guard at("\"") else {
                    throw error("expected a key in double quotes, found \(found)\(at("}") ? " (remove the comma before '}')" : hint)")
                }
                let keyLine = line
                let key = try string()
                if let first = firstLine[key] {
                    throw error("duplicate key \(key.debugDescription) (first at line \(first)); keep only one")
                }
                firstLine[key] = keyLine
                skipWhitespace()
                guard at(":") else { throw error("expected ':' after key \(key.debugDescription), found \(found)") }
                i += 1
                skipWhitespace()
                members.append((key, try value(depth: depth + 1)))
                skipWhitespace()
                guard i < bytes.count else {
                    throw error("unexpected end of the file in the object opened at line \(start); close it with '}'")
                }
                if at(",") { i += 1; continue }
                if at("}") { i += 1; return .object(members) }
                throw error("expected ',' or '}' after the value of \(key.debugDescription), found \(found)")
            }
        }

        mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
            let start = line
            i += 1
            var items: [JSONNode] = []
            skipWhitespace()
            if at("]") { i += 1; return .array(items) }
            while true {
                skipWhitespace()
                items.append(try value(depth: depth + 1))
                skipWhitespace()
                guard i < bytes.count else {
                    throw error("unexpected end of the file in the array opened at line \(start); close it with ']'")
                }
                if at(",") { i += 1; continue }
                if at("]") { i += 1; return .array(items) }
                throw error("expected ',' or ']' in the array, found \(found)")
            }
        }

        mutating func literal(_ word: String) throws(JSONSyntaxError) {
            guard bytes[i...].starts(with: word.utf8) else {
                // The whole word as typed (`tru`, `nil`), not just its first letter.
                let typed = bytes[i...].prefix(20).prefix { b in
                    (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                }
                throw error("expected \(word), found '\(String(decoding: typed, as: UTF8.self))'")
            }
            i += word.utf8.count
        }

        func isDigit(_ k: Int) -> Bool {
            k < bytes.count && bytes[k] >= UInt8(ascii: "0") && bytes[k] <= UInt8(ascii: "9")
        }

        mutating func skipDigits() { while isDigit(i) { i += 1 } }

        /// `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`, checked here
        /// because `Double(String)` also takes `+1`, `.5`, `1.`, `inf` and hex.
        mutating func number() throws(JSONSyntaxError) -> Double {
            let start = i
            if at("-") { i += 1 }
            guard isDigit(i) else { throw error("expected a digit after '-', found \(found)") }
            if at("0") && isDigit(i + 1) {
                let zeros = i
                skipDigits()
                let digits = bytes[zeros..<i].drop { $0 == UInt8(ascii: "0") }
                let fixed = (zeros > start ? "-" : "") + (digits.isEmpty ? "0" : String(decoding: digits, as: UTF8.self))
                throw error("a number cannot start with 0 (JSON has no octal); write \(fixed)")
            }
            skipDigits()
            if at(".") {
                i += 1
                guard isDigit(i) else { throw error("expected a digit after the decimal point; write 1.0 or 1, not 1.") }
                skipDigits()
            }
            if at("e") || at("E") {
                i += 1
                if at("+") || at("-") { i += 1 }
                guard isDigit(i) else { throw error("expected the exponent's digits after 'e', as in 1e3") }
                skipDigits()
            }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            guard let d = Double(text), d.isFinite else { throw error("\(text.prefix(40)) is too large for a number (beyond ±1.8e308)") }
            return d
        }

        mutating func string() throws(JSONSyntaxError) -> String {
            i += 1
            var out: [UInt8] = []
            while i < bytes.count {
                let b = bytes[i]
                switch b {
                case UInt8(ascii: "\""):
                    i += 1
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    try escape(into: &out)
                case 0x0A:
                    throw error("line break inside a string; close the string with '\"' on its line, or write \\n")
                case 0..<0x20:
                    throw error("raw control character U+\(Parser.hex(UInt32(b))) inside a string; write it as \(Parser.escaped(b))")
                case 0x80...:
                    var rest = bytes[i...].makeIterator()
                    var decoder = Unicode.UTF8.ForwardParser()
                    guard case .valid(let scalar) = decoder.parseScalar(from: &rest) else {
                        throw error("invalid UTF-8 (byte 0x\(Parser.hex(UInt32(b), width: 2))) inside a string; save the file as UTF-8")
                    }
                    out.append(contentsOf: scalar)
                    i += scalar.count
                default:
                    out.append(b)
                    i += 1
                }
            }
            throw error("unterminated string; close it with '\"'")
        }

        mutating func escape(into out: inout [UInt8]) throws(JSONSyntaxError) {
            i += 1
            guard i < bytes.count else { throw error("unterminated string; close it with '\"'") }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                let unit = try hex4()
                let scalar: UInt32
                switch unit {
                case 0xD800...0xDBFF:
                    guard bytes[i...].starts(with: "\\u".utf8) else {
                        throw error("\\u\(Parser.hex(unit)) is the first half of a surrogate pair; follow it with the second half, \\uDC00 to \\uDFFF")
                    }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw error("\\u\(Parser.hex(unit)) must be followed by the second half of its surrogate pair (\\uDC00 to \\uDFFF), not \\u\(Parser.hex(low))")
                    }
                    scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                case 0xDC00...0xDFFF:
                    throw error("\\u\(Parser.hex(unit)) is the second half of a surrogate pair with no first half before it")
                default:
                    scalar = unit
                }
                // Every value outside the surrogate range is a scalar.
                UTF8.encode(Unicode.Scalar(scalar)!) { out.append($0) }
            default:
                i -= 1
                let what = e > 0x20 && e < 0x7F ? "\\\(Character(Unicode.Scalar(e)))" : "\\ followed by \(found)"
                throw error("\(what) is not a JSON escape; write \\\\ for a backslash (escapes: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
            }
        }

        /// Exactly four hex digits: `UInt32(_:radix:)` would also take a sign.
        mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
            var v: UInt32 = 0
            for _ in 0..<4 {
                guard i < bytes.count, let d = Parser.hexValue(bytes[i]) else {
                    throw error("\\u needs four hex digits, as in \\u00e9; found \(found)")
                }
                v = v << 4 | d
                i += 1
            }
            return v
        }

        static func hexValue(_ b: UInt8) -> UInt32? {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
            default: nil
            }
        }

        static func escaped(_ control: UInt8) -> String {
            switch control {
            case 0x08: "\\b"
            case 0x09: "\\t"
            case 0x0C: "\\f"
            case 0x0D: "\\r"
            default: "\\u\(Parser.hex(UInt32(control)))"
            }
        }

        /// The non-ASCII character at the cursor, if it is valid UTF-8.
        var scalarAtCursor: Unicode.Scalar? {
            guard i < bytes.count, bytes[i] >= 0x80 else { return nil }
            var rest = bytes[i...].makeIterator()
            var decoder = Unicode.UTF8.ForwardParser()
            guard case .valid(let encoded) = decoder.parseScalar(from: &rest) else { return nil }
            return UTF8.decode(encoded)
        }

        /// What is at the cursor, as an operator would recognise it in an editor.
        var found: String {
            guard i < bytes.count else { return "the end of the file" }
            let b = bytes[i]
            if b > 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
            if let s = scalarAtCursor { return "'\(Character(s))' (U+\(Parser.hex(s.value)))" }
            return "byte 0x\(Parser.hex(UInt32(b), width: 2))"
        }

        /// The usual reasons for a character where a value should be.
        var hint: String {
            guard i < bytes.count else { return "" }
            switch bytes[i] {
            case UInt8(ascii: "'"): return "; JSON strings take double quotes"
            case UInt8(ascii: "+"): return "; a number has no '+' sign (write 1, not +1)"
            case UInt8(ascii: "."): return "; write 0.5, not .5"
            case UInt8(ascii: "/"), UInt8(ascii: "#"): return "; JSON has no comments"
            case UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: ","): return " (remove the extra comma, or add the missing value)"
            case UInt8(ascii: "T"), UInt8(ascii: "F"), UInt8(ascii: "N"): return "; true, false and null are lowercase"
            default:
                // What a word processor or a web page makes of quotes.
                guard let s = scalarAtCursor, (0x2018...0x201F).contains(s.value) else { return "" }
                return "; use straight double quotes (\"), not typographic ones"
            }
        }

        /// Upper-case hex, zero-padded: `\u00E9`, `0x0A`.
        static func hex(_ v: UInt32, width: Int = 4) -> String {
            let digits = String(v, radix: 16, uppercase: true)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
    }
}
