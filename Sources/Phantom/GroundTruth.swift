/// The phantom's answer key (`truth.json`): per labelled muscle and for all of them together, measured
/// on the mask and the true fat-fraction map exactly as the analysis reports its own numbers.
public struct GroundTruth: Codable, Equatable, Sendable {
    public struct Region: Codable, Equatable, Sendable {
        /// The mask label; nil for the total.
        public var label: Int?
        public var name: String
        public var voxels: Int
        public var volumeML: Double
        /// Σ voxel fat fraction × voxel volume.
        public var fatML: Double
        /// Mean voxel fat fraction; nil when the region has no voxels.
        public var fatFractionMean: Double?
        /// Share of the region's voxels whose fat fraction exceeds 0.5; nil when it has no voxels.
        public var imatFractionHard: Double?
        /// The fat fraction the renderer aimed at (muscles only).
        public var targetFatFraction: Double?

        enum CodingKeys: String, CodingKey {
            case label, name, voxels, volumeML = "volume_ml", fatML = "fat_ml", fatFractionMean = "fat_fraction_mean"
            case imatFractionHard = "imat_fraction_hard", targetFatFraction = "target_fat_fraction"
        }
    }

    public var participant: String
    public var voxelVolumeML: Double
    public var muscles: [Region]
    public var total: Region
    /// The slices whose water and fat images were exchanged (a simulated fat–water swap); nil for none.
    public var fatWaterSwapSlices: [Int]?

    enum CodingKeys: String, CodingKey {
        case participant, voxelVolumeML = "voxel_volume_ml", muscles, total, fatWaterSwapSlices = "fat_water_swap_slices"
    }

    /// Measures every labelled muscle (present or not) and their union from a label map and a fat-fraction
    /// map of the same length, sums taken in voxel order so the result is reproducible.
    public static func measure(participant: String, labels: [UInt8], fatFraction: [Float], voxelVolumeML: Double,
                               targets: [Muscle: Double] = [:]) -> GroundTruth {
        precondition(labels.count == fatFraction.count, "label and fat-fraction maps differ in length")
        var voxels = [Int](repeating: 0, count: 4), hard = [Int](repeating: 0, count: 4)
        var fat = [Double](repeating: 0, count: 4)
        for (label, f) in zip(labels, fatFraction) {
            guard let muscle = Muscle(rawValue: Int(label)) else { continue }
            voxels[muscle.slot] += 1
            fat[muscle.slot] += Double(f)
            if f > 0.5 { hard[muscle.slot] += 1 }
        }
        func region(_ label: Int?, _ name: String, _ n: Int, _ fatSum: Double, _ hardCount: Int, _ target: Double?) -> Region {
            Region(label: label, name: name, voxels: n, volumeML: Double(n) * voxelVolumeML, fatML: fatSum * voxelVolumeML,
                   fatFractionMean: n > 0 ? fatSum / Double(n) : nil,
                   imatFractionHard: n > 0 ? Double(hardCount) / Double(n) : nil, targetFatFraction: target)
        }
        let muscles = Muscle.allCases.map { m in
            region(m.label, m.name, voxels[m.slot], fat[m.slot], hard[m.slot], targets[m])
        }
        let total = region(nil, "total", voxels.reduce(0, +), fat.reduce(0, +), hard.reduce(0, +), nil)
        return GroundTruth(participant: participant, voxelVolumeML: voxelVolumeML, muscles: muscles, total: total)
    }

    public func region(_ muscle: Muscle) -> Region? { muscles.first { $0.label == muscle.label } }
}
