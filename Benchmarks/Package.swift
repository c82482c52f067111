// swift-tools-version:6.1
// The speed suite, apart from the main package so that its dependency (package-benchmark) never reaches
// users' builds. Run from this folder: swift package benchmark (see README.md).
import PackageDescription

let package = Package(
    name: "IMATKitBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        // IMATKit is a symlink to the repository root: a path dependency is named after its folder, and the
        // clone's folder name is not known in advance.
        .package(path: "IMATKit"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "IMATBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Association", package: "IMATKit"),
            ],
            path: "Benchmarks/IMATBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
