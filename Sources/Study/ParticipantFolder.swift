import Foundation
import VolumeCore
import VolumeIO

/// The images of one participant, found by role in a participant folder named by the participant's ID:
/// `t1` (alias `image`), `water`, `fat`, `in_phase`, `opposed_phase` and `mask`, each as `ROLE.nii`, `ROLE.nii.gz`
/// or a folder `ROLE/` (PNG slices, NIfTI stations or DICOM files), and an optional `scan.json`. Roles not given so may be series of a `dicom/`
/// folder, told apart by their descriptions (`SeriesRoles`).
public struct ParticipantFolder: Sendable {
    public enum Role: String, CaseIterable, Sendable {
        case t1, water, fat, mask
        /// Two-point Dixon magnitudes, for archives that kept no water and fat images.
        case inPhase = "in_phase", opposedPhase = "opposed_phase"
        /// A vertebra segmentation on the mask's grid, for metrics per vertebral level.
        case vertebrae

        /// The roles that are images (all but the mask and the vertebrae).
        public static let images: [Role] = [.t1, .water, .fat, .inPhase, .opposedPhase]

        /// Other names accepted for the role.
        var aliases: [String] { self == .t1 ? ["t1", "image"] : [rawValue] }
    }

    public var path: String
    public var id: String
    /// The path of each role present.
    public var roles: [Role: String]
    public var sidecarPath: String?
    /// For roles found in the `dicom/` folder: the SeriesInstanceUIDs to read there (several are stations,
    /// stitched into one volume).
    public var series: [Role: [String]] = [:]

    /// The name of the folder holding a participant's DICOM series as the scanner exported them.
    public static let dicomFolderName = "dicom"

    /// Finds the roles in `path`; a role given in two forms (say `t1.nii.gz` and `t1/`) is an error,
    /// since either choice could be the wrong one.
    /// `seriesRoles` overrides scan.json's `series_roles`, which overrides `SeriesRoles.dixonDefaults`.
    public init(_ path: String, seriesRoles: SeriesRoles? = nil) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else { throw IMATError(path, "no such folder") }
        guard isDir.boolValue else { throw IMATError(path, "not a folder: a participant is a folder holding t1, mask, …") }
        let url = URL(fileURLWithPath: path).standardizedFileURL
        self.path = url.path
        self.id = url.lastPathComponent
        let entries = Set((try? fm.contentsOfDirectory(atPath: path)) ?? [])
        var roles: [Role: String] = [:]
        for role in Role.allCases {
            let candidates = role.aliases.flatMap { [$0, "\($0).nii", "\($0).nii.gz"] }.filter(entries.contains)
            if candidates.count > 1 {
                throw IMATError(self.path, "\(role.rawValue) is given more than once (\(candidates.sorted().joined(separator: ", "))); keep one")
            }
            if let name = candidates.first { roles[role] = url.appendingPathComponent(name).path }
        }
        self.sidecarPath = entries.contains(ScanSidecar.fileName) ? url.appendingPathComponent(ScanSidecar.fileName).path : nil
        if let dicom = entries.first(where: { $0.lowercased() == Self.dicomFolderName }), Role.images.contains(where: { roles[$0] == nil }) {
            let folder = url.appendingPathComponent(dicom).path
            let sidecarRoles = try sidecarPath.map { try SeriesRoles(sidecar: ScanSidecar.read($0), path: $0) } ?? nil
            let rules = seriesRoles ?? sidecarRoles ?? .dixonDefaults
            for (role, found) in try rules.assign(DICOMSeries.list(in: folder), folder: folder) where roles[role] == nil {
                roles[role] = folder
                series[role] = found.map(\.uid)
            }
        }
        self.roles = roles
    }

    /// True when both Dixon images are present.
    public var hasDixon: Bool { roles[.water] != nil && roles[.fat] != nil }
    /// True when both two-point Dixon magnitudes are present.
    public var hasTwoPointDixon: Bool { roles[.inPhase] != nil && roles[.opposedPhase] != nil }
}
