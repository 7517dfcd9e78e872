// libFuzzer entry point for the inventory's JSON parser; built by scripts/fuzz-json
// together with Sources/HAScale/JSONDocument.swift (compiled in, not linked, so the
// sanitizers see it all). Any input: no crash, and a refusal names a line of it.
// An accepted document, written back out two ways, reads back as the same value,
// and written one value per line, each value reports that line.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONDocument(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let lines = bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    let node: JSONNode
    do {
        node = try JSONDocument.parse(utf8: bytes)
    } catch {
        precondition(error.line >= 1 && error.line <= lines, "error on line \(error.line) of \(lines)")
        return 0
    }
    // Valid UTF-8 throughout (it was accepted), so the String entry point must agree.
    precondition(try! JSONDocument.parse(String(decoding: bytes, as: UTF8.self)) == node, "String and bytes disagree")

    var compact: [UInt8] = []
    FuzzJSON.write(node.value, to: &compact, spread: false)
    guard let back = try? JSONDocument.parse(utf8: compact) else {
        preconditionFailure("refused its own compact form: \(String(decoding: compact, as: UTF8.self))")
    }
    precondition(FuzzJSON.same(back.value, node.value), "compact form reads back differently")

    var spread: [UInt8] = []
    FuzzJSON.write(node.value, to: &spread, spread: true)
    guard let again = try? JSONDocument.parse(utf8: spread) else {
        preconditionFailure("refused its own spread form: \(String(decoding: spread, as: UTF8.self))")
    }
    precondition(FuzzJSON.same(again.value, node.value), "spread form reads back differently")
    var next = 1
    FuzzJSON.checkLines(again, &next)
    return 0
}

enum FuzzJSON {
    /// Compact: no whitespace, raw UTF-8, short escapes. Spread: every value on a
    /// line of its own (so the n-th value in document order is on line n), blanks
    /// around the tokens, every non-ASCII character as `\uXXXX` (pairs above U+FFFF).
    static func write(_ v: JSONValue, to out: inout [UInt8], spread: Bool) {
        func newline() { if spread { out += Array(" \t\r\n ".utf8) } }
        switch v {
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (k, m) in members.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                newline()
                writeString(m.key, to: &out, escapingNonASCII: spread)
                if spread { out += Array(" : ".utf8) } else { out.append(UInt8(ascii: ":")) }
                write(m.value.value, to: &out, spread: spread)
            }
            out.append(UInt8(ascii: "}"))
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                newline()
                write(item.value, to: &out, spread: spread)
            }
            out.append(UInt8(ascii: "]"))
        case .string(let s): writeString(s, to: &out, escapingNonASCII: spread)
        // Swift prints the shortest text that reads back to the same Double, always
        // within JSON's number grammar for finite values (`1e-05`, `-0.0`, `5e+20`).
        case .number(let d): out += Array("\(d)".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .null: out += Array("null".utf8)
        }
    }

    static func writeString(_ s: String, to out: inout [UInt8], escapingNonASCII: Bool) {
        func u(_ unit: UInt32) {
            let hex = String(unit, radix: 16)
            out += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
        }
        out.append(UInt8(ascii: "\""))
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += Array("\\\"".utf8)
            case "\\": out += Array("\\\\".utf8)
            case "\n": out += Array("\\n".utf8)
            case "\t": out += Array("\\t".utf8)
            case "/" where escapingNonASCII: out += Array("\\/".utf8)
            case _ where scalar.value < 0x20: u(scalar.value)
            case _ where scalar.value >= 0x80 && escapingNonASCII:
                if scalar.value > 0xFFFF {
                    let v = scalar.value - 0x10000
                    u(0xD800 + (v >> 10))
                    u(0xDC00 + (v & 0x3FF))
                } else {
                    u(scalar.value)
                }
            default: out += Array(String(scalar).utf8)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Equality without Swift's forgiving parts: strings scalar for scalar (not by
    /// canonical equivalence), numbers bit for bit (so -0 stays -0).
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            x.count == y.count && zip(x, y).allSatisfy { sameString($0.key, $1.key) && same($0.value.value, $1.value.value) }
        case (.array(let x), .array(let y)): x.count == y.count && zip(x, y).allSatisfy { same($0.value, $1.value) }
        case (.string(let x), .string(let y)): sameString(x, y)
        case (.number(let x), .number(let y)): x.bitPattern == y.bitPattern
        case (.bool(let x), .bool(let y)): x == y
        case (.null, .null): true
        default: false
        }
    }

    static func sameString(_ a: String, _ b: String) -> Bool { a.unicodeScalars.elementsEqual(b.unicodeScalars) }

    static func checkLines(_ node: JSONNode, _ next: inout Int) {
        precondition(node.line == next, "value \(next) in document order reported on line \(node.line)")
        next += 1
        switch node.value {
        case .object(let members): for m in members { checkLines(m.value, &next) }
        case .array(let items): for item in items { checkLines(item, &next) }
        default: break
        }
    }
}
