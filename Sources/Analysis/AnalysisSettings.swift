import Foundation
import Segmentation
import VolumeCore
import VolumeIO

/// How one participant is analysed: every setting that changes the numbers, so that a batch can tell
/// whether an earlier result still stands.
public struct AnalysisSettings: Codable, Hashable, Sendable {
    /// The method asked for: `auto`, or one of `SegmentationMethod`'s, by the same names.
    public enum MethodChoice: String, Codable, Hashable, Sendable, CaseIterable {
        /// Dixon when a water/fat pair (or two-point magnitudes) exist, else the partial-volume mixture.
        case auto
        case pve, gmm, kmeans, otsu, dixon

        var method: SegmentationMethod? { SegmentationMethod(rawValue: rawValue) }
    }

    public var method: MethodChoice = .auto
    /// 2 (lean, fat) or 3 (lean, undefined, fat).
    public var classes: Int = 2
    /// A built-in label table's name or a JSON file; nil chooses from scan.json or the label ids present.
    public var labels: String?
    /// The vertebra segmentation's table: a built-in name (`VertebraTable.builtIn`) or a labels file; nil is vertebrae_mr.
    public var vertebraLabels: String?
    /// A mask to use instead of the participant folder's `mask`.
    public var maskPath: String?
    public var erosion: Int = 0
    public var minimumFatComponent: Int = 0
    public var biasCorrection: Bool = true
    /// Fit the classes to each muscle alone (MuscleMap's way) rather than to all muscles together.
    public var perLabelFit: Bool = false
    /// Voxel spacing (mm) for images that carry none; overrides scan.json.
    public var spacing: [Double]?
    public var maxVoxels: Int = 1 << 31
    /// `ROLE=PATTERN` rules naming a `dicom/` folder's series by description (overriding scan.json's series_roles).
    public var seriesRoles: [String] = []
    /// Dixon noise floor: `auto` (σ measured in the air), `off`, or σ itself in image units.
    public var noiseCorrection: String = "auto"
    /// Match images whose affines differ from the mask's, with equal dimensions and spacing, voxel by voxel.
    public var trustVoxelGrid: Bool = false
    /// What a detected fat–water swap does to a Dixon analysis.
    public enum SwapHandling: String, Codable, Hashable, Sendable, CaseIterable {
        /// Analyse the images as they are, with a quality warning.
        case flag
        /// Exchange water and fat back in the swapped slices, with a quality warning.
        case fix
        /// Refuse the participant.
        case fail
    }
    public var swapHandling: SwapHandling = .flag

    public init() {}

    /// `noiseCorrection` as the analysis takes it.
    public func resolvedNoiseCorrection() throws -> NoiseCorrection {
        switch noiseCorrection.lowercased() {
        case "auto": return .auto
        case "off": return .off
        default:
            guard let sigma = Double(noiseCorrection), sigma.isFinite, sigma >= 0 else {
                throw IMATError(argument: noiseCorrection, "--noise-correction takes auto, off or a noise σ ≥ 0 in image units")
            }
            return sigma == 0 ? .off : .sigma(sigma)
        }
    }

    var loadOptions: LoadOptions {
        LoadOptions(spacing: spacing.map { SIMD3($0[0], $0[1], $0[2]) }, maxVoxels: maxVoxels)
    }

    /// The method to run for a participant with or without a Dixon pair.
    func resolvedMethod(hasDixon: Bool, folder: String) throws -> SegmentationMethod {
        guard let chosen = method.method else { return hasDixon ? .dixon : .partialVolume }
        if chosen == .dixon && !hasDixon {
            throw IMATError(folder, "the dixon method needs both water and fat images, and this folder lacks them")
        }
        return chosen
    }
}
