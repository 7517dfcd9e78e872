// swift-tools-version:6.1
// Benchmarks live in their own package so that `swift test` on hascale does not
// build the benchmark harness and its dependencies.
import PackageDescription

let package = Package(
    name: "hascale-benchmarks",
    dependencies: [
        .package(name: "hascale", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ScannerThroughput",
            dependencies: [.product(name: "LogParser", package: "hascale"), .product(name: "HAScaleParse", package: "hascale")],
            swiftSettings: [.unsafeFlags(["-Ounchecked"])]
        ),
        .executableTarget(
            name: "ParserBenchmarks",
            dependencies: [
                .product(name: "LogParser", package: "hascale"),
                .product(name: "HAScaleParse", package: "hascale"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ParserBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
