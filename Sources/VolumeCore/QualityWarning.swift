/// What a quality warning is about, as a short code a cohort can filter on (`qc` in metrics and cohort.csv,
/// `imat associate --exclude-qc`). One vocabulary for every module that checks quality.
public enum QualityFlag: String, Codable, CaseIterable, Comparable, Sendable {
    /// An input file needed care to read: spacing unknown, colour turned to grey, scaling, and the like.
    case input
    /// An image the method did not need could not be read.
    case unusedImageUnreadable = "unused_image_unreadable"
    /// Images matched to the mask voxel by voxel although their affines differ (`--trust-voxel-grid`).
    case gridTrusted = "grid_trusted"
    /// No air around the body to measure the Dixon noise in: no noise-floor correction.
    case noiseNotMeasured = "noise_not_measured"
    /// No pure fat to take the fat intensity from: T1w with too little fat around the muscles, or two-point
    /// Dixon with no fat brighter than lean (every voxel then taken as water-dominant).
    case noFatReference = "no_fat_reference"
    /// Intensity non-uniformity over 50 % across the muscles.
    case largeBiasField = "large_bias_field"
    /// Lean and fat classes poorly separated (Ashman's D < 2), or a single intensity.
    case poorSeparation = "poor_separation"
    /// Too little fat to measure the fat intensity from.
    case uncertainFatReference = "uncertain_fat_reference"
    /// A muscle's mean fat fraction fell outside 0…1 and is held at the bound.
    case fractionHeld = "fraction_held"
    /// A muscle of under 100 voxels.
    case fewVoxels = "few_voxels"
    /// A muscle touches the in-plane edge of the image: probably cut off by the field of view.
    case fieldOfViewCut = "field_of_view_cut"
    /// A muscle present without its other side.
    case unpairedMuscle = "unpaired_muscle"
    /// Slices are not axial (the third axis does not run head to foot).
    case notAxial = "not_axial"
    /// The vertebrae give implausible levels: missing, out of order, in pieces, a sacrum above L5.
    case implausibleLevels = "implausible_levels"
    /// Water and fat look exchanged in some or all slices (and were exchanged back with `--swap fix`).
    case fatWaterSwap = "fat_water_swap"

    public static func < (a: QualityFlag, b: QualityFlag) -> Bool { a.rawValue < b.rawValue }
}

/// A quality warning: its flag, and the sentence a reader sees.
public struct QualityWarning: Equatable, Sendable {
    public var flag: QualityFlag
    public var message: String

    public init(_ flag: QualityFlag, _ message: String) {
        self.flag = flag
        self.message = message
    }
}
