import Segmentation

/// How a two-point Dixon analysis chose water from fat (metrics.json `two_point_dixon`): the references it
/// compared each voxel's in-phase signal with, and per muscle how many voxels it took as fat-dominant.
public struct TwoPointDixonSummary: Codable, Equatable, Sendable {
    public struct Region: Codable, Equatable, Sendable {
        public var label: Int
        public var name: String
        public var voxels: Int
        public var fatDominantVoxels: Int

        enum CodingKeys: String, CodingKey {
            case label, name, voxels, fatDominantVoxels = "fat_dominant_voxels"
        }
    }

    /// Median in-phase signal of near-pure muscle voxels.
    public var leanReference: Double
    /// Median in-phase signal of near-pure bright voxels outside the muscles; nil when none could be measured,
    /// and every voxel was then taken as water-dominant.
    public var fatReference: Double?
    public var rule: String
    public var regions: [Region]

    init(_ result: TwoPointDixon.Result, table: LabelTable) {
        leanReference = result.leanReference
        fatReference = result.fatReference
        rule = result.fatReference == nil
            ? "no fat reference: every voxel taken as water-dominant (fat fractions above 0.5 read as their complement)"
            : "dominant tissue by the in-phase signal: nearer a mixture of the lean and fat references"
        regions = result.fatDominant.keys.sorted().map { label in
            let count = result.fatDominant[label]!
            return Region(label: Int(label), name: table.name(of: Int(label)), voxels: count.voxels, fatDominantVoxels: count.fatDominant)
        }
    }

    enum CodingKeys: String, CodingKey {
        case leanReference = "lean_reference", fatReference = "fat_reference", rule, regions
    }
}
