import Foundation
import VolumeCore
import VolumeIO

/// The phantom participant that Benchmarks/prepare-data.sh writes (256×256×120, seed 1), found through
/// IMAT_BENCHMARK_DATA or beside this package (Benchmarks/.data).
struct BenchmarkData: Sendable {
    let root: String

    /// The participant as NIfTI files (t1, water, fat, mask .nii.gz).
    var niftiParticipant: String { root + "/nifti/P0001" }
    /// The same participant as folders of PNG slices.
    var pngParticipant: String { root + "/png/P0001" }

    /// The data folder, or a message saying how to make it.
    static func locate() -> Result<BenchmarkData, DataMissing> {
        let environment = ProcessInfo.processInfo.environment["IMAT_BENCHMARK_DATA"]
        // This file is Benchmarks/Benchmarks/IMATBenchmarks/BenchmarkData.swift; the data is Benchmarks/.data.
        let beside = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".data").path
        let data = BenchmarkData(root: environment ?? beside)
        let needed = [data.niftiParticipant + "/t1.nii.gz", data.niftiParticipant + "/mask.nii.gz",
                      data.pngParticipant + "/t1"]
        guard needed.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) else {
            return .failure(DataMissing(root: data.root))
        }
        return .success(data)
    }

    struct DataMissing: Error, CustomStringConvertible {
        let root: String
        var description: String {
            "no benchmark data in \(root): run Benchmarks/prepare-data.sh first (or set IMAT_BENCHMARK_DATA to a folder holding nifti/P0001 and png/P0001)"
        }
    }

    /// The PNG slice files of `role` (t1, water, fat, mask) in slice order, as the PNG reader takes them.
    func pngSlices(_ role: String) throws -> [String] {
        let folder = pngParticipant + "/" + role
        return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".png") }.sorted()
            .map { folder + "/" + $0 }
    }

    func niftiPath(_ role: String) -> String { niftiParticipant + "/" + role + ".nii.gz" }

    func volume(_ role: String) throws -> Volume { try VolumeFile.load(niftiPath(role)).volume }
}

/// What the segmentation benchmarks work on: the participant's images as Float and its muscle labels.
struct MuscleImages: Sendable {
    let dimensions: Dimensions
    let t1: [Float]
    let water: [Float]
    let fat: [Float]
    /// Labels 44–47 (the four muscles) as stored, every other voxel 0: the voxels the Python tools are given too.
    let muscles: [UInt16]

    static let muscleLabels: ClosedRange<UInt16> = 44...47

    init(_ data: BenchmarkData) throws {
        let mask = try data.volume("mask")
        dimensions = mask.dimensions
        t1 = try data.volume("t1").floatValues()
        water = try data.volume("water").floatValues()
        fat = try data.volume("fat").floatValues()
        muscles = (mask.storage.labelValues() ?? []).map { Self.muscleLabels.contains($0) ? $0 : 0 }
    }
}
