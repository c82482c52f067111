import Analysis
import Foundation
import Phantom
import TestSupport
import Testing
import VolumeCore
import VolumeIO

/// Real scans and segmentations written by other software (Fixtures/real/README.md: origins, licences).
@Suite struct RealScanTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/real")

    /// A fixture's path; a missing file fails the test instead of letting it pass by doing nothing.
    static func fixture(_ relative: String) throws -> String {
        let path = fixtures.appendingPathComponent(relative).path
        try #require(FileManager.default.fileExists(atPath: path), "missing fixture \(relative)")
        return path
    }

    /// A participant folder holding copies of (or links to) fixtures under their role names.
    static func participant(_ files: [String: String], in folder: TemporaryFolder, id: String = "P1") throws -> String {
        let path = folder.file(id)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (role, source) in files { try FileManager.default.createSymbolicLink(atPath: "\(path)/\(role)", withDestinationPath: source) }
        return path
    }

    static func metrics(_ folder: TemporaryFolder, _ id: String = "P1") throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: folder.file("out/\(id)/metrics.json")))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func totalSegmentatorExampleAnalysesOnlyItsBackMuscles() throws {
        let tmp = try TemporaryFolder()
        let p = try Self.participant(["t1.nii.gz": Self.fixture("totalsegmentator/example_mr_sm.nii.gz"),
                                      "mask.nii.gz": Self.fixture("totalsegmentator/example_seg_mr.nii.gz")], in: tmp)
        let run = try IMATProcess.run(["analyze", p, "--out", tmp.file("out")])
        #expect(run.status == 0, "\(run.stderr)")
        let m = try Self.metrics(tmp)
        let muscles = try #require(m["muscles"] as? [[String: Any]])
        #expect(muscles.map { $0["label"] as? Int } == [46, 47, 48, 49])
        #expect(muscles.map { $0["name"] as? String } == ["autochthon_left", "autochthon_right", "iliopsoas_left", "iliopsoas_right"])
        let total = try #require(m["total"] as? [String: Any])
        let summed = muscles.compactMap { $0["volume_ml"] as? Double }.reduce(0, +)
        #expect(abs(try #require(total["volume_ml"] as? Double) - summed) < 1e-9)
        #expect(try #require(total["voxels"] as? Int) == 3272 + 2869 + 97 + 135)
        let table = try #require(m["label_table"] as? [String: Any])
        #expect(table["name"] as? String == "totalsegmentator" && table["source"] as? String == "detected")
        let skipped = try #require(m["not_analysed"] as? [[String: Any]])
        #expect(skipped.count == 19)
        #expect(skipped.contains { $0["name"] as? String == "liver" && $0["voxels"] as? Int == 18480 })
        #expect(skipped.contains { $0["name"] as? String == "spinal_cord" })
        // The earlier ids stay available by name, and then name 46/47 iliopsoas.
        let old = try IMATProcess.run(["analyze", p, "--out", tmp.file("old"), "--labels", "totalsegmentator-v1"])
        #expect(old.status == 0, "\(old.stderr)")
        #expect(try String(contentsOfFile: tmp.file("old/P1/metrics.csv"), encoding: .utf8).contains("iliopsoas_left,46,"))
    }

    @Test func muscleMapModelJSONNamesItsLumbarMuscles() throws {
        let table = try LabelTable.named(Self.fixture("musclemap/contrast_agnostic_abdomen_model.json"))
        #expect(table.names == LabelTable.muscleMapAbdomen.names)
        #expect(table.muscles == Set(1...8))
        let wholeBody = try LabelTable.named(Self.fixture("musclemap/contrast_agnostic_wholebody_model.json"))
        #expect(wholeBody.names == LabelTable.muscleMap.names, "the built-in whole-body table is MuscleMap's own")
        #expect(wholeBody.names.count == 99)
        #expect(wholeBody.name(of: 5101) == "thoracolumbar_multifidus_left" && wholeBody.name(of: 5132) == "quadratus_lumborum_right")
        // Its bones are not muscles.
        #expect(Set(wholeBody.names.keys).subtracting(wholeBody.muscles) == [6151, 6152, 6160, 6171, 6172, 8151, 8152, 8161, 8162])
    }

    @Test(arguments: [("pve", 2), ("gmm", 2), ("gmm", 3), ("kmeans", 2), ("kmeans", 3), ("otsu", 2), ("otsu", 3)])
    func everyMethodKeepsFractionsWithinZeroAndOne(method: String, classes: Int) throws {
        let tmp = try TemporaryFolder()
        let p = try Self.participant(["t1.nii.gz": Self.fixture("musclemap/image.nii.gz"),
                                      "mask.nii.gz": Self.fixture("musclemap/image_dseg.nii.gz")], in: tmp)
        let run = try IMATProcess.run(["analyze", p, "--out", tmp.file("out"), "--method", method, "--classes", String(classes),
                                       "--labels", Self.fixture("musclemap/contrast_agnostic_abdomen_model.json")])
        #expect(run.status == 0, "\(run.stderr)")
        let m = try Self.metrics(tmp)
        let muscles = try #require(m["muscles"] as? [[String: Any]])
        #expect(muscles.count == 8)
        for row in muscles + [try #require(m["total"] as? [String: Any])] {
            for key in ["imat_fraction", "fat_fraction_mean"] {
                let value = try #require(row[key] as? Double)
                #expect((0...1).contains(value), "\(row["name"] ?? "total") \(key) = \(value)")
            }
        }
    }

    @Test func ambiguousLabelIdsStopWithAWayToChoose() throws {
        let tmp = try TemporaryFolder()
        let p = try Self.participant(["t1.nii.gz": Self.fixture("musclemap/image.nii.gz"),
                                      "mask.nii.gz": Self.fixture("musclemap/image_dseg.nii.gz")], in: tmp)
        let run = try IMATProcess.run(["analyze", p, "--out", tmp.file("out")])
        #expect(run.status == 1)
        #expect(run.stderr.contains("musclemap-abdomen") && run.stderr.contains("--labels"))
        #expect(!FileManager.default.fileExists(atPath: tmp.file("out/P1")))
        // A BIDS lookup table beside the mask settles it.
        try "index\tname\n0\tbackground\n1\tmultifidus_right\n2\tmultifidus_left\n3\terector_spinae_right\n4\terector_spinae_left\n5\tpsoas_major_right\n6\tpsoas_major_left\n7\tquadratus_lumborum_right\n8\tquadratus_lumborum_left\n"
            .write(toFile: "\(p)/mask.tsv", atomically: true, encoding: .utf8)
        let settled = try IMATProcess.run(["analyze", p, "--out", tmp.file("out")])
        #expect(settled.status == 0, "\(settled.stderr)")
        let table = try #require(try Self.metrics(tmp)["label_table"] as? [String: Any])
        #expect((table["source"] as? String)?.hasSuffix("mask.tsv") == true)
    }

    /// MyoSegmenTUM's water and fat maps: headers that differ only in the affine, a mostly zeroed background.
    @Test func realDixonReportsPlainAndCorrectedFractionsAndTheNoise() throws {
        let tmp = try TemporaryFolder()
        let p = try Self.participant(["water.nii.gz": Self.fixture("myosegmentum/TUM01_water_img_img_L2-L5.nii.gz"),
                                      "fat.nii.gz": Self.fixture("myosegmentum/TUM01_fat_img_img_L2-L5.nii.gz"),
                                      "mask.nii.gz": Self.fixture("myosegmentum/TUM01_fat_manual_label_segmentation_L2-L5.nii.gz")], in: tmp)
        let refused = try IMATProcess.run(["analyze", p, "--out", tmp.file("out"), "--labels", "none"])
        #expect(refused.status == 1 && refused.stderr.contains("--trust-voxel-grid"), "\(refused.stderr)")
        let run = try IMATProcess.run(["analyze", p, "--out", tmp.file("out"), "--labels", "none", "--trust-voxel-grid"])
        #expect(run.status == 0, "\(run.stderr)")
        let m = try Self.metrics(tmp)
        let warnings = try #require(m["warnings"] as? [String])
        #expect(warnings.contains { $0.contains("--trust-voxel-grid") })
        // The reconstruction zeroed most of the air; a rim of faint noise around the body remains, and σ is
        // measured there: tiny against the muscle signal (about 460), so the correction is small.
        let noise = try #require(m["noise"] as? [String: Any])
        let sigma = try #require(noise["sigma"] as? Double)
        #expect(noise["source"] as? String == "background" && sigma > 0 && sigma < 10, "σ \(sigma)")
        #expect(try #require(noise["values"] as? Int) > 10_000)
        for row in try #require(m["muscles"] as? [[String: Any]]) {
            let plain = try #require(row["signal_fat_fraction_mean"] as? Double), corrected = try #require(row["fat_fraction_mean"] as? Double)
            #expect((0.10...0.17).contains(plain), "healthy lumbar muscle: \(plain)")
            // At σ ≈ 0.4 % of the signal the floor lifts the plain ratio by about 1e-5, less than the fitted prior's
            // resolution, so the two agree closely but in either order.
            #expect(abs(plain - corrected) < 0.001, "a faint floor: \(corrected) against \(plain)")
        }
        let csv = try String(contentsOfFile: tmp.file("out/P1/metrics.csv"), encoding: .utf8)
        #expect(csv.hasPrefix(ParticipantMetrics.csvHeader.joined(separator: ",")) && csv.contains(",background,dixon,dixon,none,"))
    }
}
