import VolumeCore
import VolumeIO

/// Checks of a participant's inputs that a careful reader wants flagged in the report.
enum QualityChecks {
    /// A muscle that reaches the in-plane edge of the image was probably cut off by the field of view.
    /// (Reaching the first or last slice is normal: a slab rarely covers a whole muscle.)
    static func edgeWarnings(labels: [UInt16], dimensions d: Dimensions, table: LabelTable) -> [String] {
        var touching = Set<UInt16>()
        for k in 0..<d.z {
            for j in 0..<d.y {
                let onEdgeRow = j == 0 || j == d.y - 1
                for i in 0..<d.x where onEdgeRow || i == 0 || i == d.x - 1 {
                    let label = labels[d.index(i, j, k)]
                    if label != 0 { touching.insert(label) }
                }
            }
        }
        return touching.sorted().map {
            "\(table.name(of: Int($0))) touches the in-plane edge of the image: the muscle may be cut off by the field of view"
        }
    }

    /// A muscle present without its other side (a failed or cut segmentation, or the wrong table): the
    /// muscles the table names on one side only, or those of the unscanned body regions, are not flagged.
    static func unpairedMuscles(table: LabelTable, present: Set<Int>) -> [String] {
        let ids = Dictionary(table.names.map { ($0.value, $0.key) }, uniquingKeysWith: min)
        let missing = present.sorted().compactMap { label -> (present: String, absent: Int)? in
            let name = table.name(of: label)
            for (side, other) in [("_left", "_right"), ("_right", "_left")] where name.hasSuffix(side) {
                let partner = String(name.dropLast(side.count)) + other
                if let id = ids[partner], !present.contains(id) { return (name, id) }
            }
            return nil
        }
        return missing.map { "\($0.present) is present but \(table.name(of: $0.absent)) (label \($0.absent)) is not: a failed segmentation, a cut field of view, or the wrong label table" }
    }

    /// slices.csv and the vertebral levels count slices along the third voxel axis, which is axial only when that
    /// axis runs mostly head to foot (as in the usual lumbar acquisition); say so when it does not.
    static func nonAxialSlices(_ affine: Affine) -> String? {
        let axis = affine.orientationCode.dropFirst(2).first
        guard let axis, axis != "S", axis != "I" else { return nil }
        let direction = ["R": "left–right", "L": "left–right", "A": "front–back", "P": "front–back"][String(axis)] ?? "in no clear direction"
        return "the volume's third axis runs \(direction), not head to foot: slices.csv holds sagittal or coronal slices, not axial ones"
    }
}
