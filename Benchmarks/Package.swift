// swift-tools-version:6.1
// The speed suite, apart from the main package so that its dependency (package-benchmark) never reaches
// users' builds. Run from this folder: ./run.sh (or swift package --disable-sandbox benchmark after
// ./prepare-data.sh).
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
        // libpng's and zlib's own decoding of the suite's files: the floors the readers are measured against.
        .target(name: "CFloors", path: "Benchmarks/CFloors",
                linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("isal")]),
        .executableTarget(
            name: "IMATBenchmarks",
            dependencies: [
                "CFloors",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "VolumeCore", package: "IMATKit"),
                .product(name: "VolumeIO", package: "IMATKit"),
                .product(name: "Analysis", package: "IMATKit"),
                .product(name: "Segmentation", package: "IMATKit"),
                .product(name: "Reporting", package: "IMATKit"),
                .product(name: "Association", package: "IMATKit"),
            ],
            path: "Benchmarks/IMATBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
