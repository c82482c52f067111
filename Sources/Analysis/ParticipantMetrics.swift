import Foundation
import Segmentation
import Tabular
import VolumeCore

/// Fat and lean composition of one muscle (or of all muscles together), as `metrics.json` holds it.
public struct CompositionMetrics: Codable, Equatable, Sendable {
    public var voxels: Int
    public var volumeML: Double
    public var leanML: Double
    public var fatML: Double
    public var undefinedML: Double
    /// Fat-class volume / muscle volume; the undefined class (3 classes) is not counted as fat.
    public var imatFraction: Double
    /// Mean of the soft (partial-volume aware, or noise-corrected Dixon) fat-fraction map over the muscle's voxels.
    public var fatFractionMean: Double
    /// Dixon only: the plain mean of F/(F+W), noise floor included, as MuscleMap and most papers report it.
    public var signalFatFractionMean: Double?

    public init(voxels: Int, volumeML: Double, leanML: Double, fatML: Double, undefinedML: Double,
                imatFraction: Double, fatFractionMean: Double, signalFatFractionMean: Double? = nil) {
        self.voxels = voxels
        self.volumeML = volumeML
        self.leanML = leanML
        self.fatML = fatML
        self.undefinedML = undefinedML
        self.imatFraction = imatFraction
        self.fatFractionMean = fatFractionMean
        self.signalFatFractionMean = signalFatFractionMean
    }

    enum CodingKeys: String, CodingKey {
        case voxels, volumeML = "volume_ml", leanML = "lean_ml", fatML = "fat_ml", undefinedML = "undefined_ml"
        case imatFraction = "imat_fraction", fatFractionMean = "fat_fraction_mean", signalFatFractionMean = "signal_fat_fraction_mean"
    }
}

/// One labelled muscle's metrics.
public struct MuscleMetrics: Codable, Equatable, Sendable {
    public var label: Int
    public var name: String
    public var composition: CompositionMetrics
    /// Intensity thresholds between the classes, in ascending order (empty for Dixon).
    public var thresholds: [Double]

    public init(label: Int, name: String, composition: CompositionMetrics, thresholds: [Double]) {
        self.label = label
        self.name = name
        self.composition = composition
        self.thresholds = thresholds
    }

    enum CodingKeys: String, CodingKey { case label, name, thresholds }

    // The composition's fields sit flat beside label and name, as the schema lists them.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        label = try c.decode(Int.self, forKey: .label)
        name = try c.decode(String.self, forKey: .name)
        thresholds = try c.decode([Double].self, forKey: .thresholds)
        composition = try CompositionMetrics(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(label, forKey: .label)
        try c.encode(name, forKey: .name)
        try c.encode(thresholds, forKey: .thresholds)
        try composition.encode(to: encoder)
    }
}

/// Whether the intensity non-uniformity correction ran, and how strong the field it removed was.
public struct BiasCorrectionSummary: Codable, Equatable, Sendable {
    public var applied: Bool
    /// Peak-to-peak size of the fitted field over the muscles, relative (0.4 = 0.8 to 1.2); nil when not applied.
    public var fieldPeakToPeak: Double?

    public init(applied: Bool, fieldPeakToPeak: Double?) {
        self.applied = applied
        self.fieldPeakToPeak = fieldPeakToPeak
    }

    enum CodingKeys: String, CodingKey { case applied, fieldPeakToPeak = "field_peak_to_peak" }
}

/// The Dixon noise σ behind the correction, and where it was measured.
public struct NoiseSummary: Codable, Equatable, Sendable {
    /// 0 when nothing was corrected.
    public var sigma: Double
    /// `background` (measured in the air around the body), `given` (--noise-correction σ), `off`, or
    /// `not_measured` (no air in the images: no correction).
    public var source: String
    /// Where σ was measured, in words; nil unless measured.
    public var region: String?
    /// Water and fat values of air voxels σ was fitted to; nil unless measured.
    public var values: Int?

    public init(_ estimate: NoiseEstimate) {
        sigma = estimate.sigma
        source = estimate.source.rawValue
        values = estimate.values
        region = estimate.source == .background
            ? "air around the body: voxels outside every label where water and fat are both below 2σ; truncated Rayleigh fit" : nil
    }
}

