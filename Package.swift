// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "IMATKit",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "imat", targets: ["imat"]),
        .library(name: "VolumeIO", targets: ["VolumeIO"]),
        .library(name: "Segmentation", targets: ["Segmentation"]),
        .library(name: "Reporting", targets: ["Reporting"]),
        .library(name: "Association", targets: ["Association"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // System libraries, found with pkg-config (Debian packages: scripts/install-deps.sh).
        .systemLibrary(name: "CLibPNG", pkgConfig: "libpng16", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLapack", pkgConfig: "openblas", providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]),
        // Compressed DICOM pixel data (Debian: libopenjp2-7-dev, libcharls-dev, libjpeg62-turbo-dev), as dcm2niix decodes it.
        .systemLibrary(name: "COpenJPEG", pkgConfig: "libopenjp2", providers: [.apt(["libopenjp2-7-dev"])]),
        .systemLibrary(name: "CCharLS", pkgConfig: "charls", providers: [.apt(["libcharls-dev"])]),
        .systemLibrary(name: "CLibJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg62-turbo-dev"])]),
        // libpng reports errors by longjmp; this shim owns the setjmp so Swift only ever sees return codes.
        .target(name: "CPNGShim", dependencies: ["CLibPNG"]),
        // One frame per call into a caller-sized buffer; libjpeg's longjmp and OpenJPEG's callbacks stay in C.
        .target(name: "CImageCodecs", dependencies: ["COpenJPEG", "CCharLS", "CLibJPEG"]),

        .target(name: "VolumeIO", dependencies: ["CPNGShim", "CZlib", "CImageCodecs"]),
        .target(name: "Segmentation", dependencies: ["VolumeIO"]),
        .target(name: "Phantom", dependencies: ["VolumeIO"]),
        .target(name: "Tabular"),
        .target(name: "Reporting", dependencies: ["VolumeIO", "Segmentation", "Tabular"]),
        .target(name: "Cohort", dependencies: ["Reporting", "Tabular"]),
        .target(name: "Association", dependencies: ["CLapack", "Tabular", "Reporting"]),
        .target(name: "IMATCLI", dependencies: [
            "VolumeIO", "Segmentation", "Phantom", "Reporting", "Cohort", "Association",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "imat", dependencies: ["IMATCLI"]),
        // The readers' mutation fuzzer (scripts/fuzz.sh; not part of the user's toolkit).
        .executableTarget(name: "IMATFuzz", dependencies: ["VolumeIO", "Association", "Phantom", "Reporting", "CZlib"]),

        .testTarget(name: "VolumeIOTests", dependencies: ["VolumeIO", "CPNGShim"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SegmentationTests", dependencies: ["Segmentation", "Phantom"]),
        .testTarget(name: "PhantomTests", dependencies: ["Phantom", "VolumeIO"]),
        .testTarget(name: "TabularTests", dependencies: ["Tabular"]),
        .testTarget(name: "AssociationTests", dependencies: ["Association", "Tabular"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CLITests", dependencies: ["imat", "IMATCLI", "VolumeIO", "Reporting", "Phantom"], exclude: ["Fixtures"]),
    ]
)
