import Foundation
import TestSupport
import Testing
import VolumeCore
import VolumeIO

/// Fat–water swaps on real anatomy: MyoSegmenTUM TUM01's water and fat maps (29 slices) as they are, swapped
/// whole, swapped over 7 slices, and with every muscle voxel made 60 % fat.
@Suite struct FatWaterSwapTests {
    enum Change { case none, whole, slices(Range<Int>), fattyMuscles }

    /// A participant folder of TUM01 with `change` applied to its water and fat maps.
    static func participant(_ change: Change, in folder: TemporaryFolder, id: String = "P1") throws -> String {
        let waterPath = try RealScanTests.fixture("myosegmentum/TUM01_water_img_img_L2-L5.nii.gz")
        let fatPath = try RealScanTests.fixture("myosegmentum/TUM01_fat_img_img_L2-L5.nii.gz")
        let maskPath = try RealScanTests.fixture("myosegmentum/TUM01_fat_manual_label_segmentation_L2-L5.nii.gz")
        let waterVolume = try VolumeFile.load(waterPath).volume, fatVolume = try VolumeFile.load(fatPath).volume
        var water = waterVolume.floatValues(), fat = fatVolume.floatValues()
        let d = waterVolume.dimensions, sliceSize = d.x * d.y
        switch change {
        case .none: break
        case .whole: (water, fat) = (fat, water)
        case .slices(let range):
            for i in (range.lowerBound * sliceSize)..<(range.upperBound * sliceSize) { (water[i], fat[i]) = (fat[i], water[i]) }
        case .fattyMuscles:
            let labels = try #require(try VolumeFile.load(maskPath).volume.storage.labelValues())
            for i in labels.indices where labels[i] != 0 {
                let signal = water[i] + fat[i]
                (water[i], fat[i]) = (0.4 * signal, 0.6 * signal)
            }
        }
        let path = folder.file(id)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try VolumeFile.save(Volume(dimensions: d, spacing: waterVolume.spacing, affine: waterVolume.affine, storage: .float32(water)), to: path + "/water.nii.gz")
        try VolumeFile.save(Volume(dimensions: d, spacing: fatVolume.spacing, affine: fatVolume.affine, storage: .float32(fat)), to: path + "/fat.nii.gz")
        try FileManager.default.createSymbolicLink(atPath: path + "/mask.nii.gz", withDestinationPath: maskPath)
        return path
    }

    static func analyze(_ participant: String, in folder: TemporaryFolder, _ options: [String] = []) throws -> IMATProcess.Result {
        try IMATProcess.run(["analyze", participant, "--out", folder.file("out"), "--labels", "none", "--trust-voxel-grid"] + options)
    }

    static func swap(_ folder: TemporaryFolder) throws -> [String: Any] {
        let qc = try #require(try RealScanTests.metrics(folder)["qc"] as? [String: Any])
        return try #require(qc["fat_water_swap"] as? [String: Any])
    }

    @Test func swapsAreFoundAndLocalisedAndNoneIsFlaggedWithout() throws {
        for (change, expected) in [(Change.none, [Int]()), (.whole, Array(0..<29)), (.slices(10..<17), Array(10..<17)), (.fattyMuscles, [])] {
            let folder = try TemporaryFolder()
            let result = try Self.analyze(try Self.participant(change, in: folder), in: folder)
            try #require(result.status == 0, "\(change): \(result.stderr)")
            let swap = try Self.swap(folder)
            #expect(swap["slices"] as? [Int] == expected, "\(change)")
            #expect(swap["detected"] as? Bool == !expected.isEmpty, "\(change)")
            #expect(swap["undecided"] as? [Int] == [], "\(change)")
            let flags = (try RealScanTests.metrics(folder)["qc"] as? [String: Any])?["flags"] as? [String] ?? []
            #expect(flags.contains("fat_water_swap") == !expected.isEmpty, "\(change)")
        }
    }

    /// `--swap fix` exchanges the swapped slices back: the numbers are those of the unswapped maps. `--swap fail`
    /// refuses, naming the slices.
    @Test func fixRestoresTheNumbersAndFailRefuses() throws {
        let folder = try TemporaryFolder()
        let clean = try Self.participant(.none, in: folder, id: "P0")
        let swapped = try Self.participant(.slices(10..<17), in: folder, id: "P1")
        #expect(try Self.analyze(clean, in: folder).status == 0)
        let fixed = try Self.analyze(swapped, in: folder, ["--swap", "fix"])
        try #require(fixed.status == 0, "\(fixed.stderr)")
        #expect(try Self.swap(folder)["action"] as? String == "fixed")
        func numbers(_ id: String) throws -> [String] {
            // Every column but the participant, the flags and the version (the last two).
            try String(contentsOfFile: folder.file("out/\(id)/metrics.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).dropFirst().dropLast(2).joined(separator: ",") }
        }
        #expect(try numbers("P1") == (try numbers("P0")))

        let refused = try Self.analyze(swapped, in: folder, ["--swap", "fail"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("fat–water swap in slices 10–16: water and fat look exchanged there"), "\(refused.stderr)")
    }
}
