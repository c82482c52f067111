import Foundation
import VolumeCore
import VolumeIO

/// Writes a rendered participant as the folder `imat analyze` reads: `t1`, `water`, `fat`, `mask`
/// (each `NAME.nii.gz` or a PNG slice folder `NAME/`), `scan.json` and `truth.json`.
public enum ParticipantWriter {
    /// Writes `root/<participant id>` through a temporary folder, so it is complete or absent; an existing
    /// folder of that name is replaced. Without Dixon, `water` and `fat` are left out. Returns the folder's path.
    @discardableResult
    public static func write(_ rendered: RenderedParticipant, into root: String, includeDixon: Bool = true) throws -> String {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), !isFolder.boolValue {
            throw IMATError(root, "is a file, not a folder to write participants into")
        }
        let folder = URL(fileURLWithPath: root).appendingPathComponent(rendered.traits.id).path
        let format = rendered.settings.format
        var images = [("t1", rendered.t1), ("mask", rendered.mask)]
        if includeDixon { images += [("water", rendered.water), ("fat", rendered.fat)] }
        try AtomicWrite.produce(folder) { tmp in
            // mkdir itself, so the errno (a full disk, say) reaches the batch.
            guard mkdir(tmp, 0o755) == 0 else { throw IMATError.system(folder, "cannot create the folder") }
            for (role, volume) in images {
                let name = format.fileName(role, participantIndex: rendered.traits.index)
                do {
                    try VolumeFile.save(volume, to: URL(fileURLWithPath: tmp).appendingPathComponent(name).path)
                } catch let error as IMATError {
                    // Name the file the user asked for, not the temporary folder it was being written in; keep the errno.
                    throw IMATError(URL(fileURLWithPath: folder).appendingPathComponent(name).path, error.problem, systemError: error.systemError)
                }
            }
            try AtomicWrite.write(scanJSON(rendered), to: URL(fileURLWithPath: tmp).appendingPathComponent(ScanSidecar.fileName).path)
            try AtomicWrite.write(truthJSON(rendered.truth), to: URL(fileURLWithPath: tmp).appendingPathComponent("truth.json").path)
        }
        return folder
    }

    /// `scan.json`: {"spacing_mm", "labels": {"44": "autochthon_left", …}, "participant": {id, age, sex,
    /// activity_group, site}, "phantom": {the settings, participant_index}}. No ground truth here, so an
    /// analysis reading it cannot peek.
    public static func scanJSON(_ rendered: RenderedParticipant) -> Data {
        let traits = rendered.traits, spacing = rendered.settings.spacing
        let scan = ScanDescription(
            spacingMM: [spacing.x, spacing.y, spacing.z],
            labels: Dictionary(uniqueKeysWithValues: Muscle.allCases.map { (String($0.label), $0.name) }),
            participant: .init(id: traits.id, age: traits.age, sex: traits.sex, activityGroup: traits.activityGroup, site: traits.site),
            phantom: .init(settings: rendered.settings, participantIndex: traits.index))
        return encode(scan)
    }

    public static func truthJSON(_ truth: GroundTruth) -> Data { encode(truth) }

    static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Only finite numbers, strings and arrays are encoded here, so encoding cannot fail.
        return (try? encoder.encode(value)).map { $0 + Data("\n".utf8) } ?? Data()
    }
}

private struct ScanDescription: Encodable {
    struct Participant: Encodable {
        var id: String
        var age: Int
        var sex: ParticipantTraits.Sex
        var activityGroup: ParticipantTraits.ActivityGroup
        var site: String

        enum CodingKeys: String, CodingKey { case id, age, sex, activityGroup = "activity_group", site }
    }

    struct Phantom: Encodable {
        var settings: PhantomSettings
        var participantIndex: Int

        enum CodingKeys: String, CodingKey { case participantIndex = "participant_index" }

        func encode(to encoder: any Encoder) throws {
            try settings.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(participantIndex, forKey: .participantIndex)
        }
    }

    var spacingMM: [Double]
    var labels: [String: String]
    var participant: Participant
    var phantom: Phantom

    enum CodingKeys: String, CodingKey { case spacingMM = "spacing_mm", labels, participant, phantom }
}
