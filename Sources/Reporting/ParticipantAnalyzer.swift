import Foundation
import Segmentation
import VolumeIO

/// One participant analysed: the numbers, the maps on the input grid, and what the report shows.
public struct ParticipantAnalysis: Sendable {
    public var metrics: ParticipantMetrics
    /// 0 outside the muscles, 1 lean, 2 fat, 3 undefined; UInt8 on the mask's grid.
    public var tissueMap: Volume
    /// Voxel fat fraction 0…1, Float32 on the mask's grid.
    public var fatFractionMap: Volume
    /// The report's axial slices, drawn on the T1w image (or water + fat for Dixon).
    public var overlays: [SliceOverlay]
    public var muscleHistograms: [HistogramPlot]
    public var settings: AnalysisSettings
}

/// Loads a participant folder, classes its muscle voxels and measures each muscle.
public enum ParticipantAnalyzer {
    /// `workers` sets the threads of the parallel steps; the results are the same for any value.
    public static func analyze(_ folderPath: String, settings: AnalysisSettings,
                               workers: Int = Parallel.defaultWorkers) throws -> ParticipantAnalysis {
        let folder = try ParticipantFolder(folderPath, seriesRoles: settings.seriesRoles.isEmpty ? nil : SeriesRoles(parsing: settings.seriesRoles))
        let maskPath = settings.maskPath ?? folder.roles[.mask]
        guard let maskPath else {
            throw VolumeIOError(folder.path, "no mask: add mask.nii.gz (or mask.nii, or a mask/ folder of PNG slices) or give --mask")
        }
        guard folder.roles[.t1] != nil || folder.hasDixon else {
            throw VolumeIOError(folder.path, "no image: add t1.nii.gz (or image, or a t1/ folder of PNG slices), or both water and fat")
        }
        if folder.roles[.water] != nil && folder.roles[.fat] == nil || folder.roles[.fat] != nil && folder.roles[.water] == nil {
            throw VolumeIOError(folder.path, "a Dixon pair needs both water and fat; only one is present")
        }
        let method = try settings.resolvedMethod(hasDixon: folder.hasDixon, folder: folder.path)
        var warnings: [String] = []
        var loadOptions = settings.loadOptions
        loadOptions.workers = workers

        func load(_ role: String, _ path: String) throws -> Volume {
            var options = loadOptions
            options.series = ParticipantFolder.Role(rawValue: role).flatMap { folder.series[$0] }
            let loaded = try VolumeFile.load(path, options: options)
            warnings += loaded.warnings.map { "\(role): \($0)" }
            return loaded.volume
        }
        let mask = try load("mask", maskPath)
        let useDixon = method == .dixon
        if !useDixon && folder.roles[.t1] == nil {
            throw VolumeIOError(folder.path, "the \(method.rawValue) method needs a T1-weighted image (t1), and this folder has only water and fat")
        }
        let t1 = useDixon ? nil : try load("t1", folder.roles[.t1]!)
        let water = try useDixon ? load("water", folder.roles[.water]!) : nil
        let fat = try useDixon ? load("fat", folder.roles[.fat]!) : nil
        for (role, volume, path) in [("t1", t1, folder.roles[.t1]), ("water", water, folder.roles[.water]), ("fat", fat, folder.roles[.fat])] {
            guard let volume, let path else { continue }
            guard volume.sharesGrid(with: mask) else {
                throw VolumeIOError(path, "\(role) (\(volume.dimensions), \(volume.affine.orientationCode)) and the mask "
                                    + "(\(mask.dimensions), \(mask.affine.orientationCode)) are not on the same grid; resample one onto the other first")
            }
        }
        guard let labels = mask.storage.labelValues() else {
            throw VolumeIOError(maskPath, "the mask must hold integer labels 0…65535 (0 = background)")
        }
        let sidecar = try folder.sidecarPath.map { try ScanSidecar.read($0) }
        let present = Set(labels.lazy.filter { $0 != 0 }.map(Int.init))
        guard !present.isEmpty else { throw VolumeIOError(maskPath, "the mask is empty (no labelled voxel)") }
        let table = try labelTable(settings.labels, sidecar: sidecar, present: present)

        // Converted once: the same values feed the classification and the report's pictures.
        let t1Values = t1?.floatValues(), waterValues = water?.floatValues(), fatValues = fat?.floatValues()
        let analysis: TissueAnalysis
        do {
            analysis = try analyzeTissue(
                TissueImages(dimensions: mask.dimensions, image: t1Values, water: waterValues, fat: fatValues, labels: labels),
                options: TissueAnalysisOptions(method: method, classes: settings.classes, erosion: settings.erosion,
                                               minimumFatComponent: settings.minimumFatComponent,
                                               biasCorrection: settings.biasCorrection && !useDixon,
                                               scope: settings.perLabelFit ? .perLabel : .pooled, workers: workers))
        } catch let error as SegmentationError {
            throw VolumeIOError(folder.path, error.description)
        }
        warnings += analysis.warnings
        warnings += QualityChecks.edgeWarnings(labels: labels, dimensions: mask.dimensions, table: table)
        warnings += QualityChecks.missingMuscles(table: table, present: present)

        let voxelML = mask.voxelVolumeML
        let muscles = analysis.labels.map { tissue in
            MuscleMetrics(label: Int(tissue.label), name: table.name(of: Int(tissue.label)),
                          composition: composition(voxels: tissue.voxels, lean: tissue.leanVoxels, fat: tissue.fatVoxels,
                                                   undefined: tissue.undefinedVoxels, fatFractionSum: tissue.fatFractionMean * Double(tissue.voxels),
                                                   voxelML: voxelML),
                          thresholds: tissue.thresholds)
        }
        let total = composition(voxels: analysis.labels.map(\.voxels).reduce(0, +),
                                lean: analysis.labels.map(\.leanVoxels).reduce(0, +),
                                fat: analysis.labels.map(\.fatVoxels).reduce(0, +),
                                undefined: analysis.labels.map(\.undefinedVoxels).reduce(0, +),
                                fatFractionSum: analysis.labels.map { $0.fatFractionMean * Double($0.voxels) }.reduce(0, +),
                                voxelML: voxelML)
        let metrics = ParticipantMetrics(
            participant: folder.id, method: method.rawValue, source: useDixon ? "dixon" : "t1", classes: settings.classes,
            spacingMM: [mask.spacing.x, mask.spacing.y, mask.spacing.z], voxelVolumeML: voxelML,
            biasCorrection: BiasCorrectionSummary(applied: analysis.biasFieldPeakToPeak != nil, fieldPeakToPeak: analysis.biasFieldPeakToPeak),
            warnings: warnings, muscles: muscles, total: total)

        let overlays = SliceOverlay.representative(intensity: { t1Values?[$0] ?? waterValues![$0] + fatValues![$0] },
                                                   tissue: analysis.tissue, dimensions: mask.dimensions, affine: mask.affine)
        let plots = zip(analysis.labels, muscles).map { tissue, muscle in
            HistogramPlot.fitted(tissue, title: muscle.name, xLabel: useDixon ? "fat fraction" : "intensity (bias-corrected)")
        }
        return ParticipantAnalysis(
            metrics: metrics,
            tissueMap: Volume(dimensions: mask.dimensions, spacing: mask.spacing, affine: mask.affine, storage: .uint8(analysis.tissue)),
            fatFractionMap: Volume(dimensions: mask.dimensions, spacing: mask.spacing, affine: mask.affine, storage: .float32(analysis.fatFraction)),
            overlays: overlays, muscleHistograms: plots, settings: settings)
    }

    static func labelTable(_ argument: String?, sidecar: ScanSidecar?, present: Set<Int>) throws -> LabelTable {
        if let argument { return try LabelTable.named(argument) }
        if let names = sidecar?.labelNames, !names.isEmpty { return LabelTable(name: "scan.json", names: names) }
        return LabelTable.detect(from: present) ?? LabelTable(name: "none", names: [:])
    }

    static func composition(voxels: Int, lean: Int, fat: Int, undefined: Int, fatFractionSum: Double, voxelML: Double) -> CompositionMetrics {
        CompositionMetrics(voxels: voxels, volumeML: Double(voxels) * voxelML, leanML: Double(lean) * voxelML,
                           fatML: Double(fat) * voxelML, undefinedML: Double(undefined) * voxelML,
                           imatFraction: voxels > 0 ? Double(fat) / Double(voxels) : 0,
                           fatFractionMean: voxels > 0 ? fatFractionSum / Double(voxels) : 0)
    }
}

