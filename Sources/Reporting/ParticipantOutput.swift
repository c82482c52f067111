import Analysis
import Foundation
import VolumeCore
import VolumeIO

/// Writes a participant's results to OUT/<participant>/: metrics.json, metrics.csv, slices.csv, tissue.nii.gz,
/// fat_fraction.nii.gz and report.html (and levels.csv with vertebral levels), all in a temporary folder that is renamed when complete, so the
/// participant's folder is complete or absent.
public enum ParticipantOutput {
    public static let fileNames = ["metrics.json", "metrics.csv", "slices.csv", "tissue.nii.gz", "fat_fraction.nii.gz", "report.html"]

    /// The folder a participant's results go to; refuses IDs that would land outside `outputRoot`.
    public static func folder(for participant: String, in outputRoot: String) throws -> String {
        guard !participant.isEmpty, participant != ".", participant != "..", !participant.contains("/"), !participant.hasPrefix(".") else {
            throw IMATError(participant, "not a usable participant ID: it would place results outside \(outputRoot)")
        }
        guard !participant.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw IMATError(participant, "not a usable participant ID: it holds control characters")
        }
        let path = URL(fileURLWithPath: outputRoot).appendingPathComponent(participant).path
        // A link there could lead anywhere; results are only ever written into real folders under OUT.
        if (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) == .typeSymbolicLink {
            throw IMATError(path, "is a symbolic link; remove it first (results are never written through links)")
        }
        return path
    }

    /// Writes everything; `extraFiles` (name → bytes) are added to the folder too (a batch's fingerprint).
    @discardableResult
    public static func write(_ analysis: ParticipantAnalysis, into outputRoot: String, extraFiles: [String: Data] = [:],
                             workers: Int = Parallel.defaultWorkers) throws -> String {
        let destination = try folder(for: analysis.metrics.participant, in: outputRoot)
        try AtomicWrite.produce(destination) { tmp in
            guard mkdir(tmp, 0o755) == 0 else { throw IMATError.system(destination, "cannot create the folder") }
            // Errors name the file as it will be called (OUT/<id>/name), not its temporary folder.
            func write(_ name: String, _ body: (String) throws -> Void) throws {
                let reported = (destination as NSString).appendingPathComponent(name)
                do { try body((tmp as NSString).appendingPathComponent(name)) } catch var error as IMATError {
                    error.path = reported
                    throw error
                }
            }
            func write(_ name: String, _ data: Data) throws {
                try write(name) { try WritableFile.write(data, to: $0, reportedAs: $0) }
            }
            try write("metrics.json", analysis.metrics.jsonData())
            try write("metrics.csv", Data(analysis.metrics.csvText().utf8))
            try write("slices.csv", Data(SliceMetrics.csvText(analysis.slices, participant: analysis.metrics.participant).utf8))
            if analysis.metrics.levels != nil {
                try write("levels.csv", Data(LevelMetrics.csvText(analysis.levels, participant: analysis.metrics.participant).utf8))
            }
            // The two maps are compressed and the report drawn side by side (independent outputs); the first
            // failure in this order is the one reported.
            let outputs: [() throws -> Void] = [
                { try write("tissue.nii.gz") { try NIfTI.write(analysis.tissueMap, to: $0) } },
                { try write("fat_fraction.nii.gz") { path in
                    try NIfTI.write(grid: analysis.tissueMap.grid, voxelType: .float32, to: path) { try analysis.fatFractionMap.forEachSlab($0) }
                } },
                { try write("report.html", Data(ParticipantReport.html(analysis).utf8)) },
            ]
            for outcome in Parallel.map(outputs.count, workers: workers, { n in Result { try outputs[n]() } }) {
                try outcome.get()
            }
            for (name, data) in extraFiles.sorted(by: { $0.key < $1.key }) { try write(name, data) }
        }
        return destination
    }
}
