import Foundation
import Study
import VolumeCore
import VolumeIO

/// Names for the label ids of a mask, from the segmenter that drew it, and which of them are muscles.
///
/// Segmenters label organs, bones and the spinal canal beside the muscles; only the muscles are analysed.
/// A label is a muscle unless its name holds a word of `AnatomyVocabulary.nonMuscleWords` (organs, vessels,
/// bones, vertebrae, discs, cord, fat): one rule for the built-in tables and for the tables users bring.
public struct LabelTable: Equatable, Sendable {
    public var name: String
    public var names: [Int: String]
    /// The ids whose names are muscles.
    public var muscles: Set<Int>

    public init(name: String, names: [Int: String]) {
        self.name = name
        self.names = names
        self.muscles = Set(names.filter { AnatomyVocabulary.isMuscle($0.value) }.keys)
    }

    /// The name of a label: from the table, else `label_<id>`.
    public func name(of label: Int) -> String { names[label] ?? "label_\(label)" }

    /// Whether a label is analysed. A table that names nothing (`none`) treats every label as a muscle.
    public func isMuscle(_ label: Int) -> Bool { names.isEmpty || muscles.contains(label) }

    /// The explicit "no table": every label is a muscle named `label_<id>` (for masks of one's own).
    public static let none = LabelTable(name: "none", names: [:])
}

/// The words that mark a label name as something other than a muscle.
public enum AnatomyVocabulary {
    static let nonMuscleWords: Set<String> = [
        // organs
        "spleen", "kidney", "gallbladder", "liver", "stomach", "pancreas", "adrenal", "lung", "esophagus", "bowel",
        "duodenum", "colon", "bladder", "prostate", "heart", "brain", "trachea", "thyroid", "uterus",
        // vessels
        "aorta", "vena", "cava", "vein", "artery", "arteries", "veins",
        // bones, spine, canal
        "sacrum", "vertebra", "vertebrae", "intervertebral", "disc", "discs", "spine", "spinal", "cord", "canal",
        "humerus", "scapula", "clavicula", "clavicle", "femur", "hip", "ilium", "tibia", "fibula", "rib", "ribs",
        "sternum", "skull", "bone", "marrow", "cartilage", "costal", "patella",
        // other tissues
        "fat", "adipose", "csf", "background", "skin",
    ]

    /// False when any word of the name (split at anything but letters and digits, case ignored) is a
    /// non-muscle word or a vertebra's short name (L4, T12, C1, S1).
    public static func isMuscle(_ name: String) -> Bool {
        !SeriesRoles.words(name).contains { nonMuscleWords.contains($0) || isVertebraName($0) }
    }

    private static func isVertebraName(_ word: String) -> Bool {
        guard let first = word.first, "ctls".contains(first), word.count <= 3 else { return false }
        return Int(word.dropFirst()) != nil
    }
}
