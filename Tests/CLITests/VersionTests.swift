import Foundation
import TestSupport
import Testing
import VolumeCore

/// Every output names the exact build that wrote it: the version and the git revision of its source.
@Suite struct VersionTests {
    /// The revision the SourceRevision plugin wrote in is this checkout's (tests run from one: CI's fresh clone).
    @Test func versionNamesTheSourceRevisionOfThisCheckout() throws {
        let run = try IMATProcess.run(["--version"])
        #expect(run.status == 0 && run.stdout == "\(IMATVersion.version) (source revision \(IMATVersion.sourceRevision))\n", "\(run.stdout)")
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        git.arguments = ["-c", "safe.directory=*", "-C", GoldenMetricsTests.root.path, "rev-parse", "--short=12", "HEAD"]
        let out = Pipe()
        git.standardOutput = out
        try git.run()
        git.waitUntilExit()
        let head = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(git.terminationStatus == 0, "not a git checkout")
        #expect(IMATVersion.sourceRevision == head || IMATVersion.sourceRevision == head + "-modified", "\(IMATVersion.sourceRevision) against HEAD \(head)")
    }

    @Test func metricsCohortAndAssociationNameTheVersion() throws {
        let tmp = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: tmp.file("scans"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: GoldenMetricsTests.root.appendingPathComponent("sample-volumes/P0002").path, toPath: tmp.file("scans/P0002"))
        #expect(try IMATProcess.run(["batch", tmp.file("scans"), "--out", tmp.file("results")]).status == 0)
        #expect(try IMATProcess.run(["merge", tmp.file("results")]).status == 0)
        let metrics = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tmp.file("results/P0002/metrics.json")))) as? [String: Any])
        #expect(metrics["imat_version"] as? String == IMATVersion.version && metrics["source_revision"] as? String == IMATVersion.sourceRevision)
        let report = try String(contentsOfFile: tmp.file("results/P0002/report.html"), encoding: .utf8)
        #expect(report.contains("imat \(IMATVersion.exact), analysis revision \(IMATVersion.analysisRevision)"))
        let cohort = try String(contentsOfFile: tmp.file("results/cohort.csv"), encoding: .utf8).split(separator: "\n")
        #expect(cohort.first?.hasSuffix(",imat_version") == true)
        #expect(cohort.count == 6 && cohort.dropFirst().allSatisfy { $0.hasSuffix(",\(IMATVersion.exact)") }, "\(cohort)")
        let fixtures = GoldenMetricsTests.root.appendingPathComponent("Tests/AssociationTests/Fixtures").path
        let associate = try IMATProcess.run(["associate", "--cohort", fixtures + "/cohort.csv", "--phenotypes", fixtures + "/phenotypes.csv",
                                             "--outcome", "chronic_back_pain", "--exposure", "imat_fraction", "--muscle", "total", "--out", tmp.file("association")])
        #expect(associate.status == 0, "\(associate.stderr)")
        let association = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tmp.file("association/association.json")))) as? [String: Any])
        #expect(association["imat_version"] as? String == IMATVersion.version && association["source_revision"] as? String == IMATVersion.sourceRevision)
    }
}
