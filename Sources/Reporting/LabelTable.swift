import Foundation
import VolumeIO

/// Names for the label ids of a muscle mask, from the segmenter that drew it.
public struct LabelTable: Equatable, Sendable {
    public var name: String
    public var names: [Int: String]

    public init(name: String, names: [Int: String]) {
        self.name = name
        self.names = names
    }

    /// TotalSegmentator `total_mr` (Wasserthal et al.; D'Antonoli et al. 2024): the back-muscle ids.
    public static let totalSegmentator = LabelTable(name: "totalsegmentator", names: [
        44: "autochthon_left", 45: "autochthon_right", 46: "iliopsoas_left", 47: "iliopsoas_right",
    ])

    /// MRSegmentator (Häntze et al. 2024), trained on UK Biobank and NAKO-like data.
    public static let mrSegmentator = LabelTable(name: "mrsegmentator", names: [
        31: "autochthon_left", 32: "autochthon_right", 33: "iliopsoas_left", 34: "iliopsoas_right",
    ])

    /// MuscleMap (McKay et al.): lumbar muscles, odd ids left, even ids right.
    public static let muscleMap = LabelTable(name: "musclemap", names: [
        5101: "multifidus_left", 5102: "multifidus_right",
        5111: "erector_spinae_left", 5112: "erector_spinae_right",
        5121: "psoas_major_left", 5122: "psoas_major_right",
        5131: "quadratus_lumborum_left", 5132: "quadratus_lumborum_right",
    ])

    public static let builtIn = [totalSegmentator, mrSegmentator, muscleMap]

    /// The name of a label: from the table, else `label_<id>`.
    public func name(of label: Int) -> String { names[label] ?? "label_\(label)" }

    /// The built-in table that names the most of the labels present (ties: the order of `builtIn`);
    /// nil when none names any of them.
    public static func detect(from labels: Set<Int>) -> LabelTable? {
        var best: (table: LabelTable, hits: Int)?
        for table in builtIn {
            let hits = labels.filter { table.names[$0] != nil }.count
            if hits > 0, hits > (best?.hits ?? 0) { best = (table, hits) }
        }
        return best?.table
    }

    /// Reads a JSON object mapping label ids to names (`{"1": "multifidus_left", …}`).
    public static func read(_ path: String) throws -> LabelTable {
        guard let data = FileManager.default.contents(atPath: path) else { throw VolumeIOError(path, "cannot read the labels file") }
        guard let object = try? JSONSerialization.jsonObject(with: data), let dict = object as? [String: Any] else {
            throw VolumeIOError(path, "labels file must be a JSON object mapping label ids to names")
        }
        var names: [Int: String] = [:]
        for (key, value) in dict {
            guard let id = Int(key), id > 0, let text = value as? String, !text.isEmpty else {
                throw VolumeIOError(path, "labels file must map positive integer ids to names; \"\(key)\" does not")
            }
            names[id] = text
        }
        return LabelTable(name: URL(fileURLWithPath: path).lastPathComponent, names: names)
    }

    /// Resolves the `--labels` argument: a built-in table's name or a JSON file.
    public static func named(_ argument: String) throws -> LabelTable {
        if let table = builtIn.first(where: { $0.name == argument.lowercased() }) { return table }
        guard FileManager.default.fileExists(atPath: argument) else {
            throw VolumeIOError(argument, "no such labels file (built-in tables: \(builtIn.map(\.name).joined(separator: ", ")))")
        }
        return try read(argument)
    }
}
