import Foundation
import Testing

/// The check that the shipped binary needs only the system's libraries (scripts/check-libs),
/// tried on binaries that pass and fail it; the release build itself is checked where it is
/// made and where it is installed.
@Suite("packaging")
struct PackagingTests {
    static let root = "/" + #filePath.split(separator: "/").dropLast(3).joined(separator: "/")

    static func checkLibs(_ binary: String) throws -> (code: Int32, out: String) {
        try Tool.run("/bin/bash", ["\(root)/scripts/check-libs", binary])
    }

    @Test func checkLibsAcceptsABinaryOfTheSystems() throws {
        let r = try Self.checkLibs("/bin/sh")
        #expect(r.code == 0, "\(r.out)")
        #expect(r.out.contains("libc.so.6 => /"), "\(r.out)")
    }

    /// This test runner links the Swift runtime from the toolchain's directory, as the release
    /// binary did before --static-swift-stdlib: the check must name that library and fail.
    @Test func checkLibsRefusesTheToolchainsRuntime() throws {
        let runner = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let r = try Self.checkLibs(runner)
        #expect(r.code == 1, "\(r.out)")
        #expect(r.out.contains("check-libs: libswiftCore.so resolves to "), "\(r.out)")
        #expect(r.out.contains("outside the system's library directories"), "\(r.out)")
    }
}
