import Analysis
import Foundation
import VolumeCore

/// What a participant's result depends on, reduced to a short hash: the settings, the tool's version and
/// analysis revision (`IMATVersion`) and,
/// for every input file, its path relative to the participant folder, size and modification time.
/// A result whose stored fingerprint equals the current one is up to date and is not computed again.
struct Fingerprint: Equatable, Sendable {
    static let fileName = "fingerprint.txt"
    var value: String

    init(value: String) { self.value = value }

    init(participantFolder: String, settings: AnalysisSettings, version: String) throws {
        var text = "imat \(version) analysis revision \(IMATVersion.analysisRevision)\n"
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        text += String(decoding: try encoder.encode(settings), as: UTF8.self) + "\n"
        // Hidden files (.DS_Store and the like) are no input.
        var files = (try? regularFiles(under: participantFolder)) ?? []
        if let mask = settings.maskPath { files.append(mask) }
        for table in [settings.labels, settings.vertebraLabels].compactMap({ $0 }) where FileManager.default.fileExists(atPath: table) {
            files.append(table)
        }
        for path in files {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            let relative = path.hasPrefix(participantFolder + "/") ? String(path.dropFirst(participantFolder.count + 1)) : path
            text += "\(relative)\t\(size)\t\(String(format: "%.6f", modified))\n"
        }
        value = Self.hash(text)
    }

    /// 64-bit FNV-1a, twice with different offsets for 128 bits: a change detector, not a security measure.
    static func hash(_ text: String) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x6c62_272e_07bb_0142
        for byte in text.utf8 {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return String(format: "%016llx%016llx", a, b)
    }

    /// The fingerprint stored with a participant's results, if any.
    static func stored(in resultFolder: String) -> Fingerprint? {
        let path = (resultFolder as NSString).appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return Fingerprint(value: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    var fileData: Data { Data((value + "\n").utf8) }
}
