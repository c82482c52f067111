/// Who a phantom participant is: the phenotype written to `phenotypes.csv` and `scan.json`, and the
/// body-composition traits the anatomy is built from. `draw` makes them from the seed; every field can
/// be changed before rendering (a test may, say, set the fat targets it wants).
public struct ParticipantTraits: Equatable, Sendable {
    public enum Sex: String, Codable, Sendable { case female, male }
    public enum ActivityGroup: String, Codable, Sendable, CaseIterable { case low, moderate, high }

    /// Participant ID and folder name, "P0001" for index 0.
    public var id: String
    /// 0-based position in the cohort; the render's random streams are keyed by it.
    public var index: Int
    public var age: Int
    public var sex: Sex
    /// Physical activity in MET-min/week: low < 500, moderate 500–5000, high > 5000 (the NAKO groups).
    public var activityGroup: ActivityGroup
    public var site: String
    public var chronicBackPain: Bool

    /// Target fat fraction per muscle: the truth's fat_fraction_mean over the muscle's mask voxels,
    /// which the renderer calibrates the marbling to hit (see `LumbarPhantom`).
    public var targetFatFraction: [Muscle: Double]
    /// Subcutaneous fat thickness at the level of L3, in mm, before its variation around the body.
    public var subcutaneousFatMM: Double
    /// Share of the abdominal cavity filled with visceral fat (approximate, 0…1).
    public var visceralFatShare: Double
    /// Half the body's left–right width at L1, in mm (widened where fat or hips need room).
    public var bodyHalfWidthMM: Double
    /// Linear size of the muscles relative to a reference adult (1 = autochthon about 20 cm² per side at L3).
    public var muscleScale: Double
    /// Fat fraction of vertebral marrow (rises with age).
    public var marrowFatFraction: Double

    public static let sites = ["site1", "site2", "site3"]

    public static func id(forIndex index: Int) -> String {
        let digits = String(index + 1)
        return "P" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Draws participant `index` of the cohort generated with `seed`:
    /// - sex female with probability 0.45, age uniform 20…74, activity low/moderate/high 25/55/20 %, site uniform;
    /// - adiposity z ~ N(0, 1) drives subcutaneous and visceral fat and body width;
    /// - muscle fat: base = 0.05 + 0.0022·(age − 20) + 0.02·female + (0.02 low, −0.01 high activity) + 0.012·z
    ///   + N(0, 0.025); autochthon = base + N(0, 0.008) per side, psoas = 0.01 + 0.55·base + N(0, 0.006) per
    ///   side, all clamped to 0.035…0.35 (psoas carries less fat than the back muscles, as in the literature;
    ///   the floor stays above the fat that partial volume alone brings into a mask on grids of 2 mm or finer);
    /// - chronic back pain from `BackPainModel`.
    public static func draw(seed: UInt64, index: Int) -> ParticipantTraits {
        var r = RandomStream(seed: seed, participant: index, purpose: .traits)
        let female = r.uniform() < 0.45
        let age = 20 + r.index(below: 55)
        let activityDraw = r.uniform()
        let activity: ActivityGroup = activityDraw < 0.25 ? .low : activityDraw < 0.80 ? .moderate : .high
        let site = sites[r.index(below: sites.count)]
        let adiposity = clamp(r.normal(), -2.5, 2.5)
        let years = Double(age)

        var base = 0.05 + 0.0022 * (years - 20) + (female ? 0.02 : 0) + 0.012 * adiposity + r.normal(sd: 0.025)
        base += activity == .low ? 0.02 : activity == .high ? -0.01 : 0
        var targets: [Muscle: Double] = [:]
        for muscle in Muscle.allCases {
            let isPsoas = muscle == .iliopsoasLeft || muscle == .iliopsoasRight
            let value = isPsoas ? 0.01 + 0.55 * base + r.normal(sd: 0.006) : base + r.normal(sd: 0.008)
            targets[muscle] = clamp(value, 0.035, 0.35)
        }

        var traits = ParticipantTraits(
            id: id(forIndex: index), index: index, age: age, sex: female ? .female : .male,
            activityGroup: activity, site: site, chronicBackPain: false, targetFatFraction: targets,
            subcutaneousFatMM: clamp((female ? 20 : 14) * (1 + 0.35 * adiposity) + 0.1 * (years - 45) + r.normal(sd: 2), 6, 45),
            visceralFatShare: clamp((female ? 0.22 : 0.32) + 0.08 * adiposity + 0.003 * (years - 45), 0.08, 0.7),
            bodyHalfWidthMM: clamp((female ? 150 : 162) + 9 * adiposity + r.normal(sd: 6), 130, 195),
            muscleScale: clamp((female ? 0.92 : 1.05) * (1 - 0.003 * (years - 45)) * (1 + r.normal(sd: 0.05)), 0.75, 1.25),
            marrowFatFraction: clamp(0.35 + 0.004 * (years - 45) + r.normal(sd: 0.04), 0.2, 0.7))
        var painStream = RandomStream(seed: seed, participant: index, purpose: .phenotype)
        traits.chronicBackPain = painStream.uniform() < BackPainModel.probability(traits)
        return traits
    }
}

/// The model that generates the phantom cohort's chronic back pain, so an association analysis has a
/// known effect to find. Logistic, with f the mean target fat fraction of the left and right autochthon:
///
///     logit P(pain) = −1.35 + 10·(f − 0.12) + 0.015·(age − 47) + 0.25·[female] + 0.35·[low activity] + 0.15·[high activity]
///
/// so +0.05 in autochthon fat fraction multiplies the odds by e^0.5 ≈ 1.65, and a typical participant
/// (f = 0.12, 47 years, male, moderate activity) has P ≈ 0.21, near the 21.8 % prevalence in NAKO
/// (Ziegelmayer et al., Lancet Reg Health Eur 2025). Activity is U-shaped as there.
public enum BackPainModel {
    public static let intercept = -1.35
    public static let perUnitFatFraction = 10.0
    public static let perYear = 0.015
    public static let female = 0.25
    public static let lowActivity = 0.35
    public static let highActivity = 0.15

    public static func probability(_ traits: ParticipantTraits) -> Double {
        let f = ((traits.targetFatFraction[.autochthonLeft] ?? 0) + (traits.targetFatFraction[.autochthonRight] ?? 0)) / 2
        var logit = intercept + perUnitFatFraction * (f - 0.12) + perYear * (Double(traits.age) - 47)
        if traits.sex == .female { logit += female }
        switch traits.activityGroup {
        case .low: logit += lowActivity
        case .moderate: break
        case .high: logit += highActivity
        }
        return 1 / (1 + PortableMath.exp(-clamp(logit, -700, 700)))
    }
}

@inline(__always)
func clamp(_ x: Double, _ low: Double, _ high: Double) -> Double { min(max(x, low), high) }