/// Which label table named the mask's labels, and how it was chosen.
public struct LabelTableSummary: Codable, Equatable, Sendable {
    public var name: String
    /// `--labels`, `scan.json`, a lookup table's path, or `detected`.
    public var source: String
    public var reason: String

    init(_ choice: LabelTableChoice) {
        name = choice.table.name
        source = choice.source
        reason = choice.reason
    }
}

/// Where the vertebral levels of levels.csv came from, the rule that placed the slices, and each level's slices.
public struct LevelsSummary: Codable, Equatable, Sendable {
    public struct Level: Codable, Equatable, Sendable {
        public var name: String
        public var slices: [Int]
    }
    /// The vertebra file and its table, or scan.json.
    public var source: String
    public var rule: String
    /// Down the spine.
    public var levels: [Level]

    init(_ levels: VertebralLevels) {
        source = levels.source
        rule = levels.rule
        self.levels = levels.levels.map { Level(name: $0.name, slices: $0.slices) }
    }
}

/// Everything `metrics.json` says about one participant (schema `imat.metrics/2`).
public struct ParticipantMetrics: Codable, Equatable, Sendable {
    public static let schemaName = "imat.metrics/2"

    public var schema: String = ParticipantMetrics.schemaName
    /// The imat version, its source revision and the analysis revision that computed these numbers.
    public var imatVersion: String = IMATVersion.version
    /// nil in results of versions before 0.2.0 that did not record it.
    public var sourceRevision: String? = IMATVersion.sourceRevision
    public var analysisRevision: Int = IMATVersion.analysisRevision
    public var participant: String
    public var method: SegmentationMethod
    public var source: ImageSource
    public var classes: Int
    public var spacingMM: [Double]
    public var voxelVolumeML: Double
    public var biasCorrection: BiasCorrectionSummary
    /// Dixon only.
    public var noise: NoiseSummary?
    public var labelTable: LabelTableSummary
    /// Labels present in the mask that the table does not name as muscles (organs, bones, …): never analysed.
    public var notAnalysed: [LabelCount]
    /// Two-point Dixon only: how water was told from fat.
    public var twoPointDixon: TwoPointDixonSummary?
    /// With a vertebra segmentation or scan.json's levels: what levels.csv is based on.
    public var levels: LevelsSummary?
    public var warnings: [String]
    /// The warnings' flags (what a cohort filters participants on) and the fat–water swap check.
    public var qc = QualitySummary()
    public var muscles: [MuscleMetrics]
    public var total: CompositionMetrics

    public init(participant: String, method: SegmentationMethod, source: ImageSource, classes: Int, spacingMM: [Double],
                voxelVolumeML: Double, biasCorrection: BiasCorrectionSummary, noise: NoiseSummary?,
                labelTable: LabelTableSummary, notAnalysed: [LabelCount], twoPointDixon: TwoPointDixonSummary? = nil,
                warnings: [String], muscles: [MuscleMetrics], total: CompositionMetrics) {
        self.participant = participant
        self.method = method
        self.source = source
        self.classes = classes
        self.spacingMM = spacingMM
        self.voxelVolumeML = voxelVolumeML
        self.biasCorrection = biasCorrection
        self.noise = noise
        self.labelTable = labelTable
        self.notAnalysed = notAnalysed
        self.twoPointDixon = twoPointDixon
        self.warnings = warnings
        self.muscles = muscles
        self.total = total
    }

    enum CodingKeys: String, CodingKey {
        case schema, imatVersion = "imat_version", sourceRevision = "source_revision", analysisRevision = "analysis_revision"
        case participant, method, source, classes, spacingMM = "spacing_mm", voxelVolumeML = "voxel_volume_ml"
        case biasCorrection = "bias_correction", noise, labelTable = "label_table", notAnalysed = "not_analysed"
        case twoPointDixon = "two_point_dixon", levels, warnings, qc, muscles, total
    }

