import VolumeCore
import VolumeIO

/// The mask reduced to the labels its table names as muscles; the others are counted and set aside,
/// so organs, bones and the canal never reach the totals, the bias field or the intensity references.
struct MuscleSelection {
    /// The label map with every non-muscle label set to 0.
    var labels: [UInt16]
    /// The muscle labels present, ascending.
    var muscles: [Int]
    /// The labels present that are not muscles, ascending.
    var notAnalysed: [LabelCount]

    /// Voxels per label id, 0…65535.
    static func voxelCounts(_ mask: [UInt16]) -> [Int] {
        var counts = [Int](repeating: 0, count: Int(UInt16.max) + 1)
        for label in mask { counts[Int(label)] += 1 }
        return counts
    }

    /// `counts` are the mask's `voxelCounts`.
    init(labels mask: [UInt16], counts: [Int], table: LabelTable) {
        let present = (1..<counts.count).filter { counts[$0] > 0 }
        muscles = present.filter(table.isMuscle)
        notAnalysed = present.filter { !table.isMuscle($0) }.map { LabelCount(label: $0, name: table.name(of: $0), voxels: counts[$0]) }
        guard !notAnalysed.isEmpty else { labels = mask; return }
        var keep = [Bool](repeating: false, count: counts.count)
        for label in muscles { keep[label] = true }
        labels = mask.map { keep[Int($0)] ? $0 : 0 }
    }
}

/// A label and its voxel count, as metrics.json lists the labels it did not analyse.
public struct LabelCount: Codable, Equatable, Sendable {
    public var label: Int
    public var name: String
    public var voxels: Int
}
