import Foundation
import VolumeIO

/// Writes a participant's results to OUT/<participant>/: metrics.json, metrics.csv, tissue.nii.gz,
/// fat_fraction.nii.gz and report.html, all in a temporary folder that is renamed when complete, so the
/// participant's folder is complete or absent.
public enum ParticipantOutput {
    public static let fileNames = ["metrics.json", "metrics.csv", "tissue.nii.gz", "fat_fraction.nii.gz", "report.html"]

    /// The folder a participant's results go to; refuses IDs that would land outside `outputRoot`.
    public static func folder(for participant: String, in outputRoot: String) throws -> String {
        guard !participant.isEmpty, participant != ".", participant != "..", !participant.contains("/"), !participant.hasPrefix(".") else {
            throw VolumeIOError(participant, "not a usable participant ID: it would place results outside \(outputRoot)")
        }
        guard !participant.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw VolumeIOError(participant, "not a usable participant ID: it holds control characters")
        }
        let path = URL(fileURLWithPath: outputRoot).appendingPathComponent(participant).path
        // A link there could lead anywhere; results are only ever written into real folders under OUT.
        if (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) == .typeSymbolicLink {
            throw VolumeIOError(path, "is a symbolic link; remove it first (results are never written through links)")
        }
        return path
    }

    /// Writes everything; `extraFiles` (name → bytes) are added to the folder too (a batch's fingerprint).
    @discardableResult
    public static func write(_ analysis: ParticipantAnalysis, into outputRoot: String, extraFiles: [String: Data] = [:]) throws -> String {
        let destination = try folder(for: analysis.metrics.participant, in: outputRoot)
        let html = try ParticipantReport.html(analysis)
        try AtomicWrite.produce(destination) { tmp in
            do { try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: false) } catch {
                throw VolumeIOError(destination, "cannot create the folder (\(error.localizedDescription))")
            }
            func file(_ name: String) -> String { (tmp as NSString).appendingPathComponent(name) }
            try write(analysis.metrics.jsonData(), to: file("metrics.json"), reportedAs: destination)
            try write(Data(analysis.metrics.csvText().utf8), to: file("metrics.csv"), reportedAs: destination)
            try NIfTI.write(analysis.tissueMap, to: file("tissue.nii.gz"))
            try NIfTI.write(analysis.fatFractionMap, to: file("fat_fraction.nii.gz"))
            try write(Data(html.utf8), to: file("report.html"), reportedAs: destination)
            for (name, data) in extraFiles.sorted(by: { $0.key < $1.key }) { try write(data, to: file(name), reportedAs: destination) }
        }
        return destination
    }

    private static func write(_ data: Data, to path: String, reportedAs folder: String) throws {
        do { try data.write(to: URL(fileURLWithPath: path)) } catch {
            throw VolumeIOError((folder as NSString).appendingPathComponent((path as NSString).lastPathComponent),
                                "cannot write the file (\(error.localizedDescription))")
        }
    }
}
