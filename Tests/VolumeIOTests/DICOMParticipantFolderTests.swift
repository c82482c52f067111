import Foundation
import Study
import TestSupport
import Testing
import VolumeCore
import VolumeIO

/// A participant's `dicom/` folder as the scanner exported it: several series, the Dixon pair told apart by
/// their descriptions, each read as its own volume.
@Suite struct DICOMParticipantFolderTests {
    /// Siemens' four Dixon outputs (in, opp, F, W) of one acquisition in one folder.
    func writeDixonExport(into folder: String) throws -> [String: SyntheticSeries] {
        var exported: [String: SyntheticSeries] = [:]
        for (k, suffix) in ["in", "opp", "F", "W"].enumerated() {
            var series = SyntheticSeries()
            series.uid = "2.25.7700\(k)"
            series.number = 10 + k
            series.description = "t1_vibe_dixon_tra_\(suffix)"
            series.fileNamePrefix = "IM\(k)_"
            series.rescale = IntensityScaling(slope: 1, intercept: Double(100 * k))
            try series.write(to: folder + "/P0001/dicom")
            exported[suffix] = series
        }
        return exported
    }

    @Test func dixonSeriesAreFoundByTheirDescriptions() throws {
        try withTemporaryPath { folder in
            let exported = try writeDixonExport(into: folder)
            let participant = try ParticipantFolder(folder + "/P0001")
            #expect(participant.hasDixon && participant.roles[.t1] == nil)
            #expect(participant.series[.water] == [exported["W"]!.uid] && participant.series[.fat] == [exported["F"]!.uid])
            // The role's series is what loads: the water image carries the W series' scaling.
            let water = try VolumeFile.load(participant.roles[.water]!, options: LoadOptions(series: participant.series[.water] ?? [])).volume
            #expect(water.scaling == exported["W"]!.rescale)
            // Without a choice the folder is an error that lists all four.
            let error = #expect(throws: IMATError.self) { try VolumeFile.load(participant.roles[.water]!) }
            #expect(["_in", "_opp", "_F", "_W"].allSatisfy { error?.problem.contains("t1_vibe_dixon_tra\($0)") == true })
        }
    }

    @Test func rulesFromScanJSONAndFromTheCallerOverrideTheDefaults() throws {
        try withTemporaryPath { folder in
            let exported = try writeDixonExport(into: folder)
            try Data(#"{"series_roles": {"t1": "in"}}"#.utf8).write(to: URL(fileURLWithPath: folder + "/P0001/scan.json"))
            let fromJSON = try ParticipantFolder(folder + "/P0001")
            #expect(fromJSON.series[.t1] == [exported["in"]!.uid] && fromJSON.series[.water] == nil)
            let fromCaller = try ParticipantFolder(folder + "/P0001", seriesRoles: SeriesRoles(parsing: ["water=opp", "fat=F"]))
            #expect(fromCaller.series[.water] == [exported["opp"]!.uid] && fromCaller.series[.fat] == [exported["F"]!.uid])
        }
    }

    @Test func aRoleGivenAsAFileWinsOverTheDICOMFolder() throws {
        try withTemporaryPath { folder in
            _ = try writeDixonExport(into: folder)
            let volume = Volume(dimensions: Dimensions(6, 5, 4), spacing: SIMD3(1, 1, 1), storage: .uint16([UInt16](repeating: 3, count: 120)))
            try VolumeFile.save(volume, to: folder + "/P0001/water.nii.gz")
            let participant = try ParticipantFolder(folder + "/P0001")
            #expect(participant.roles[.water]?.hasSuffix("water.nii.gz") == true && participant.series[.water] == nil)
            #expect(participant.series[.fat] != nil)
        }
    }
}
