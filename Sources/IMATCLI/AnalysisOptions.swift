import Analysis
import ArgumentParser
import Foundation
import Study
import VolumeCore
import VolumeIO

/// The options `imat analyze` and `imat batch` share: everything that changes a participant's numbers.
struct AnalysisOptions: ParsableArguments {
    @Option(help: "auto (Dixon when water and fat exist, else pve), pve (partial-volume mixture), gmm, kmeans, otsu or dixon.")
    var method: AnalysisSettings.MethodChoice = .auto

    @Option(help: "Classes: 2 (lean, fat) or 3 (lean, undefined, fat; MuscleMap's convention).")
    var classes: Int = 2

    @Option(help: "A mask to use instead of the participant's own (same grid as the images).")
    var mask: String?

    @Option(help: "Label table: totalsegmentator (total_mr ≥ 2.5), totalsegmentator-v1 (before 2.5), mrsegmentator, musclemap (whole-body), musclemap-abdomen, none (every label a muscle), a JSON file ({\"46\": \"autochthon_left\", …} or a MuscleMap model JSON) or a BIDS dseg .tsv; default: scan.json, else a *_dseg.tsv beside the mask, else chosen from the label ids present.")
    var labels: String?

    @Option(name: .customLong("vertebra-labels"), help: "Table of the participant's vertebrae segmentation (for levels.csv): vertebrae_mr (TotalSegmentator's vertebrae_mr task: 1 sacrum, 2 L5 … 6 L1, 7 T12, …; the default), total (TotalSegmentator CT total: 25 sacrum, 26 S1, 27 L5 … 31 L1, 32 T12, …), or a labels file whose names hold the vertebrae (vertebrae_L4, L4, sacrum).")
    var vertebraLabels: String?

    @Option(help: "Erode each muscle by N voxels first, to keep fat outside the muscle out.")
    var erode: Int = 0

    @Option(name: .customLong("min-fat-component"), help: "Count fat specks smaller than N voxels (26-connected) as lean.")
    var minimumFatComponent: Int = 0

    @Flag(name: .customLong("no-bias-correction"), help: "Skip the intensity non-uniformity correction of T1-weighted images.")
    var noBiasCorrection = false

    @Flag(name: .customLong("per-muscle-fit"), help: "Fit the classes to each muscle alone (MuscleMap's way) instead of to all muscles together.")
    var perMuscleFit = false

    @Option(name: .customLong("spacing"), parsing: .upToNextOption, help: "Voxel spacing in mm (x y z) for PNG slices; overrides scan.json.")
    var spacing: [Double] = []

    @Option(name: .customLong("max-voxels"), help: "Refuse images with more voxels than this.")
    var maxVoxels: Int = 1 << 31

    @Option(name: .customLong("series-role"), help: "ROLE=PATTERN: the series of a participant's dicom/ folder whose description holds the word PATTERN plays ROLE (t1, water, fat); repeatable. Default: water=W, water=water, fat=F, fat=fat.")
    var seriesRoles: [String] = []

    @Option(name: .customLong("noise-correction"), help: "Dixon noise floor: auto (σ measured in the air around the body), off (plain F/(F+W)), or σ in image units.")
    var noiseCorrection: String = "auto"

    @Option(help: "A detected Dixon fat–water swap: flag (analyse as they are, with a warning), fix (exchange water and fat back in the swapped slices, with a warning) or fail (refuse the participant).")
    var swap: AnalysisSettings.SwapHandling = .flag

    @Flag(name: .customLong("trust-voxel-grid"), help: "Match images to the mask voxel by voxel when only their affines differ (same dimensions and spacing); recorded as a warning.")
    var trustVoxelGrid = false

    func validate() throws {
        guard classes == 2 || classes == 3 else { throw ValidationError("--classes must be 2 or 3") }
        guard erode >= 0, minimumFatComponent >= 0 else { throw ValidationError("--erode and --min-fat-component must be 0 or more") }
        try validateGeometry(spacing: spacing, maxVoxels: maxVoxels)
        do { _ = try SeriesRoles(parsing: seriesRoles) } catch let error as IMATError { throw ValidationError("--series-role \(error)") }
        do { _ = try settings.resolvedNoiseCorrection() } catch let error as IMATError { throw ValidationError(error.description) }
    }

    /// The same options as arguments, paths made absolute, for a command run elsewhere (a SLURM job).
    var commandLine: [String] {
        func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
        var arguments = ["--method", method.rawValue, "--classes", String(classes), "--erode", String(erode),
                         "--min-fat-component", String(minimumFatComponent), "--max-voxels", String(maxVoxels)]
        if let mask { arguments += ["--mask", absolute(mask)] }
        if let labels { arguments += ["--labels", LabelTable.selectable.contains { $0.name == labels.lowercased() } ? labels : absolute(labels)] }
        if let vertebraLabels {
            arguments += ["--vertebra-labels", VertebraTable.builtIn.contains { $0.name == vertebraLabels.lowercased() } ? vertebraLabels : absolute(vertebraLabels)]
        }
        if noBiasCorrection { arguments.append("--no-bias-correction") }
        if perMuscleFit { arguments.append("--per-muscle-fit") }
        if !spacing.isEmpty { arguments += ["--spacing"] + spacing.map { String($0) } }
        arguments += seriesRoles.flatMap { ["--series-role", $0] }
        arguments += ["--noise-correction", noiseCorrection]
        if trustVoxelGrid { arguments.append("--trust-voxel-grid") }
        arguments += ["--swap", swap.rawValue]
        return arguments
    }

    var settings: AnalysisSettings {
        var s = AnalysisSettings()
        s.method = method
        s.classes = classes
        s.maskPath = mask
        s.labels = labels
        s.vertebraLabels = vertebraLabels
        s.erosion = erode
        s.minimumFatComponent = minimumFatComponent
        s.biasCorrection = !noBiasCorrection
        s.perLabelFit = perMuscleFit
        s.spacing = spacing.isEmpty ? nil : spacing
        s.maxVoxels = maxVoxels
        s.seriesRoles = seriesRoles
        s.noiseCorrection = noiseCorrection
        s.trustVoxelGrid = trustVoxelGrid
        s.swapHandling = swap
        return s
    }
}

extension AnalysisSettings.MethodChoice: ExpressibleByArgument {}
extension AnalysisSettings.SwapHandling: ExpressibleByArgument {}
