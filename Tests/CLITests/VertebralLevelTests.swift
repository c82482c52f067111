import Foundation
import TestSupport
import Testing
import VolumeCore
import VolumeIO

/// slices.csv and levels.csv: recomputed here from the files `imat analyze` reads and writes (the mask, the
/// vertebrae, tissue.nii.gz, fat_fraction.nii.gz), never from its own code.
@Suite struct VertebralLevelTests {
    /// A table read from CSV text: column name → values, row by row.
    struct Table {
        var rows: [[String: String]]

        init(_ path: String) throws {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let header = try #require(lines.first)
            rows = lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        }

        func number(_ row: [String: String], _ column: String) throws -> Double { try #require(Double(row[column] ?? "")) }
    }

    /// Per label and slice: voxels analysed (tissue > 0), fat voxels and Σ fat fraction, from the written maps.
    struct SliceSums: Hashable { var label: Int, slice: Int }
    static func sums(mask: [UInt16], tissue: [UInt16], fraction: [Float], dimensions d: Dimensions) -> [SliceSums: (voxels: Int, fat: Int, fraction: Double)] {
        var sums: [SliceSums: (voxels: Int, fat: Int, fraction: Double)] = [:]
        for i in 0..<d.voxelCount where tissue[i] != 0 {
            let key = SliceSums(label: Int(mask[i]), slice: i / (d.x * d.y))
            var s = sums[key] ?? (0, 0, 0)
            s.voxels += 1
            if tissue[i] == 2 { s.fat += 1 }
            s.fraction += Double(fraction[i])
            sums[key] = s
        }
        return sums
    }

    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-8 * max(1, abs(b)) }

