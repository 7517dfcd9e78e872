#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HAProxySocket
import HAScale
@testable import HAScaleRuntime
import Testing

/// Reading `servers.json` from disk: a file that cannot be read is one
/// `.unreadable` error saying what to do; one that can goes to the loader whole.
@Suite("Inventory file")
struct InventoryFileTests {
    final class Dir {
        let path: String
        init() {
            var template = Array("/tmp/hascale-inventory-XXXXXX".utf8CString)
            path = String(cString: mkdtemp(&template)!)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }

        func write(_ name: String, _ bytes: [UInt8]) throws -> String {
            let file = "\(path)/\(name)"
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            return file
        }
    }

    static let good = #"{ "backends": { "app": { "servers": { "s1": { "active": true } } } } }"#

    static func rejection(_ path: String) -> InventoryRejection? {
        do {
            _ = try InventoryFile.load(path: path)
            return nil
        } catch {
            return error
        }
    }

    @Test func aGoodFileLoads() throws {
        let dir = Dir()
        let inv = try InventoryFile.load(path: try dir.write("servers.json", Array(Self.good.utf8)))
        #expect(inv.backends.map(\.name.value) == ["app"])
    }

    @Test func aMissingFileSaysWhereTheExampleIs() throws {
        let dir = Dir()
        let rejection = try #require(Self.rejection("\(dir.path)/servers.json"))
        #expect(rejection.errors.map(\.kind) == [.missing])
        #expect(rejection.errors.first?.line == 0)
        #expect(rejection.description == "\(dir.path)/servers.json: cannot read the file: no such file; copy examples/servers.json there and edit it, or give --config")
    }

    @Test func aDirectoryIsNotAnInventory() throws {
        let dir = Dir()
        let rejection = try #require(Self.rejection(dir.path))
        #expect(rejection.errors.map(\.kind) == [.unreadable])
        #expect(rejection.description.contains("cannot read the file: it is a directory"), "\(rejection)")
    }

    @Test(.enabled(if: geteuid() != 0, "root reads any file"))
    func anUnreadableFileSaysToCheckItsMode() throws {
        let dir = Dir()
        let file = try dir.write("servers.json", Array(Self.good.utf8))
        #expect(chmod(file, 0) == 0)
        let rejection = try #require(Self.rejection(file))
        #expect(rejection.errors.map(\.kind) == [.unreadable])
        #expect(rejection.description.contains("not readable by this user; check its owner and mode"), "\(rejection)")
    }

    @Test func invalidUTF8IsASyntaxErrorWithItsLine() throws {
        let dir = Dir()
        // "café" saved as Latin-1 on line 3.
        let bytes = Array("{ \"backends\": {\n  \"app\": { \"servers\": {\n    \"caf".utf8) + [0xE9] + Array("\": { \"active\": true } } } } }".utf8)
        let rejection = try #require(Self.rejection(try dir.write("servers.json", bytes)))
        #expect(rejection.errors.map(\.kind) == [.syntax])
        #expect(rejection.errors.first?.line == 3)
        #expect(rejection.description.contains("save the file as UTF-8"), "\(rejection)")
    }

    @Test func everyErrorOfABadFileIsReported() throws {
        let dir = Dir()
        let text = """
            { "backends": { "app": { "servers": {
                "s1": { "active": "yes" },
                "s2": { "active": true, "weight": 0 } } } } }
            """
        let file = try dir.write("servers.json", Array(text.utf8))
        let rejection = try #require(Self.rejection(file))
        #expect(rejection.errors.map(\.kind) == [.invalid, .invalid])
        #expect(rejection.errors.map(\.file) == [file, file])
        #expect(rejection.errors.map(\.line) == [2, 3])
    }

    /// The core links no address grammar: the file is checked with the client's.
    @Test(arguments: [
        ("/run/haproxy/admin.sock", true), ("unix@/run/haproxy/admin.sock", true), ("ipv4@127.0.0.1:9999", true), ("ipv6@[::1]:9999", true),
        ("ipv4@127.0.0.1", false), ("ipv4@localhost:9999", false), ("ipv6@[::1]", false), ("ipv4@127.0.0.1:0", false), ("udp@1.2.3.4:5", false), ("", false),
    ])
    func theSocketIsCheckedAsTheClientReadsIt(socket: String, valid: Bool) throws {
        let dir = Dir()
        let text = #"{ "haproxy": { "socket": \#(String(reflecting: socket)) }, "backends": { "app": { "servers": { "s1": { "active": true } } } } }"#
        let rejection = Self.rejection(try dir.write("servers.json", Array(text.utf8)))
        #expect((rejection == nil) == valid, "\(socket.debugDescription): \(String(describing: rejection))")
        if let rejection, let client = InventoryFile.checkSocket(socket) {
            #expect(rejection.errors.map(\.path) == ["haproxy.socket"])
            #expect(rejection.errors.first?.message == client, "the client's own words")
        }
    }
}
