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

    /// Muscles the label table names but the mask does not hold (a failed segmentation, or the wrong table).
    static func missingMuscles(table: LabelTable, present: Set<Int>) -> [String] {
        let missing = table.names.keys.filter { !present.contains($0) }.sorted()
        guard !missing.isEmpty, table.names.keys.contains(where: present.contains) else { return [] }
        return ["no voxels for \(missing.map { table.name(of: $0) }.joined(separator: ", ")) (\(table.name) labels \(missing.map(String.init).joined(separator: ", ")))"]
    }
}