    /// Pretty, key-sorted JSON: the same metrics always give the same bytes.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    public static let csvHeader = ["participant", "muscle", "label", "volume_ml", "lean_ml", "fat_ml", "undefined_ml",
                                   "imat_fraction", "fat_fraction_mean", "signal_fat_fraction_mean", "noise_sigma", "noise_source",
                                   "method", "source", "label_table", "analysis_revision", "qc", "imat_version"]

    /// The `metrics.csv` rows: one per muscle, then one with muscle = total (and an empty label).
    /// Dixon-only columns are empty for T1w analyses; `qc` (the participant's flags, `;`-separated) and
    /// `imat_version` (version+source revision, as `IMATVersion.exact`) are on every row.
    var csvRows: [[String]] {
        func row(_ muscle: String, _ label: String, _ m: CompositionMetrics) -> [String] {
            let numbers: [String] = [m.volumeML, m.leanML, m.fatML, m.undefinedML, m.imatFraction, m.fatFractionMean].map(formatNumber)
            let noiseColumns: [String] = [m.signalFatFractionMean.map(formatNumber) ?? "", noise.map { formatNumber($0.sigma) } ?? "", noise?.source ?? ""]
            let provenance: [String] = [method.rawValue, source.rawValue, labelTable.name, String(analysisRevision)]
            let flags: String = qc.flags.map(\.rawValue).joined(separator: ";")
            return [participant, muscle, label] + numbers + noiseColumns + provenance + [flags, IMATVersion.exact(version: imatVersion, sourceRevision: sourceRevision)]
        }
        return muscles.map { row($0.name, String($0.label), $0.composition) } + [row("total", "", total)]
    }

    public func csvText() -> String { CSV.document(header: Self.csvHeader, rows: csvRows) }
}

/// Numbers in CSV and reports: nine significant digits, enough for any volume or fraction, and stable across runs.
func formatNumber(_ x: Double) -> String {
    guard x.isFinite else { return "" }
    let text = String(format: "%.9g", x)
    return text == "-0" ? "0" : text
}

/// The images a participant's fat was measured on.
public enum ImageSource: String, Codable, Sendable {
    /// A T1-weighted image.
    case t1
    /// Dixon water and fat images.
    case dixon
    /// Two-point Dixon: in-phase and opposed-phase magnitudes, water and fat computed from them.
    case dixonTwoPoint = "dixon-two-point"
}

extension SegmentationMethod: Codable {}

/// The quality of one participant at a glance: its warnings' flags, and the fat–water swap check of a Dixon pair.
public struct QualitySummary: Codable, Equatable, Sendable {
    /// Each flag once, sorted.
    public var flags: [QualityFlag] = []
    /// Dixon water/fat images only.
    public var fatWaterSwap: FatWaterSwapSummary?

    enum CodingKeys: String, CodingKey { case flags, fatWaterSwap = "fat_water_swap" }
}

/// The fat–water swap check (`FatWaterSwap`): what it found and did, and its evidence slice by slice.
public struct FatWaterSwapSummary: Codable, Equatable, Sendable {
    public struct Evidence: Codable, Equatable, Sendable {
        public var rule: String
        /// Per slice along the third axis: median (F−W)/(F+W) under the body surface minus that in the muscles;
        /// null where too few voxels.
        public var scores: [Double?]
    }
    public var detected: Bool
    /// The swapped slices (0-based along the third axis).
    public var slices: [Int]
    /// Slices the check could not decide: too few voxels, a score within ±0.3, or a lone swapped-looking slice.
    public var undecided: [Int]
    /// `none`, `flagged` (analysed as they are), or `fixed` (water and fat exchanged back in the swapped slices).
    public var action: String
    public var evidence: Evidence

    init(_ swap: FatWaterSwap, action: String) {
        detected = swap.detected
        slices = swap.swappedSlices
        undecided = swap.undecidedSlices
        self.action = action
        evidence = Evidence(rule: "a slice is swapped when the median (F−W)/(F+W) 2–15 mm under the body surface lies more than \(FatWaterSwap.margin) below "
                                + "the muscles' (subcutaneous fat is fatter than muscle in everyone), in runs of at least \(FatWaterSwap.minimumRun) slices",
                            scores: swap.slices.map { $0.score.map { ($0 * 1e4).rounded() / 1e4 } })
    }
}
