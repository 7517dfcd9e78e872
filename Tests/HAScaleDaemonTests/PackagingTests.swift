import Foundation
import HAScaleTestKit
import Testing

/// The parts of the .deb's build (scripts/package) that can be checked without the release
/// build: the library check it relies on, and the version it reads. scripts/test-deb installs
/// the real package on a clean Debian 12 root.
@Suite("packaging")
struct PackagingTests {
    static let root = "/" + #filePath.split(separator: "/").dropLast(3).joined(separator: "/")

    static func checkLibs(_ binary: String) throws -> (code: Int32, out: String) {
        let (code, out) = try ChildProcess.run("/bin/bash", ["\(root)/scripts/check-libs", binary])
        return (code, out)
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

    /// scripts/package refuses to build when packaging/deb/changelog does not start with an
    /// entry for the binary's version; this says so at test time, before anyone packages.
    @Test func changelogStartsWithTheBinarysVersion() throws {
        let changelog = try String(contentsOfFile: "\(Self.root)/packaging/deb/changelog", encoding: .utf8)
        let version = try CLI.run(["--version"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(changelog.hasPrefix("hascale (\(version)) "), "changelog starts \(changelog.prefix(40)), hascale --version is \(version)")
    }
}
