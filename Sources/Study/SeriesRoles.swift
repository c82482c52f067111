import Foundation
import VolumeCore
import VolumeIO

/// Which series of a participant's `dicom/` folder is the T1-weighted image, the water or the fat image,
/// told by words of the SeriesDescription: Siemens names Dixon outputs "…_W" and "…_F", Philips "WATER…"
/// and "FAT…". A pattern matches a description holding it as a whole word (words split at anything but
/// letters and digits, case ignored), so "W" matches "t1_vibe_dixon_tra_W" but not "WATER".
public struct SeriesRoles: Sendable, Equatable {
    public var patterns: [ParticipantFolder.Role: [String]]

    public init(patterns: [ParticipantFolder.Role: [String]]) { self.patterns = patterns }

    /// Siemens' and Philips' Dixon names: water "_W"/"WATER", fat "_F"/"FAT", in-phase "_in"/"IP", opposed-phase
    /// "_opp"/"OP"/"OUT". No default for t1: "t1" is also a word of "t1_vibe_dixon_W".
    public static let dixonDefaults = SeriesRoles(patterns: [
        .water: ["W", "water"], .fat: ["F", "fat"], .inPhase: ["in", "ip", "inphase"], .opposedPhase: ["opp", "op", "out", "outphase", "opposed"],
    ])

    /// Rules from `ROLE=PATTERN` texts (the command line), several patterns per role allowed.
    public init(parsing texts: [String]) throws {
        var patterns: [ParticipantFolder.Role: [String]] = [:]
        for text in texts {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let role = ParticipantFolder.Role(rawValue: parts[0].lowercased()), role != .mask, !Self.words(parts[1]).isEmpty else {
                throw IMATError(argument: text, "not a series role: write ROLE=PATTERN with ROLE t1, water, fat, in_phase or opposed_phase (e.g. water=_W)")
            }
            patterns[role, default: []].append(parts[1])
        }
        self.patterns = patterns
    }

    /// Rules from scan.json's `"series_roles": {"water": "_W", "fat": ["_F", "fat"]}`; nil when absent.
    init?(sidecar: ScanSidecar, path: String) throws {
        guard let value = sidecar.fields["series_roles"] else { return nil }
        guard let table = value as? [String: any Sendable] else { throw IMATError(path, "series_roles must map roles to patterns") }
        var patterns: [ParticipantFolder.Role: [String]] = [:]
        for (name, entry) in table {
            guard let role = ParticipantFolder.Role(rawValue: name), role != .mask else {
                throw IMATError(path, "series_roles: \(name) is not a role (t1, water, fat, in_phase or opposed_phase)")
            }
            let list = (entry as? String).map { [$0] } ?? (entry as? [any Sendable])?.compactMap { $0 as? String }
            guard let list, !list.isEmpty else { throw IMATError(path, "series_roles: \(name) needs a pattern or a list of patterns") }
            patterns[role] = list
        }
        self.patterns = patterns
    }

    /// The series of each role among `series`: one, or several that are stations of one acquisition (one
    /// description and geometry, stitched when read); a role other series match is an error naming them.
    func assign(_ series: [DICOMSeriesInfo], folder: String) throws -> [ParticipantFolder.Role: [DICOMSeriesInfo]] {
        var assigned: [ParticipantFolder.Role: [DICOMSeriesInfo]] = [:]
        for (role, rolePatterns) in patterns.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let wanted = Set(rolePatterns.flatMap(Self.words))
            let matches = series.filter { !wanted.isDisjoint(with: Self.words($0.description)) }
            guard matches.count <= 1 || DICOMSeriesInfo.mayBeStations(matches) else {
                throw IMATError(folder, "\(matches.count) series match the \(role.rawValue) pattern(s) \(rolePatterns): "
                                    + matches.map(\.summary).joined(separator: "; ") + "; make the pattern narrower (--series-role or scan.json series_roles)")
            }
            if !matches.isEmpty { assigned[role] = matches }
        }
        // A folder of one series that no rule claims is the T1-weighted image.
        if assigned.isEmpty, series.count == 1 { assigned[.t1] = series }
        return assigned
    }

    /// The words of a text, lower-cased, split at anything but letters and digits.
    public static func words(_ text: String) -> [String] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }
}
