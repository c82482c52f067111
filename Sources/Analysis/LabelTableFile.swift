import Foundation
import Study
import VolumeCore
import VolumeIO

/// Label tables from files: a JSON object mapping ids to names, MuscleMap's model JSON, or a BIDS
/// `*_dseg.tsv` lookup table.
extension LabelTable {
    /// Reads a JSON labels file in either form:
    /// - `{"1": "multifidus_left", …}`;
    /// - MuscleMap's model JSON, `{"labels": [{"muscle": "multifidus", "side": "right", "value": 1}, …]}`
    ///   (the whole-body model says `anatomy` for `muscle`); names become `multifidus_right`.
    public static func readJSON(_ path: String) throws -> LabelTable {
        guard let data = FileManager.default.contents(atPath: path) else { throw IMATError(path, "cannot read the labels file") }
        guard let object = try? JSONSerialization.jsonObject(with: data), let dict = object as? [String: Any] else {
            throw IMATError(path, "a labels file must be a JSON object mapping label ids to names, or a MuscleMap model JSON with \"labels\"")
        }
        let names = try dict["labels"].map { try muscleMapLabels($0, path: path) } ?? idToName(dict, path: path)
        guard !names.isEmpty else { throw IMATError(path, "the labels file names no label") }
        return LabelTable(name: URL(fileURLWithPath: path).lastPathComponent, names: names)
    }

    private static func idToName(_ dict: [String: Any], path: String) throws -> [Int: String] {
        var names: [Int: String] = [:]
        for (key, value) in dict {
            guard let id = Int(key), id > 0, let text = value as? String, !text.isEmpty else {
                throw IMATError(path, "a labels file must map positive integer ids to names; \"\(key)\" does not")
            }
            names[id] = text
        }
        return names
    }

    private static func muscleMapLabels(_ value: Any, path: String) throws -> [Int: String] {
        guard let entries = value as? [[String: Any]] else {
            throw IMATError(path, "\"labels\" must be a list of {\"muscle\", \"side\", \"value\"} objects (MuscleMap's model JSON)")
        }
        var names: [Int: String] = [:]
        for (n, entry) in entries.enumerated() {
            guard let id = entry["value"] as? Int, id > 0, let muscle = (entry["muscle"] ?? entry["anatomy"]) as? String, !muscle.isEmpty else {
                throw IMATError(path, "labels entry \(n + 1) needs a positive integer \"value\" and a \"muscle\" (or \"anatomy\") name")
            }
            let side = (entry["side"] as? String)?.lowercased() ?? ""
            let name = snakeCase(muscle) + (["left", "right"].contains(side) ? "_\(side)" : "")
            if let earlier = names[id], earlier != name {
                throw IMATError(path, "label \(id) is named twice (\(earlier), \(name))")
            }
            names[id] = name
        }
        return names
    }

    /// Reads a BIDS discrete-segmentation lookup table: tab-separated, with columns `index` and `name`.
    public static func readDsegTSV(_ path: String) throws -> LabelTable {
        guard let data = FileManager.default.contents(atPath: path) else { throw IMATError(path, "cannot read the lookup table") }
        guard let text = String(data: data, encoding: .utf8) else { throw IMATError(path, "the lookup table is not UTF-8 text") }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }),
              let indexColumn = header.firstIndex(of: "index"), let nameColumn = header.firstIndex(of: "name") else {
            throw IMATError(path, "a BIDS dseg lookup table needs the tab-separated columns index and name")
        }
        var names: [Int: String] = [:]
        for (n, fields) in lines.dropFirst().enumerated() where !fields.allSatisfy({ $0.isEmpty }) {
            guard fields.count > max(indexColumn, nameColumn), let id = Int(fields[indexColumn].trimmingCharacters(in: .whitespaces)) else {
                throw IMATError(path, "line \(n + 2): needs an integer index and a name")
            }
            let name = fields[nameColumn].trimmingCharacters(in: .whitespaces)
            if id > 0 && !name.isEmpty { names[id] = name }
        }
        guard !names.isEmpty else { throw IMATError(path, "the lookup table names no label above 0") }
        return LabelTable(name: URL(fileURLWithPath: path).lastPathComponent, names: names)
    }

    /// The BIDS lookup table that describes a mask: `NAME.tsv` for `NAME.nii.gz` (or the folder `NAME/`),
    /// else the one `dseg.tsv` or `*_dseg.tsv` in the mask's folder; nil when there is none.
    /// - Throws: when the folder holds several `*_dseg.tsv` and none is named after the mask.
    public static func dsegTSVPath(besideMask maskPath: String) throws -> String? {
        let url = URL(fileURLWithPath: maskPath)
        var stem = url.lastPathComponent
        for suffix in [".nii.gz", ".nii"] where stem.hasSuffix(suffix) { stem.removeLast(suffix.count) }
        let folder = url.deletingLastPathComponent()
        let sameName = folder.appendingPathComponent(stem + ".tsv").path
        if FileManager.default.fileExists(atPath: sameName) { return sameName }
        let tables = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0 == "dseg.tsv" || $0.hasSuffix("_dseg.tsv") }.sorted()
        guard tables.count <= 1 else {
            throw IMATError(maskPath, "several lookup tables beside the mask (\(tables.joined(separator: ", "))); name one with --labels")
        }
        return tables.first.map { folder.appendingPathComponent($0).path }
    }

    /// Resolves the `--labels` argument: a built-in table's name (or `none`), a JSON file or a `.tsv` lookup table.
    public static func named(_ argument: String) throws -> LabelTable {
        if let table = selectable.first(where: { $0.name == argument.lowercased() }) { return table }
        guard FileManager.default.fileExists(atPath: argument) else {
            throw IMATError(argument: argument, "no such labels file (built-in tables: \(selectable.map(\.name).joined(separator: ", ")))")
        }
        return argument.lowercased().hasSuffix(".tsv") ? try readDsegTSV(argument) : try readJSON(argument)
    }
}

private func snakeCase(_ text: String) -> String { SeriesRoles.words(text).joined(separator: "_") }
