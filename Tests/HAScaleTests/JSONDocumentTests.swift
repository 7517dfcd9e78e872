@testable import HAScale
import Testing

/// The inventory's reader is RFC 8259 exactly: what it accepts, every other
/// JSON tool reads the same way, and each refusal names its line.
@Suite("JSON document")
struct JSONDocumentTests {
    static func n(_ v: JSONValue, _ line: Int = 1) -> JSONNode { JSONNode(value: v, line: line) }

    @Test(arguments: [
        ("{}", .object([])),
        ("[]", .array([])),
        (" \t\r\n[ ] \r\n", .array([])),
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("null", .null),
        ("0", .number(0)),
        ("-0", .number(-0.0)),
        ("7", .number(7)),
        ("-12", .number(-12)),
        ("10.25", .number(10.25)),
        ("0.5", .number(0.5)),
        ("1e3", .number(1000)),
        ("1E+3", .number(1000)),
        ("25e-1", .number(2.5)),
        ("-1.5e-0", .number(-1.5)),
        ("1e-400", .number(0)),
        ("\"\"", .string("")),
        (#""plain é 😀""#, .string("plain é 😀")),
        (#""\" \\ \/ \b \f \n \r \t""#, .string("\" \\ / \u{8} \u{C} \n \r \t")),
        (#""\u00e9\u00C9\u0000\u001f""#, .string("éÉ\u{0}\u{1F}")),
        (#""\uD83D\uDE00 \ud834\udd1e""#, .string("😀 𝄞")),
        ("\"\u{7F}\"", .string("\u{7F}")),
        (#"[1,"a",[null],{"k":false}]"#, .array([n(.number(1)), n(.string("a")), n(.array([n(.null)])), n(.object([(key: "k", value: n(.bool(false)))]))])),
        (#"{"a":1,"b":{"a":2}}"#, .object([(key: "a", value: n(.number(1))), (key: "b", value: n(.object([(key: "a", value: n(.number(2)))])))])),
    ] as [(String, JSONValue)])
    func accepted(text: String, value: JSONValue) throws {
        let node = try JSONDocument.parse(text)
        #expect(node.value == value, "\(text)")
        if case .number(let expected) = value, case .number(let got) = node.value {
            #expect(got.sign == expected.sign, "-0 keeps its sign")
        }
    }

    @Test(arguments: [
        // Escapes: only the eight short ones and \uXXXX.
        (#""\q""#, 1, "not a JSON escape"),
        (#""\x41""#, 1, "not a JSON escape"),
        (#""\'""#, 1, "not a JSON escape"),
        (#""\u12""#, 1, "four hex digits"),
        (#""\u+123""#, 1, "four hex digits"),
        (#""\u00g0""#, 1, "four hex digits"),
        // Surrogates: only as a high-low pair.
        (#""\uD800""#, 1, "first half of a surrogate pair"),
        (#""\uD800x""#, 1, "first half of a surrogate pair"),
        (#""\uD800\u0041""#, 1, "second half of its surrogate pair"),
        (#""\uD800\uD800""#, 1, "second half of its surrogate pair"),
        (#""\uDC00""#, 1, "no first half"),
        (#""\uDE00\uD83D""#, 1, "no first half"),
        // Raw control characters inside strings.
        ("\"a\tb\"", 1, "write it as \\t"),
        ("\"a\u{1}b\"", 1, "U+0001"),
        ("\"a\u{0}b\"", 1, "U+0000"),
        ("[\n\"a\nb\"]", 2, "line break inside a string"),
        ("\"abc", 1, "unterminated string"),
        // Numbers: -? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?
        ("+1", 1, "no '+' sign"),
        ("01", 1, "write 1"),
        ("-007", 1, "write -7"),
        ("00", 1, "write 0"),
        (".5", 1, "write 0.5"),
        ("1.", 1, "after the decimal point"),
        ("1.e3", 1, "after the decimal point"),
        ("1e", 1, "exponent"),
        ("1e+", 1, "exponent"),
        ("-", 1, "after '-'"),
        ("--1", 1, "after '-'"),
        ("-a", 1, "after '-'"),
        ("0x10", 1, "after the end of the document"),
        ("1e400", 1, "too large"),
        ("-1e400", 1, "too large"),
        ("Infinity", 1, "expected a value"),
        ("NaN", 1, "lowercase"),
        // Literals, exactly.
        ("tru", 1, "expected true"),
        ("True", 1, "lowercase"),
        ("nul", 1, "expected null"),
        ("falsey", 1, "after the end of the document"),
        ("[truex]", 1, "expected ',' or ']'"),
        // Structure.
        ("", 1, "empty"),
        ("  \n ", 2, "empty"),
        ("{\"a\":1,}", 1, "remove the comma"),
        ("[1,]", 1, "remove the extra comma"),
        ("[1 2]", 1, "expected ',' or ']'"),
        ("{\"a\" 1}", 1, "expected ':'"),
        ("{a:1}", 1, "expected a key in double quotes"),
        ("{'a':1}", 1, "expected a key in double quotes"),
        ("['a']", 1, "double quotes"),
        ("{\n  // a comment\n}", 2, "expected a key"),
        ("[\n  # a comment\n]", 2, "no comments"),
        ("\u{201C}a\u{201D}", 1, "straight double quotes"),
        ("1 2", 1, "after the end of the document"),
        ("{} {}", 1, "after the end of the document"),
        ("[\n1,\n2", 3, "array opened at line 1"),
        ("{\n\"a\": {\n\"b\": 1\n", 4, "object opened at line 2"),
        ("\u{FEFF}{}", 1, "byte order mark"),
        // Duplicate keys: the line of the second one, and where the first is.
        ("{\"a\":1,\"a\":2}", 1, "duplicate key \"a\""),
        ("{\n  \"a\": 1,\n  \"b\": { \"a\": 1 },\n\n  \"a\": 2\n}", 5, "(first at line 2)"),
        ("{\"\\u0061\":1,\"a\":2}", 1, "duplicate key \"a\""),
        // Lines count from 1, one per \n (\r\n is one line).
        ("{\r\n  \"a\": 1,\r\n  \"b\": +2\r\n}", 3, "no '+' sign"),
    ] as [(String, Int, String)])
    func refused(text: String, line: Int, message: String) {
        do {
            let node = try JSONDocument.parse(text)
            Issue.record("accepted \(text.debugDescription) as \(node.value)")
        } catch {
            #expect(error.line == line, "\(text.debugDescription): \(error)")
            #expect(error.message.contains(message), "\(text.debugDescription): \(error)")
        }
    }

    @Test func nestingIsBounded() throws {
        let deep = JSONDocument.maximumDepth
        _ = try JSONDocument.parse(String(repeating: "[", count: deep) + String(repeating: "]", count: deep))
        #expect(throws: JSONSyntaxError.self) {
            try JSONDocument.parse(String(repeating: "[", count: deep + 1) + String(repeating: "]", count: deep + 1))
        }
    }

    @Test(arguments: [
        ([0x22, 0xE9, 0x22], "byte 0xE9"),                 // Latin-1 é
        ([0x22, 0xC3, 0x22], "byte 0xC3"),                 // truncated sequence
        ([0x22, 0xC0, 0xAF, 0x22], "byte 0xC0"),           // overlong '/'
        ([0x22, 0xED, 0xA0, 0x80, 0x22], "byte 0xED"),     // a surrogate, encoded
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "byte 0xF4"),  // above U+10FFFF
    ] as [([UInt8], String)])
    func invalidUTF8InAStringIsRefused(bytes: [UInt8], message: String) {
        let e = Self.error(utf8: Array("{\n\"k\":".utf8) + bytes + [UInt8(ascii: "}")])
        #expect(e?.line == 2, "\(String(describing: e))")
        #expect(e?.message.contains(message) == true && e?.message.contains("save the file as UTF-8") == true, "\(String(describing: e))")
    }

    @Test func nonASCIIOutsideAStringIsNamed() {
        #expect(Self.error(utf8: [UInt8(ascii: "["), 0xE9, UInt8(ascii: "]")])?.message.contains("found byte 0xE9") == true)
    }

    static func error(utf8 bytes: [UInt8]) -> JSONSyntaxError? {
        do {
            _ = try JSONDocument.parse(utf8: bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func everyValueKnowsItsLine() throws {
        let root = try JSONDocument.parse("""
            {
              "a": 1,
              "b": [
                true,

                { "c": null }
              ],
              "d":
                "x"
            }
            """)
        #expect(root.line == 1)
        guard case .object(let members) = root.value, members.count == 3,
            case .array(let items) = members[1].value.value, items.count == 2,
            case .object(let inner) = items[1].value
        else {
            Issue.record("shape: \(root.value)")
            return
        }
        #expect(members.map(\.value.line) == [2, 3, 9])
        #expect(items.map(\.line) == [4, 6])
        #expect(inner[0].value.line == 6)
    }

    @Test func stringAndBytesAgree() throws {
        let text = #"{"k": ["é\u00e9", -1.5e2, null]}"#
        #expect(try JSONDocument.parse(text) == JSONDocument.parse(utf8: Array(text.utf8)))
    }
}
