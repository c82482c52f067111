import Foundation
import TestSupport
import Testing
import VolumeCore

/// Quality flags from analysis to association: metrics.json's `qc`, the `qc` column of metrics.csv and
/// cohort.csv, their counts in cohort.html, and `imat associate --exclude-qc`.
@Suite struct QualityFlagTests {
    /// The sample Dixon participant P0002 as is, and again without its right iliopsoas (label 47 set to 0): that
    /// one is flagged `unpaired_muscle`.
    @Test func flagsTravelFromTheParticipantToTheCohort() throws {
        let folder = try TemporaryFolder()
        let scans = folder.file("scans")
        for id in ["P0002", "P0003"] {
            try FileManager.default.createDirectory(atPath: scans, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: GoldenMetricsTests.root.appendingPathComponent("sample-volumes/P0002").path, toPath: scans + "/" + id)
        }
        let result = try IMATProcess.run(["convert", scans + "/P0003/mask.nii.gz", folder.file("mask.nii")])
        try #require(result.status == 0, "\(result.stderr)")
        var mask = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder.file("mask.nii"))))
        for i in 352..<mask.count where mask[i] == 47 { mask[i] = 0 }
        try FileManager.default.removeItem(atPath: scans + "/P0003/mask.nii.gz")
        try Data(mask).write(to: URL(fileURLWithPath: scans + "/P0003/mask.nii"))

        let batch = try IMATProcess.run(["batch", scans, "--out", folder.file("out")])
        try #require(batch.status == 0, "\(batch.stderr)")
        let merge = try IMATProcess.run(["merge", folder.file("out")])
        try #require(merge.status == 0, "\(merge.stderr)")

        func metrics(_ id: String) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("out/\(id)/metrics.json")))) as? [String: Any])
        }
        func flags(_ id: String) throws -> [String]? { (try metrics(id)["qc"] as? [String: Any])?["flags"] as? [String] }
        #expect(try flags("P0002") == [])
        #expect(try flags("P0003") == ["unpaired_muscle"])
        #expect((try metrics("P0003")["warnings"] as? [String] ?? []).contains { $0.hasPrefix("iliopsoas_left is present but iliopsoas_right (label 47) is not") })

        let cohort = try String(contentsOfFile: folder.file("out/cohort.csv"), encoding: .utf8).split(separator: "\n")
        #expect(cohort[0].hasSuffix(",analysis_revision,qc,imat_version"))
        #expect(cohort.dropFirst().filter { $0.hasPrefix("P0003,") }.allSatisfy { $0.hasSuffix(",unpaired_muscle,\(IMATVersion.exact)") })
        #expect(cohort.dropFirst().filter { $0.hasPrefix("P0002,") }.allSatisfy { $0.hasSuffix(",,\(IMATVersion.exact)") })
        let html = try String(contentsOfFile: folder.file("out/cohort.html"), encoding: .utf8)
        #expect(html.contains("<tr><td>unpaired_muscle</td><td>1</td><td>50.0 %</td></tr>"))
    }

    @Test func unknownFlagsAreRefused() throws {
        let result = try IMATProcess.run(["associate", "--cohort", "c.csv", "--phenotypes", "p.csv", "--outcome", "pain",
                                          "--exposure", "imat_fraction", "--exclude-qc", "poor_separation,swapped"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--exclude-qc: \"swapped\" is no quality flag (flags: input, "), "\(result.stderr)")
    }
}