    /// TotalSegmentator's CT example (real anatomy, 122×101×112 at 3 mm) with its own `total` segmentation: back
    /// muscles 86–89 and vertebrae 25 sacrum … 33 T11 in one file, used as mask and as vertebrae. The CT's
    /// intensities stand in for an image (fat is dark in CT, so the classes mean little): what is checked is
    /// that every row agrees with the files.
    @Test func realSegmentationGivesLevelsThatAgreeWithTheFiles() throws {
        let folder = try TemporaryFolder()
        let participant = folder.file("CT01")
        try FileManager.default.createDirectory(atPath: participant, withIntermediateDirectories: true)
        let segmentation = try RealScanTests.fixture("totalsegmentator/example_seg_fast_force_split.nii.gz")
        try FileManager.default.createSymbolicLink(atPath: participant + "/t1.nii.gz", withDestinationPath: try RealScanTests.fixture("totalsegmentator/example_ct.nii.gz"))
        try FileManager.default.createSymbolicLink(atPath: participant + "/mask.nii.gz", withDestinationPath: segmentation)
        try FileManager.default.createSymbolicLink(atPath: participant + "/vertebrae.nii.gz", withDestinationPath: segmentation)
        try Data(#"{"labels": {"86": "autochthon_left", "87": "autochthon_right", "88": "iliopsoas_left", "89": "iliopsoas_right"}}"#.utf8)
            .write(to: URL(fileURLWithPath: participant + "/scan.json"))
        let result = try IMATProcess.run(["analyze", participant, "--out", folder.file("out"), "--method", "gmm", "--vertebra-labels", "total"])
        #expect(result.status == 0, "\(result.stderr)")
        let out = folder.file("out/CT01")

        let mask = try #require(try VolumeFile.load(segmentation).volume.storage.labelValues())
        let written = try VolumeFile.load(out + "/tissue.nii.gz").volume
        let tissue = try #require(written.storage.labelValues())
        guard case .float32(let fraction) = try VolumeFile.load(out + "/fat_fraction.nii.gz").volume.storage else { Issue.record("fat fraction map not Float32"); return }
        let d = written.dimensions
        let sums = Self.sums(mask: mask, tissue: tissue, fraction: fraction, dimensions: d)
        let area = written.spacing.x * written.spacing.y / 100

        // slices.csv: one row per (muscle, slice) with analysed voxels, each agreeing with the maps.
        let slices = try Table(out + "/slices.csv")
        #expect(slices.rows.count == sums.keys.filter { (86...89).contains($0.label) }.count)
        #expect(slices.rows.count > 300)
        for row in slices.rows {
            let key = SliceSums(label: try #require(Int(row["label"]!)), slice: try #require(Int(row["slice"]!)))
            let s = try #require(sums[key], "no voxels of \(key)")
            #expect(Self.close(try slices.number(row, "csa_cm2"), Double(s.voxels) * area))
            #expect(Self.close(try slices.number(row, "fat_fraction_mean"), s.fraction / Double(s.voxels)))
            #expect(Self.close(try slices.number(row, "imat_fraction"), Double(s.fat) / Double(s.voxels)))
        }

        // The level of each slice by the rule: the vertebra (ids 25 sacrum, 26 S1, 27 L5 … 33 T11) with most voxels in it.
        let names = [25: "sacrum", 26: "S1", 27: "L5", 28: "L4", 29: "L3", 30: "L2", 31: "L1", 32: "T12", 33: "T11"]
        var levelSlices: [String: [Int]] = [:]
        for z in 0..<d.z {
            var counts: [Int: Int] = [:]
            for i in (z * d.x * d.y)..<((z + 1) * d.x * d.y) where names[Int(mask[i])] != nil { counts[Int(mask[i]), default: 0] += 1 }
            // Ties go to the more superior vertebra: the larger id here (sacrum 25 and S1 26 included).
            if let top = counts.max(by: { $0.value == $1.value ? $0.key < $1.key : $0.value < $1.value }) { levelSlices[names[top.key]!, default: []].append(z) }
        }
        let metrics = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/metrics.json"))) as? [String: Any])
        let recorded = try #require((metrics["levels"] as? [String: Any])?["levels"] as? [[String: Any]])
        #expect(recorded.compactMap { $0["name"] as? String } == ["T12", "L1", "L2", "L3", "L4", "L5", "sacrum"])
        for level in recorded {
            let name = try #require(level["name"] as? String)
            #expect((level["slices"] as? [Int]) == levelSlices[name], "\(name)")
        }
        #expect((metrics["warnings"] as? [String] ?? []).allSatisfy { !$0.hasPrefix("vertebrae:") }, "a plausible spine")

        // levels.csv: each (muscle, level) the sum of its slices.
        let levels = try Table(out + "/levels.csv")
        #expect(levels.rows.count == 26)
        for row in levels.rows {
            let label = try #require(Int(row["label"]!))
            let own = try #require(levelSlices[row["level"]!]).compactMap { sums[SliceSums(label: label, slice: $0)] }
            let voxels = own.map(\.voxels).reduce(0, +)
            #expect(Int(row["slices"]!) == own.count)
            #expect(Self.close(try levels.number(row, "volume_ml"), Double(voxels) * written.spacing.x * written.spacing.y * written.spacing.z / 1000))
            #expect(Self.close(try levels.number(row, "csa_cm2_max"), Double(own.map(\.voxels).max()!) * area))
            #expect(Self.close(try levels.number(row, "csa_cm2_mean"), Double(voxels) * area / Double(own.count)))
            #expect(Self.close(try levels.number(row, "fat_fraction_mean"), own.map(\.fraction).reduce(0, +) / Double(voxels)))
            #expect(Self.close(try levels.number(row, "imat_fraction"), Double(own.map(\.fat).reduce(0, +)) / Double(voxels)))
        }
    }

    /// The sample Dixon participant (128×104×24, third axis pointing superior) with vertebrae drawn as boxes
    /// behind the muscles: `layout` gives each vertebrae_mr id its slices.
    static func participant(in folder: TemporaryFolder, vertebrae layout: [(id: UInt8, slices: [Int])]) throws -> String {
        let participant = folder.file("P0002")
        try FileManager.default.copyItem(atPath: GoldenMetricsTests.root.appendingPathComponent("sample-volumes/P0002").path, toPath: participant)
        let mask = try VolumeFile.load(participant + "/mask.nii.gz").volume
        let d = mask.dimensions
        var labels = [UInt8](repeating: 0, count: d.voxelCount)
        for (id, slices) in layout {
            for k in slices { for j in 40..<50 { for i in 58..<70 { labels[d.index(i, j, k)] = id } } }
        }
        try VolumeFile.save(Volume(dimensions: d, spacing: mask.spacing, affine: mask.affine, storage: .uint8(labels)), to: participant + "/vertebrae.nii.gz")
        return participant
    }

    static func analyzed(_ participant: String, in folder: TemporaryFolder) throws -> (levels: [String], warnings: [String]) {
        let result = try IMATProcess.run(["analyze", participant, "--out", folder.file("out")])
        try #require(result.status == 0, "\(result.stderr)")
        let metrics = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("out/P0002/metrics.json")))) as? [String: Any])
        let levels = ((metrics["levels"] as? [String: Any])?["levels"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        return (levels, (metrics["warnings"] as? [String] ?? []).filter { $0.hasPrefix("vertebrae:") })
    }

    /// vertebrae_mr ids: 1 sacrum, 2 L5, 3 L4, 4 L3; sacrum lowest, as the third axis points up.
    @Test func discsLieBetweenVertebrae() throws {
        let folder = try TemporaryFolder()
        let participant = try Self.participant(in: folder, vertebrae: [(1, Array(0...5)), (2, Array(8...12)), (3, Array(15...19)), (4, Array(21...23))])
        let (levels, warnings) = try Self.analyzed(participant, in: folder)
        #expect(levels == ["L3", "L3-L4", "L4", "L4-L5", "L5", "L5-S1", "sacrum"])
        #expect(warnings.isEmpty)
        let table = try Table(folder.file("out/P0002/levels.csv"))
        #expect(table.rows.filter { $0["muscle"] == "autochthon_left" }.map { $0["level"]! } == levels)
        #expect(table.rows.first { $0["muscle"] == "autochthon_left" && $0["level"] == "L5-S1" }?["slices"] == "2")
    }

    struct Implausible: Sendable, CustomTestStringConvertible {
        var problem: String
        var layout: [(id: UInt8, slices: [Int])]
        var warning: String
        var testDescription: String { problem }

        static let all = [
            Implausible(problem: "a missing level", layout: [(1, Array(0...5)), (2, Array(8...12)), (4, Array(21...23))],
                        warning: "vertebrae: L4 is missing between L3 and L5"),
            Implausible(problem: "levels out of order", layout: [(1, Array(0...5)), (2, Array(8...12)), (4, Array(15...19)), (3, Array(21...23))],
                        warning: "vertebrae: L3 lies below L4 (levels out of order along the spine)"),
            Implausible(problem: "a vertebra in two pieces", layout: [(1, Array(0...5)), (2, Array(8...12)), (3, [15, 16, 18, 19]), (4, Array(21...23))],
                        warning: "vertebrae: L4 (label 3) is in 2 pieces (240, 240 voxels)"),
            Implausible(problem: "a sacrum above L5", layout: [(2, Array(0...5)), (1, Array(8...12)), (3, Array(15...19)), (4, Array(21...23))],
                        warning: "vertebrae: the sacrum lies above L5 (levels out of order along the spine)"),
        ]
    }

    @Test(arguments: Implausible.all)
    func implausibleSpinesAreFlagged(_ spine: Implausible) throws {
        let folder = try TemporaryFolder()
        let participant = try Self.participant(in: folder, vertebrae: spine.layout)
        let (_, warnings) = try Self.analyzed(participant, in: folder)
        #expect(warnings.contains(spine.warning), "\(spine.problem): \(warnings)")
    }

    /// Without a vertebra segmentation, scan.json's slice ranges are the levels; a bad table names scan.json.
    @Test func scanJSONLevelsServeWithoutASegmentation() throws {
        let folder = try TemporaryFolder()
        let participant = folder.file("P0002")
        try FileManager.default.copyItem(atPath: GoldenMetricsTests.root.appendingPathComponent("sample-volumes/P0002").path, toPath: participant)
        let sidecar = participant + "/scan.json"
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sidecar))) as? [String: Any])
        // Spelled as people write them; recorded as a segmentation would name them.
        json["levels"] = ["vertebrae_L4": [10, 17], "L5 - L4": [8, 9], "l5": [0, 7]]
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: sidecar))
        let (levels, _) = try Self.analyzed(participant, in: folder)
        #expect(levels == ["L4", "L4-L5", "L5"])
        let rows = try Table(folder.file("out/P0002/levels.csv")).rows.filter { $0["muscle"] == "autochthon_left" }
        #expect(rows.map { $0["slices"]! } == ["8", "2", "8"])

        for (bad, problem) in [(["L4": [10, 30]], "levels: \"L4\" must be [first, last] with 0 ≤ first ≤ last < 24 (slices along the third axis)"),
                               (["L4": [10, 17], "L5": [17, 20]], "levels: L4 and L5 share slice 17"),
                               (["X9": [1, 2]], "levels: \"X9\" is no vertebral level (L4, T12, S1, sacrum) or disc between two vertebrae (L4-L5)"),
                               (["L4-L4": [1, 2]], "levels: \"L4-L4\" is no vertebral level (L4, T12, S1, sacrum) or disc between two vertebrae (L4-L5)"),
                               (["L4": [1, 2], "vertebrae_L4": [3, 4]], "levels: L4 is listed twice")] {
            json["levels"] = bad
            try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: sidecar))
            let result = try IMATProcess.run(["analyze", participant, "--out", folder.file("bad")])
            #expect(result.status != 0)
            #expect(result.stderr.contains("\(sidecar): \(problem)"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: folder.file("bad/P0002")))
        }
    }

    /// A whole-body mask used as the vertebrae needs its table named: read as vertebrae_mr, its organs would be vertebrae.
    @Test func theMaskAsVertebraeNeedsItsTable() throws {
        let folder = try TemporaryFolder()
        let participant = folder.file("P0002")
        try FileManager.default.copyItem(atPath: GoldenMetricsTests.root.appendingPathComponent("sample-volumes/P0002").path, toPath: participant)
        try FileManager.default.createSymbolicLink(atPath: participant + "/vertebrae.nii.gz", withDestinationPath: participant + "/mask.nii.gz")
        let result = try IMATProcess.run(["analyze", participant, "--out", folder.file("out")])
        #expect(result.status != 0)
        #expect(result.stderr.contains("vertebrae.nii.gz: is the mask itself: say which of its labels are vertebrae with --vertebra-labels"), "\(result.stderr)")
    }

    /// `imat merge` gathers the participants' levels.csv into cohort_levels.csv.
    @Test func mergeWritesTheCohortLevels() throws {
        let folder = try TemporaryFolder()
        let participant = try Self.participant(in: folder, vertebrae: [(1, Array(0...5)), (2, Array(8...12)), (3, Array(15...19)), (4, Array(21...23))])
        _ = try Self.analyzed(participant, in: folder)
        let merged = try IMATProcess.run(["merge", folder.file("out")])
        #expect(merged.status == 0, "\(merged.stderr)")
        let cohort = try String(contentsOfFile: folder.file("out/cohort_levels.csv"), encoding: .utf8)
        let own = try String(contentsOfFile: folder.file("out/P0002/levels.csv"), encoding: .utf8)
        #expect(cohort == own)
    }
}
