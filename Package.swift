// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "IMATKit",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "imat", targets: ["imat"]),
        .library(name: "VolumeCore", targets: ["VolumeCore"]),
        .library(name: "VolumeIO", targets: ["VolumeIO"]),
        .library(name: "Segmentation", targets: ["Segmentation"]),
        .library(name: "Analysis", targets: ["Analysis"]),
        .library(name: "Reporting", targets: ["Reporting"]),
        .library(name: "Association", targets: ["Association"]),
        .library(name: "MendelianRandomization", targets: ["MendelianRandomization"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // System libraries, found with pkg-config (Debian packages: scripts/install-deps.sh).
        .systemLibrary(name: "CLibPNG", pkgConfig: "libpng16", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // ISA-L's igzip: .nii.gz inflate and deflate, streaming like zlib and 2× faster to inflate and 5–8× to deflate (Benchmarks/compression.sh).
        .systemLibrary(name: "CIsal", pkgConfig: "libisal", providers: [.apt(["libisal-dev"])]),
        .systemLibrary(name: "CLapack", pkgConfig: "openblas", providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]),
        // Compressed DICOM pixel data (Debian: libopenjp2-7-dev, libcharls-dev, libjpeg62-turbo-dev), as dcm2niix decodes it.
        .systemLibrary(name: "COpenJPEG", pkgConfig: "libopenjp2", providers: [.apt(["libopenjp2-7-dev"])]),
        .systemLibrary(name: "CCharLS", pkgConfig: "charls", providers: [.apt(["libcharls-dev"])]),
        .systemLibrary(name: "CLibJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg62-turbo-dev"])]),
        // libpng reports errors by longjmp; this shim owns the setjmp so Swift only ever sees return codes.
        .target(name: "CPNGShim", dependencies: ["CLibPNG"]),
        // One frame per call into a caller-sized buffer; libjpeg's longjmp and OpenJPEG's callbacks stay in C.
        .target(name: "CImageCodecs", dependencies: ["COpenJPEG", "CCharLS", "CLibJPEG"]),

        // The grid, the volume and the parallel loops: no file format, so the algorithms link none.
        .target(name: "VolumeCore", plugins: ["SourceRevision"]),
        // The git revision of the build, for `imat --version` and every output's provenance.
        .plugin(name: "SourceRevision", capability: .buildTool()),
        .target(name: "VolumeIO", dependencies: ["VolumeCore", "CPNGShim", "CZlib", "CIsal", "CImageCodecs"]),
        .target(name: "MatrixAlgebra", dependencies: ["CLapack"]),
        // The EM's two inner products, built per instruction set (same results on every machine).
        .target(name: "CMixtureKernels"),
        .target(name: "Segmentation", dependencies: ["VolumeCore", "MatrixAlgebra", "CMixtureKernels"]),
        // How a study lays out its participants: folders by role, DICOM series told apart by description.
        .target(name: "Study", dependencies: ["VolumeCore", "VolumeIO"]),
        .target(name: "Phantom", dependencies: ["VolumeCore", "VolumeIO"]),
        .target(name: "Tabular"),
        // The page frame and escaping every report shares (participant, cohort, association).
        .target(name: "HTMLPages"),
        // The per-participant pipeline: images → muscle selection → classes → metrics.
        .target(name: "Analysis", dependencies: ["VolumeCore", "VolumeIO", "Study", "Segmentation", "Tabular"]),
        // Renders what Analysis measured: metrics files, maps, the participant's HTML report.
        .target(name: "Reporting", dependencies: ["Analysis", "VolumeCore", "VolumeIO", "Segmentation", "HTMLPages"]),
        .target(name: "Cohort", dependencies: ["VolumeCore", "VolumeIO", "Analysis", "Reporting", "Tabular", "HTMLPages"]),
        // Normal, t and χ² tails computed directly (not as 1 − cdf), shared by the regressions and MR.
        .target(name: "StatisticalDistributions"),
        .target(name: "Association", dependencies: ["VolumeCore", "MatrixAlgebra", "Tabular", "HTMLPages", "StatisticalDistributions"]),
        // Two-sample Mendelian randomization from GWAS summary statistics: harmonisation, the estimators, the report.
        .target(name: "MendelianRandomization", dependencies: ["VolumeCore", "Tabular", "HTMLPages", "StatisticalDistributions"]),
        .target(name: "IMATCLI", dependencies: [
            "VolumeCore", "VolumeIO", "Study", "Phantom", "Analysis", "Reporting", "Cohort", "Association", "MendelianRandomization",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "imat", dependencies: ["IMATCLI"]),
        // The readers' mutation fuzzer (scripts/fuzz.sh; not part of the user's toolkit).
        .executableTarget(name: "IMATFuzz", dependencies: ["VolumeCore", "VolumeIO", "Association", "Phantom", "Analysis", "CZlib", "TestSupport"]),

        // What the test targets and the fuzzer share (temporary folders, DICOM fragment surgery); not part of the toolkit.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "VolumeIOTests", dependencies: ["VolumeCore", "VolumeIO", "Study", "CPNGShim", "CZlib", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SegmentationTests", dependencies: ["VolumeCore", "Segmentation", "Phantom", "CMixtureKernels"]),
        .testTarget(name: "PhantomTests", dependencies: ["Phantom", "VolumeCore", "VolumeIO"]),
        .testTarget(name: "TabularTests", dependencies: ["Tabular"]),
        .testTarget(name: "AssociationTests", dependencies: ["Association", "Tabular", "VolumeCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "StatisticalDistributionsTests", dependencies: ["StatisticalDistributions"]),
        .testTarget(name: "MendelianRandomizationTests", dependencies: ["MendelianRandomization", "StatisticalDistributions", "Tabular", "VolumeCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CohortTests", dependencies: ["Cohort", "Analysis", "TestSupport"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "Analysis", "HTMLPages", "Phantom", "VolumeCore", "VolumeIO", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["imat", "IMATCLI", "VolumeCore", "VolumeIO", "Analysis", "Phantom", "TestSupport"], exclude: ["Fixtures"]),
    ]
)
