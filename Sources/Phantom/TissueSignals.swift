/// The tissue classes the phantom's anatomy is built from.
enum Tissue: Int, CaseIterable {
    case air, skin, adipose, leanMuscle, cortex, marrow, disc, csf, organ, vessel
}

/// Noise-free signals of one tissue (arbitrary units, before bias field and noise) and its fat fraction.
struct TissueSignal: Equatable {
    let t1: Double
    let water: Double
    let fat: Double
    /// The proton-density fat fraction F / (F + W), which the Dixon images measure (0 for air).
    let fatFraction: Double

    init(t1: Double, water: Double, fat: Double) {
        self.t1 = t1
        self.water = water
        self.fat = fat
        fatFraction = water + fat > 0 ? fat / (water + fat) : 0
    }
}

/// The signal model: what each tissue looks like on the T1-weighted image and on the Dixon pair.
///
/// Muscle and fat mix linearly by the fat fraction f on both contrasts:
/// T1w S = (1 − f)·350 + f·1100 (fat about 3× brighter than lean muscle, as on T1w spin-echo and VIBE),
/// Dixon water = (1 − f)·700 and fat = f·700 (equal proton density, so F/(F+W) = f exactly).
/// Adipose tissue is pure fat (f = 1); lean muscle is pure water (f = 0), so the two-compartment model
/// that the analysis uses is exact for muscle–fat mixtures. Other tissues, chosen for plausible contrast:
///
/// | tissue        | T1w                 | water          | fat     |
/// |---------------|---------------------|----------------|---------|
/// | air           | 0                   | 0              | 0       |
/// | skin          | 450                 | 650            | 0       |
/// | cortical bone | 40                  | 40             | 0       |
/// | marrow (f_m)  | (1−f_m)·500+f_m·1100 | (1−f_m)·700   | f_m·700 |
/// | disc          | 300                 | 800            | 0       |
/// | CSF           | 120                 | 1000           | 0       |
/// | organs        | 450                 | 750            | 30      |
/// | blood vessels | 200                 | 850            | 0       |
///
/// The noise references are lean muscle: 350 on T1w, 700 on the water image.
struct SignalTable {
    static let leanT1 = 350.0, fatT1 = 1100.0
    static let leanWater = 700.0, fatFat = 700.0

    private let signals: [TissueSignal]

    init(marrowFatFraction f: Double) {
        signals = Tissue.allCases.map { tissue in
            switch tissue {
            case .air: TissueSignal(t1: 0, water: 0, fat: 0)
            case .skin: TissueSignal(t1: 450, water: 650, fat: 0)
            case .adipose: TissueSignal(t1: Self.fatT1, water: 0, fat: Self.fatFat)
            case .leanMuscle: TissueSignal(t1: Self.leanT1, water: Self.leanWater, fat: 0)
            case .cortex: TissueSignal(t1: 40, water: 40, fat: 0)
            case .marrow: TissueSignal(t1: (1 - f) * 500 + f * Self.fatT1, water: (1 - f) * 700, fat: f * 700)
            case .disc: TissueSignal(t1: 300, water: 800, fat: 0)
            case .csf: TissueSignal(t1: 120, water: 1000, fat: 0)
            case .organ: TissueSignal(t1: 450, water: 750, fat: 30)
            case .vessel: TissueSignal(t1: 200, water: 850, fat: 0)
            }
        }
    }

    @inline(__always)
    subscript(_ tissue: Tissue) -> TissueSignal { signals[tissue.rawValue] }
}
