import Analysis
import Foundation
import TestSupport
import Testing
import VolumeCore

/// Results may change only with a new analysis revision: `imat batch` recomputes a stored result only when
/// its fingerprint (which holds `IMATVersion.analysisRevision`) differs, so changed numbers under an old
/// revision would leave stale results standing as current.
///
/// Fixtures/golden-metrics.json keeps, per revision, the metrics.csv (its imat_version column as VERSION) of fixed inputs (a Dixon and a T1w sample phantom
/// and a real TotalSegmentator case). `scripts/update-golden-metrics.sh` records the current revision's
/// outputs, and refuses to overwrite those of a revision already recorded: bump the revision first.
@Suite struct GoldenMetricsTests {
    static let goldenPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/golden-metrics.json").path
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The metrics.csv of every golden input, concatenated.
    static func currentOutputs() throws -> String {
        let tmp = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: tmp.file("TS"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: tmp.file("TS/t1.nii.gz"), withDestinationPath: RealScanTests.fixture("totalsegmentator/example_mr_sm.nii.gz"))
        try FileManager.default.createSymbolicLink(atPath: tmp.file("TS/mask.nii.gz"), withDestinationPath: RealScanTests.fixture("totalsegmentator/example_seg_mr.nii.gz"))
        let folders = ["P0002", "P0004"].map { root.appendingPathComponent("sample-volumes/\($0)").path } + [tmp.file("TS")]
        // The source revision changes with every commit; the numbers must not.
        return try folders.map { try ParticipantAnalyzer.analyze($0, settings: AnalysisSettings()).metrics.csvText() }.joined()
            .replacingOccurrences(of: IMATVersion.exact, with: "VERSION")
    }

    @Test func resultsChangeOnlyWithANewAnalysisRevision() throws {
        let data = try #require(FileManager.default.contents(atPath: Self.goldenPath), "missing \(Self.goldenPath)")
        var golden = try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
        let revision = String(IMATVersion.analysisRevision), outputs = try Self.currentOutputs()
        if ProcessInfo.processInfo.environment["IMAT_UPDATE_GOLDEN"] == "1" {
            try #require(golden[revision] == nil || golden[revision] == outputs,
                         "analysis revision \(revision) is recorded with other results: bump IMATVersion.analysisRevision")
            golden[revision] = outputs
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try (encoder.encode(golden) + Data("\n".utf8)).write(to: URL(fileURLWithPath: Self.goldenPath))
        }
        let recorded = try #require(golden[revision], "no results recorded for analysis revision \(revision): run scripts/update-golden-metrics.sh")
        #expect(recorded == outputs, "results differ from those of analysis revision \(revision): bump IMATVersion.analysisRevision, then run scripts/update-golden-metrics.sh")
    }
}
