import Analysis
import Foundation
import HTMLPages
import Phantom
@testable import Reporting
import TestSupport
import Testing
import VolumeCore
import VolumeIO

/// The files `imat analyze` writes for one participant, from a small phantom analysed in process.
@Suite(.serialized) struct ParticipantReportTests {
    /// A one-participant phantom cohort (T1w, Dixon water and fat, mask, scan.json) under `root`.
    static func phantomParticipant(in root: String) throws -> String {
        let settings = PhantomSettings(dimensions: Dimensions(96, 80, 6), spacing: SIMD3(4, 4, 8))
        let cohort = try PhantomCohort.write(settings: settings, participants: 1, to: root)
        return (root as NSString).appendingPathComponent(cohort[0].id)
    }

    @Test func dixonReportNamesEveryMuscleAndDrawsItsHistogram() throws {
        let temporary = try TemporaryFolder()
        let participant = try Self.phantomParticipant(in: temporary.file("scans"))
        let analysis = try ParticipantAnalyzer.analyze(participant, settings: AnalysisSettings())
        let folder = try ParticipantOutput.write(analysis, into: temporary.file("out"))
        for name in ParticipantOutput.fileNames { #expect(FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(name)), "\(name)") }

        let html = try String(contentsOfFile: (folder as NSString).appendingPathComponent("report.html"), encoding: .utf8)
        #expect(analysis.metrics.source == .dixon)
        #expect(html.contains("Dixon water/fat"))
        for muscle in analysis.metrics.muscles { #expect(html.contains(escapeHTML(muscle.name)), "\(muscle.name)") }
        // One histogram per muscle, and the representative slices as embedded PNG images.
        // One histogram per muscle, and the two profiles along the spine (area, fat fraction).
        #expect(html.components(separatedBy: "<svg").count - 1 == analysis.metrics.muscles.count + 2)
        #expect(html.contains("<h2>Along the spine</h2>"))
        #expect(html.contains("data:image/png;base64,"))

        let tissue = try VolumeFile.load((folder as NSString).appendingPathComponent("tissue.nii.gz")).volume
        #expect(tissue.storage == analysis.tissueMap.storage && tissue.sharesGrid(with: analysis.tissueMap))
    }

    /// The fat-fraction map is held as the muscle voxels' values and written slab by slab: the file holds the map,
    /// 0 wherever no muscle voxel was analysed.
    @Test func fatFractionMapWrittenSlabBySlabIsTheWholeMap() throws {
        let temporary = try TemporaryFolder()
        let participant = try Self.phantomParticipant(in: temporary.file("scans"))
        for method in [AnalysisSettings.MethodChoice.auto, .pve] {
            var settings = AnalysisSettings()
            settings.method = method
            let analysis = try ParticipantAnalyzer.analyze(participant, settings: settings)
            let folder = try ParticipantOutput.write(analysis, into: temporary.file("out-\(method)"))
            let written = try VolumeFile.load((folder as NSString).appendingPathComponent("fat_fraction.nii.gz")).volume
            #expect(written.voxelType == .float32 && written.sharesGrid(with: analysis.tissueMap))
            guard case .float32(let values) = written.storage, case .uint8(let tissue) = analysis.tissueMap.storage else {
                Issue.record("expected Float32 fat fractions and UInt8 tissue"); continue
            }
            #expect(values == analysis.fatFractionMap.values(in: 0..<values.count))
            #expect(zip(values, tissue).allSatisfy { $1 != 0 || $0 == 0 })
            #expect(values.contains { $0 > 0.5 } && analysis.fatFractionMap.values.count == tissue.filter { $0 != 0 }.count)
            // Any part of the map is the same part of the whole.
            let slice = analysis.tissueMap.dimensions.x * analysis.tissueMap.dimensions.y
            #expect(analysis.fatFractionMap.values(in: (slice + 7)..<(3 * slice - 5)) == Array(values[(slice + 7)..<(3 * slice - 5)]))
        }
    }

    /// An image the method does not use is read through without being kept: intact it changes nothing, damaged it
    /// is reported (not ignored) and the analysis of the images it does use goes on.
    @Test func unusedImagesAreReadThroughAndADamagedOneIsReported() throws {
        let temporary = try TemporaryFolder()
        let participant = try Self.phantomParticipant(in: temporary.file("scans"))
        var settings = AnalysisSettings()
        settings.method = .pve
        let intact = try ParticipantAnalyzer.analyze(participant, settings: settings)
        #expect(!intact.metrics.warnings.contains { $0.contains("not used") })
        let water = (participant as NSString).appendingPathComponent("water.nii.gz")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: water))
        bytes[bytes.count - 8] ^= 0xFF  // the gzip trailer's CRC-32
        try bytes.write(to: URL(fileURLWithPath: water))
        let damaged = try ParticipantAnalyzer.analyze(participant, settings: settings)
        #expect(damaged.metrics.warnings.contains { $0.hasPrefix("water is not used by the pve analysis, and it could not be read") && $0.contains("incorrect data check") },
                "\(damaged.metrics.warnings)")
        #expect(damaged.metrics.qc.flags.contains(.unusedImageUnreadable))
        #expect(damaged.metrics.total == intact.metrics.total && damaged.metrics.muscles == intact.metrics.muscles)
    }

    @Test func twoPointReportSaysHowWaterWasToldFromFat() throws {
        let temporary = try TemporaryFolder()
        let participant = try Self.phantomParticipant(in: temporary.file("scans"))
        let water = try VolumeFile.load((participant as NSString).appendingPathComponent("water.nii.gz")).volume
        let fat = try VolumeFile.load((participant as NSString).appendingPathComponent("fat.nii.gz")).volume
        let (w, f) = (water.floatValues(), fat.floatValues())
        func save(_ values: [Float], _ role: String) throws {
            try VolumeFile.save(Volume(dimensions: water.dimensions, spacing: water.spacing, affine: water.affine, storage: .float32(values)),
                                to: (participant as NSString).appendingPathComponent("\(role).nii.gz"))
        }
        try save(zip(w, f).map { $0 + $1 }, "in_phase")
        try save(zip(w, f).map { abs($0 - $1) }, "opposed_phase")
        for role in ["water", "fat"] { try FileManager.default.removeItem(atPath: (participant as NSString).appendingPathComponent("\(role).nii.gz")) }

        let analysis = try ParticipantAnalyzer.analyze(participant, settings: AnalysisSettings())
        let html = try ParticipantReport.html(analysis)
        #expect(analysis.metrics.source == .dixonTwoPoint)
        let summary = try #require(analysis.metrics.twoPointDixon)
        #expect(html.contains("two-point Dixon, water/fat from in/opposed phase"))
        #expect(html.contains("lean reference \(String(format: "%.4g", summary.leanReference))"))
    }
}
