// swift-tools-version:6.0
import PackageDescription

// The layers, bottom up (docs/architecture.md draws them):
//   LogParser, HAProxyNames      no dependencies, no I/O
//   HAProxySocket                the runtime-API client (syscalls through swift-system)
//   HAScale                      the pure core: inventory, policy, engine; no I/O, no Foundation
//   HAScaleSimulation            `hascale simulate`: the core in closed loop, virtual time
//   HAScaleParse                 the `hascale parse` toolchain over mapped files
//   HAScaleRuntime               the I/O around the core: log readers, loop, executor, warm-up, watchers
//   CDatagramSocket              recvmmsg and SO_RXQ_OVFL, which Glibc's Swift module lacks
//   HAScaleMetrics               `/metrics`: the loop's snapshot in Prometheus' format, on an HTTP/1 server
//   HAScaleDaemon                the `hascale` executable: CLI and the libsystemd calls
// The engine and the simulator are optimized in debug builds too: the tests run the
// simulator over whole traffic shapes (millions of requests), which unoptimized code
// runs about ten times slower. Testing (`@testable import`) still works.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "hascale",
    // Linux only (inotify, libsystemd, Glibc): no Apple platform is claimed.
    products: [
        .executable(name: "hascale", targets: ["HAScaleDaemon"]),
        .library(name: "LogParser", targets: ["LogParser"]),
        .library(name: "HAProxySocket", targets: ["HAProxySocket"]),
        .library(name: "HAScale", targets: ["HAScale"]),
        .library(name: "HAScaleParse", targets: ["HAScaleParse"]),
        .library(name: "HAScaleSimulation", targets: ["HAScaleSimulation"]),
        .library(name: "HAScaleRuntime", targets: ["HAScaleRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // The byte scanner: no dependencies, no Foundation, no allocation per line.
        .target(name: "LogParser"),
        // Validated backend and server names: the one type the pure core and the
        // runtime-API client share, so the core need not link the client's syscalls.
        .target(name: "HAProxyNames"),
        .target(
            name: "HAProxySocket",
            dependencies: ["HAProxyNames", .product(name: "SystemPackage", package: "swift-system")]
        ),
        // The pure core: observations and clock ticks in, decisions with structured
        // causes out. Nothing here does I/O, so it is tested, replayed and simulated as is.
        .target(name: "HAScale", dependencies: ["LogParser", "HAProxyNames"], swiftSettings: optimizedInDebug),
        // `hascale simulate`: the engine in closed loop against simulated servers in virtual
        // time. Its own target because it is a second consumer of the pure core (beside the
        // runtime), needs no I/O, and the daemon, its tests and its benchmark share it.
        .target(name: "HAScaleSimulation", dependencies: ["HAScale", "HAProxyNames", "LogParser"], swiftSettings: optimizedInDebug),
        // `hascale parse`: summaries of whole files on every core. Its own target so the
        // toolchain's mapped files and tables stay out of the daemon's core and runtime.
        .target(
            name: "HAScaleParse",
            dependencies: ["LogParser", .product(name: "SystemPackage", package: "swift-system")]
        ),
        // Everything that touches the world around the core: the log follower, the loop,
        // the executor and its warm-ups, the inventory file and its watcher.
        .target(
            name: "HAScaleRuntime",
            dependencies: [
                "HAScale", "LogParser", "HAProxyNames", "HAProxySocket", "CDatagramSocket",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // `/metrics`: the loop's published snapshot rendered with swift-prometheus, served by
        // NIO's HTTP/1 server. Its own target so the runtime (and the test kit, the simulator's
        // tests, everything that links the runtime) neither links swift-prometheus, its
        // swift-metrics and swift-atomics, nor NIOHTTP1: only the daemon, which serves it.
        .target(
            name: "HAScaleMetrics",
            dependencies: [
                "HAScale", "HAScaleRuntime", "HAProxyNames",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "HAScaleDaemon",
            dependencies: [
                "HAScale", "HAScaleParse", "HAScaleRuntime", "HAScaleMetrics", "HAScaleSimulation", "LogParser", "HAProxyNames", "HAProxySocket", "CSystemd",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // Real HAProxy processes and real HTTP backends on 127.0.0.1, an in-memory HAProxy
        // and a hand-driven clock, shared by the tests and the demo. Not a product: nothing ships it.
        .target(
            name: "HAScaleTestKit",
            dependencies: [
                "HAProxySocket", "HAProxyNames", "HAScale", "HAScaleRuntime",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // recvmmsg(2) and SO_RXQ_OVFL for the syslog receiver: GNU extensions Swift's Glibc
        // module does not import. A C target of a dozen lines, so the receiver stays in Swift.
        .target(name: "CDatagramSocket"),
        // libsystemd (sd_notify, sd_journal_sendv, sd_journal_* reading) as a system library:
        // only the daemon links it, so the core stays testable and portable.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // The README's demo: the scenario of the end-to-end test, narrated. Not shipped.
        .executableTarget(name: "hascale-demo", dependencies: ["HAScaleTestKit"], path: "Sources/HAScaleDemo"),
        .testTarget(name: "LogParserTests", dependencies: ["LogParser", "HAScaleTestKit"]),
        .testTarget(name: "HAProxySocketTests", dependencies: ["HAProxySocket", "HAProxyNames", "HAScaleTestKit"]),
        .testTarget(name: "HAScaleTests", dependencies: ["HAScale", "LogParser", "HAProxyNames", "HAScaleTestKit"]),
        .testTarget(name: "HAScaleSimulationTests", dependencies: ["HAScaleSimulation", "HAScale", "HAProxyNames", "LogParser"]),
        .testTarget(name: "HAScaleParseTests", dependencies: ["HAScaleParse", "LogParser", "HAScaleTestKit"]),
        .testTarget(name: "HAScaleMetricsTests", dependencies: ["HAScaleMetrics", "HAScaleRuntime", "HAScale", "HAProxyNames", "HAScaleTestKit"]),
        .testTarget(name: "HAScaleRuntimeTests", dependencies: ["HAScaleRuntime", "HAScale", "LogParser", "HAProxyNames", "HAProxySocket", "HAScaleTestKit"]),
        // Runs the built `hascale` binary: the dependency makes `swift build --build-tests` build it.
        .testTarget(name: "HAScaleDaemonTests", dependencies: ["HAScaleDaemon", "HAScale", "LogParser", "HAProxyNames", "HAProxySocket", "HAScaleTestKit"]),
    ]
)
