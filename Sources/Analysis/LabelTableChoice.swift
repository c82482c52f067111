import VolumeCore
import VolumeIO

/// The label table an analysis used, where it came from and why: recorded in metrics.json.
public struct LabelTableChoice: Equatable, Sendable {
    public var table: LabelTable
    /// `--labels`, `scan.json`, the lookup table's path, or `detected`.
    public var source: String
    /// How the choice was made, in words.
    public var reason: String

    /// The table for a mask: `--labels`, else scan.json's `labels`, else a BIDS lookup table beside the
    /// mask, else the built-in table the label ids present point to.
    public static func choose(argument: String?, sidecarNames: [Int: String]?, maskPath: String, present: Set<Int>) throws -> LabelTableChoice {
        if let argument {
            return LabelTableChoice(table: try LabelTable.named(argument), source: "--labels", reason: "given with --labels \(argument)")
        }
        if let names = sidecarNames, !names.isEmpty {
            return LabelTableChoice(table: LabelTable(name: "scan.json", names: names), source: "scan.json", reason: "named in the participant's scan.json")
        }
        if let tsv = try LabelTable.dsegTSVPath(besideMask: maskPath) {
            return LabelTableChoice(table: try LabelTable.readDsegTSV(tsv), source: tsv, reason: "the BIDS lookup table beside the mask")
        }
        return try detect(present: present, maskPath: maskPath)
    }

    /// Chooses among the built-in tables by evidence, never by a guess:
    /// 1. only tables that name every label present are candidates;
    /// 2. TotalSegmentator ≥ 2.5 over its earlier ids when labels 48/49 are present without 51–55:
    ///    they are iliopsoas since 2.5, and were quadriceps before, which came with the thigh labels 51–55;
    /// 3. a single candidate left is chosen; several are an error that says how to choose;
    /// 4. labels no built-in table knows are analysed as muscles only when no table names any of them.
    static func detect(present: Set<Int>, maskPath: String) throws -> LabelTableChoice {
        let ids = present.sorted()
        let listed = ids.count > 12 ? ids.prefix(12).map(String.init).joined(separator: ", ") + ", …" : ids.map(String.init).joined(separator: ", ")
        var candidates = LabelTable.builtIn.filter { table in present.allSatisfy { table.names[$0] != nil } }
        var reason = "the only built-in table naming every label present (\(listed))"
        if candidates.contains(.totalSegmentator), candidates.contains(.totalSegmentatorV1),
           !present.isDisjoint(with: [48, 49]), present.isDisjoint(with: 51...55) {
            candidates.removeAll { $0 == .totalSegmentatorV1 }
            reason = "labels 48/49 without 51–55: iliopsoas in TotalSegmentator ≥ 2.5; before 2.5 they were quadriceps, which came with the thigh labels 51–55"
        }
        switch candidates.count {
        case 1:
            return LabelTableChoice(table: candidates[0], source: "detected", reason: reason)
        case 0 where !LabelTable.builtIn.contains(where: { table in present.contains { table.names[$0] != nil } }):
            return LabelTableChoice(table: .none, source: "detected",
                                    reason: "no built-in table names any label present (\(listed)): every label analysed as a muscle")
        case 0:
            throw IMATError(maskPath, "labels \(listed) fit no built-in label table whole; "
                                + "name them with --labels FILE (JSON or BIDS .tsv) or scan.json's \"labels\", or --labels none to analyse every label as a muscle")
        default:
            let readings = candidates.map { table in
                "\(table.name): " + ids.prefix(4).map { table.name(of: $0) }.joined(separator: ", ") + (ids.count > 4 ? ", …" : "")
            }
            throw IMATError(maskPath, "labels \(listed) could be any of several segmenters' tables (\(readings.joined(separator: "; "))); "
                                + "choose one with --labels NAME, a labels file, or scan.json's \"labels\"")
        }
    }
}
