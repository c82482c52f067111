import Tabular

/// One muscle at one vertebral level: the slices of the level that hold it, summed from `SliceMetrics`, so the
/// levels add up exactly to the slices they contain.
public struct LevelMetrics: Sendable, Equatable {
    public var label: Int
    public var name: String
    public var level: String
    public var slices: Int
    public var volumeML: Double
    public var csaCM2Mean: Double
    public var csaCM2Max: Double
    public var fatFractionMean: Double
    public var imatFraction: Double

    /// Per muscle (in the order of `slices`) and level (down the spine); levels a muscle does not reach are left out.
    static func aggregate(_ slices: [SliceMetrics], levels: VertebralLevels, voxelML: Double) -> [LevelMetrics] {
        var labels: [Int] = []
        for s in slices where labels.last != s.label { labels.append(s.label) }
        return labels.flatMap { label in
            let own = slices.filter { $0.label == label }
            return levels.levels.compactMap { level -> LevelMetrics? in
                let slices = Set(level.slices)
                let inLevel = own.filter { slices.contains($0.slice) }
                guard let first = inLevel.first else { return nil }
                let voxels = inLevel.map(\.voxels).reduce(0, +), fat = inLevel.map(\.fatVoxels).reduce(0, +)
                let areas = inLevel.map(\.csaCM2)
                return LevelMetrics(label: label, name: first.name, level: level.name, slices: inLevel.count, volumeML: Double(voxels) * voxelML,
                                    csaCM2Mean: areas.reduce(0, +) / Double(areas.count), csaCM2Max: areas.max()!,
                                    fatFractionMean: inLevel.map(\.fatFractionSum).reduce(0, +) / Double(voxels),
                                    imatFraction: Double(fat) / Double(voxels))
            }
        }
    }

    public static let csvHeader = ["participant", "muscle", "label", "level", "slices", "volume_ml", "csa_cm2_mean", "csa_cm2_max",
                                   "fat_fraction_mean", "imat_fraction"]

    /// `levels.csv`: one row per muscle and level.
    public static func csvText(_ levels: [LevelMetrics], participant: String) -> String {
        CSV.document(header: csvHeader, rows: levels.map {
            [participant, $0.name, String($0.label), $0.level, String($0.slices)]
                + [$0.volumeML, $0.csaCM2Mean, $0.csaCM2Max, $0.fatFractionMean, $0.imatFraction].map(formatNumber)
        })
    }
}
