// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "hascale",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hascale", targets: ["HAScaleDaemon"]),
        .library(name: "LogParser", targets: ["LogParser"]),
        .library(name: "HAProxySocket", targets: ["HAProxySocket"]),
        .library(name: "HAScale", targets: ["HAScale"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // The byte scanner: no dependencies, no Foundation, no allocation per line.
        .target(name: "LogParser"),
        .target(
            name: "HAProxySocket",
            dependencies: [.product(name: "SystemPackage", package: "swift-system")]
        ),
        .target(
            name: "HAScale",
            dependencies: [
                "LogParser", "HAProxySocket",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .executableTarget(
            name: "HAScaleDaemon",
            dependencies: [
                "HAScale", "LogParser", "HAProxySocket", "CSystemd",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // Real HAProxy processes and real HTTP backends on 127.0.0.1, shared by the
        // integration tests and the demo. Not a product: nothing ships it.
        .target(
            name: "HAScaleTestKit",
            dependencies: [
                "HAProxySocket",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // libsystemd (sd_notify, sd_journal_sendv, sd_journal_* reading) as a system library:
        // only the daemon links it, so the core stays testable and portable.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // The README's demo: the scenario of the end-to-end test, narrated. Not shipped.
        .executableTarget(name: "hascale-demo", dependencies: ["HAScaleTestKit"], path: "Sources/HAScaleDemo"),
        .testTarget(name: "LogParserTests", dependencies: ["LogParser", "HAScaleTestKit"]),
        .testTarget(name: "HAProxySocketTests", dependencies: ["HAProxySocket", "HAScale", "HAScaleTestKit"]),
        .testTarget(name: "HAScaleTests", dependencies: ["HAScale", "LogParser", "HAProxySocket", "HAScaleTestKit"]),
        .testTarget(name: "HAScaleDaemonTests", dependencies: ["HAScale", "LogParser", "HAScaleTestKit"]),
    ]
)
