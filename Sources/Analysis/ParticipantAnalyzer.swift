import Foundation
import Segmentation
import Study
import VolumeCore
import VolumeIO

/// One participant analysed: the numbers, the maps on the input grid, and what a report draws them over.
public struct ParticipantAnalysis: Sendable {
    public var metrics: ParticipantMetrics
    /// 0 outside the muscles, 1 lean, 2 fat, 3 undefined; UInt8 on the mask's grid.
    public var tissueMap: Volume
    /// Voxel fat fraction 0…1 on the mask's grid (that of `tissueMap`), held as the muscle voxels' values.
    public var fatFractionMap: MuscleValueMap
    /// What the report shows the maps over: slices of the T1w image, or of water + fat for Dixon.
    public var display: DisplayImage
    /// Each analysed muscle's histogram and fitted classes, in the order of `metrics.muscles`.
    public var muscleTissues: [LabelTissue]
    /// What the histograms' x axis measures.
    public var histogramAxis: String
    public var settings: AnalysisSettings
    /// Each muscle on each slice along the third axis (`slices.csv`).
    public var slices: [SliceMetrics]
    /// Each muscle at each vertebral level (`levels.csv`); empty without a vertebra segmentation or scan.json levels.
    public var levels: [LevelMetrics]
}

/// A file of the participant folder after the side-by-side reading: decoded, or (an image the method does not use)
/// only read through.
private enum FileRead: Sendable {
    case loaded(LoadedVolume)
    case checked(warnings: [String])
}

/// Loads a participant folder, classes its muscle voxels and measures each muscle.
public enum ParticipantAnalyzer {
    /// `workers` sets the threads of the parallel steps; the results are the same for any value.
    public static func analyze(_ folderPath: String, settings: AnalysisSettings,
                               workers: Int = Parallel.defaultWorkers) throws -> ParticipantAnalysis {
        let folder = try ParticipantFolder(folderPath, seriesRoles: settings.seriesRoles.isEmpty ? nil : SeriesRoles(parsing: settings.seriesRoles))
        let maskPath = settings.maskPath ?? folder.roles[.mask]
        guard let maskPath else {
            throw IMATError(folder.path, "no mask: add mask.nii.gz (or mask.nii, or a mask/ folder of PNG slices) or give --mask")
        }
        guard folder.roles[.t1] != nil || folder.hasDixon || folder.hasTwoPointDixon else {
            throw IMATError(folder.path, "no image: add t1.nii.gz (or image, or a t1/ folder of PNG slices), both water and fat, or both in_phase and opposed_phase")
        }
        for (a, b) in [(ParticipantFolder.Role.water, ParticipantFolder.Role.fat), (.inPhase, .opposedPhase)]
        where (folder.roles[a] == nil) != (folder.roles[b] == nil) {
            throw IMATError(folder.path, "a Dixon pair needs both \(a.rawValue) and \(b.rawValue); only one is present")
        }
        let method = try settings.resolvedMethod(hasDixon: folder.hasDixon || folder.hasTwoPointDixon, folder: folder.path)
        var warnings: [QualityWarning] = []
        var loadOptions = settings.loadOptions
        loadOptions.workers = workers

        var scaleSources: [ParticipantFolder.Role: IntensityScaleSource] = [:]
        func options(_ role: ParticipantFolder.Role) -> LoadOptions {
            var options = loadOptions
            options.series = folder.series[role] ?? []
            // Blending two stations' labels would make labels no station has.
            if role == .mask || role == .vertebrae { options.stationOverlap = .cut }
            return options
        }
        func note(_ fileWarnings: [String], of role: ParticipantFolder.Role) {
            warnings += fileWarnings.map { QualityWarning(.input, "\(role.rawValue): \($0)") }
        }
        func accept(_ role: ParticipantFolder.Role, _ loaded: LoadedVolume) -> Volume {
            note(loaded.warnings, of: role)
            scaleSources[role] = loaded.scaleSource
            return loaded.volume
        }
        let useDixon = method == .dixon
        if !useDixon && folder.roles[.t1] == nil {
            throw IMATError(folder.path, "the \(method.rawValue) method needs a T1-weighted image (t1), and this folder has only water and fat")
        }
        let twoPoint = useDixon && !folder.hasDixon
        let needed: [ParticipantFolder.Role] = !useDixon ? [.t1] : twoPoint ? [.inPhase, .opposedPhase] : [.water, .fat]
        // The mask and the images are decoded side by side (each file is one serial inflate or parse), then
        // checked in this order, so errors and warnings come out as if they were read one after the other.
        // Images the method does not need are read through too, without keeping their voxels: a damaged one
        // must not pass unnoticed.
        let unneeded = ParticipantFolder.Role.images.filter { !needed.contains($0) && folder.roles[$0] != nil }
        let vertebraePath = folder.roles[.vertebrae]
        let files = [(ParticipantFolder.Role.mask, maskPath)] + (needed + unneeded).map { ($0, folder.roles[$0]!) }
            + (vertebraePath.map { [(ParticipantFolder.Role.vertebrae, $0)] } ?? [])
        let reads = Parallel.map(files.count, workers: workers) { i in
            let (role, path) = files[i]
            return Result { unneeded.contains(role) ? FileRead.checked(warnings: try VolumeFile.check(path, options: options(role)))
                                                    : FileRead.loaded(try VolumeFile.load(path, options: options(role))) }
        }
        // Taken out one by one, so each decoded image is let go as soon as it is used.
        var pending = Dictionary(uniqueKeysWithValues: zip(files.map(\.0), reads))
        func take(_ role: ParticipantFolder.Role) throws -> LoadedVolume {
            guard case .loaded(let loaded) = try pending.removeValue(forKey: role)!.get() else { preconditionFailure("\(role) was only checked") }
            return loaded
        }
        let mask = accept(.mask, try take(.mask))
        guard let labels = mask.storage.labelValues() else {
            throw IMATError(maskPath, "the mask must hold integer labels 0…65535 (0 = background)")
        }
        // The mask's grid outlives its voxels, which `labels` replaces.
        let grid = mask.grid
        let counts = MuscleSelection.voxelCounts(labels)
        let present = Set((1..<counts.count).filter { counts[$0] > 0 })
        guard !present.isEmpty else { throw IMATError(maskPath, "the mask is empty (no labelled voxel)") }
        var images: [ParticipantFolder.Role: Volume] = [:]
        for role in needed {
            let volume = accept(role, try take(role))
            try checkGrid(volume, role: role, path: folder.roles[role]!, mask: grid, trust: settings.trustVoxelGrid, warnings: &warnings)
            images[role] = volume
        }
        if useDixon { try checkOneScale(needed.map { ($0, images[$0]!, scaleSources[$0]!) }, folder: folder.path) }
        for role in unneeded {
            do {
                if case .checked(let fileWarnings) = try pending.removeValue(forKey: role)!.get() { note(fileWarnings, of: role) }
            } catch {
                warnings.append(QualityWarning(.unusedImageUnreadable, "\(role.rawValue) is not used by the \(method.rawValue) analysis, and it could not be read: \(error)"))
            }
        }

        let sidecar = try folder.sidecarPath.map { try ScanSidecar.read($0) }
        var levels: VertebralLevels?
        if let path = vertebraePath {
            let volume = accept(.vertebrae, try take(.vertebrae))
            try checkGrid(volume, role: .vertebrae, path: path, mask: grid, trust: settings.trustVoxelGrid, warnings: &warnings)
            guard let vertebraLabels = volume.storage.labelValues() else {
                throw IMATError(path, "the vertebra segmentation must hold integer labels 0…65535 (0 = background)")
            }
            let isTheMask = URL(fileURLWithPath: path).resolvingSymlinksInPath() == URL(fileURLWithPath: maskPath).resolvingSymlinksInPath()
            // A whole-body segmentation read with the vertebrae_mr ids would take organs and muscles for vertebrae.
            if isTheMask && settings.vertebraLabels == nil {
                throw IMATError(path, "is the mask itself: say which of its labels are vertebrae with --vertebra-labels (total for TotalSegmentator's CT total task, or a labels file)")
            }
            let table = try VertebraTable.named(settings.vertebraLabels ?? VertebraTable.vertebraeMR.name)
            let source = "\((path as NSString).lastPathComponent) (\(table.name) table\(settings.vertebraLabels == nil ? ", the default" : ""))"
            if sidecar?.fields["levels"] != nil { warnings.append(QualityWarning(.input, "scan.json's levels were ignored: the vertebra segmentation gives the levels")) }
            levels = try VertebralLevels.segmented(vertebraLabels, dimensions: grid.dimensions, affine: grid.affine, table: table,
                                                   source: source, alsoHoldsOtherStructures: isTheMask, workers: workers)
        } else if let listed = sidecar?.fields["levels"], let path = folder.sidecarPath {
            levels = try VertebralLevels.listed(listed, depth: grid.dimensions.z, path: path)
        }
        warnings += (levels?.warnings ?? []).map { QualityWarning(.implausibleLevels, $0) }
        let tableChoice = try LabelTableChoice.choose(argument: settings.labels, sidecarNames: sidecar?.labelNames,
                                                      maskPath: maskPath, present: present)
        let table = tableChoice.table
        let selection = MuscleSelection(labels: labels, counts: counts, table: table)
        guard !selection.muscles.isEmpty else {
            throw IMATError(maskPath, "the mask holds no muscle: the \(table.name) table names its labels "
                                + selection.notAnalysed.prefix(6).map { "\($0.label) (\($0.name))" }.joined(separator: ", "))
        }

        // Images are read from their stored values (no Float copies of whole images); only a two-point pair's
        // separation makes Float arrays.
        var t1Values = images[.t1].map(ImageValues.init)
        var waterValues = images[.water].map(ImageValues.init), fatValues = images[.fat].map(ImageValues.init)
        var twoPointSummary: TwoPointDixonSummary?
        if twoPoint, let inPhase = images[.inPhase]?.floatValues(), let opposed = images[.opposedPhase]?.floatValues() {
            let separated = TwoPointDixon.separate(inPhase: inPhase, opposedPhase: opposed, labels: selection.labels)
            (waterValues, fatValues) = (ImageValues(separated.water), ImageValues(separated.fat))
            twoPointSummary = TwoPointDixonSummary(separated, table: table)
            if separated.fatReference == nil { warnings.append(QualityWarning(.noFatReference, "two-point Dixon: \(twoPointSummary!.rule)")) }
        }
        images.removeAll()
        var swapSummary: FatWaterSwapSummary?
        if useDixon && !twoPoint, waterValues != nil, fatValues != nil {
            let swap: FatWaterSwap
            do { swap = try FatWaterSwap(water: waterValues!, fat: fatValues!, labels: selection.labels, dimensions: grid.dimensions, spacing: grid.spacing, workers: workers) }
            catch let error as SegmentationError { throw IMATError(folder.path, error.description) }
            var action = "none"
            if swap.detected {
                let slices = sliceRanges(swap.swappedSlices, of: grid.dimensions.z)
                switch settings.swapHandling {
                case .fail:
                    throw IMATError(folder.path, "fat–water swap in \(slices): water and fat look exchanged there (subcutaneous fat leaner than the muscles); "
                                        + "--swap fix exchanges them back, --swap flag analyses them as they are")
                case .fix:
                    // Taken out of the optionals first, so the exchange happens in place rather than on copies.
                    var (water, fat) = (waterValues.take()!, fatValues.take()!)
                    water.exchangeSlices(swap.swappedSlices, sliceSize: grid.dimensions.sliceVoxelCount, with: &fat)
                    (waterValues, fatValues) = (water, fat)
                    action = "fixed"
                    warnings.append(QualityWarning(.fatWaterSwap, "fat–water swap in \(slices): water and fat exchanged back there (--swap fix)"))
                case .flag:
                    action = "flagged"
                    warnings.append(QualityWarning(.fatWaterSwap, "fat–water swap in \(slices): water and fat look exchanged there (subcutaneous fat leaner than "
                                                   + "the muscles), analysed as they are; --swap fix exchanges them back, --swap fail refuses"))
                }
            }
            swapSummary = FatWaterSwapSummary(swap, action: action)
        }
        // Air σ is measured on magnitude images; water and fat computed from two magnitudes are not Rician there.
        var noiseCorrection = try settings.resolvedNoiseCorrection()
        if twoPoint && noiseCorrection == .auto { noiseCorrection = .off }
        // Taken before the analysis, which lets the images go once it has the muscles' values.
        let display = DisplayImage(summing: t1Values.map { [$0] } ?? [waterValues!, fatValues!], muscles: selection.labels,
                                   dimensions: grid.dimensions)
        let analysis: TissueAnalysis
        do {
            analysis = try analyzeTissue(
                TissueImages(dimensions: grid.dimensions, image: t1Values.take(), water: waterValues.take(), fat: fatValues.take(), labels: selection.labels),
                options: TissueAnalysisOptions(method: method, classes: settings.classes, erosion: settings.erosion,
                                               minimumFatComponent: settings.minimumFatComponent,
                                               biasCorrection: settings.biasCorrection && !useDixon,
                                               scope: settings.perLabelFit ? .perLabel : .pooled,
                                               noiseCorrection: noiseCorrection, workers: workers))
        } catch let error as SegmentationError {
            throw IMATError(folder.path, error.description)
        }
        warnings += analysis.warnings.map { QualityWarning($0.flag, namingLabel(in: $0.message, table: table)) }
        warnings += QualityChecks.edgeWarnings(labels: selection.labels, dimensions: grid.dimensions, table: table).map { QualityWarning(.fieldOfViewCut, $0) }
        warnings += QualityChecks.unpairedMuscles(table: table, present: Set(analysis.labels.map { Int($0.label) })).map { QualityWarning(.unpairedMuscle, $0) }

        let slices = SliceMetrics.measure(labels: selection.labels, tissue: analysis.tissue, fatFraction: analysis.fatFraction,
                                          dimensions: grid.dimensions, muscles: analysis.labels.map { (Int($0.label), table.name(of: Int($0.label))) },
                                          inPlaneAreaMM2: grid.spacing.x * grid.spacing.y, workers: workers)
        if let warning = QualityChecks.nonAxialSlices(grid.affine) { warnings.append(QualityWarning(.notAxial, warning)) }
        let voxelML = grid.voxelVolumeML
        let muscles = analysis.labels.map { tissue in
            MuscleMetrics(label: Int(tissue.label), name: table.name(of: Int(tissue.label)),
                          composition: composition(of: [tissue], voxelML: voxelML), thresholds: tissue.thresholds)
        }
        var metrics = ParticipantMetrics(
            participant: folder.id, method: method, source: !useDixon ? .t1 : twoPoint ? .dixonTwoPoint : .dixon, classes: settings.classes,
            spacingMM: [grid.spacing.x, grid.spacing.y, grid.spacing.z], voxelVolumeML: voxelML,
            biasCorrection: BiasCorrectionSummary(applied: analysis.biasFieldPeakToPeak != nil, fieldPeakToPeak: analysis.biasFieldPeakToPeak),
            noise: analysis.noise.map(NoiseSummary.init),
            labelTable: LabelTableSummary(tableChoice), notAnalysed: selection.notAnalysed, twoPointDixon: twoPointSummary,
            warnings: warnings.map(\.message), muscles: muscles, total: composition(of: analysis.labels, voxelML: voxelML))
        metrics.qc = QualitySummary(flags: Set(warnings.map(\.flag)).sorted(), fatWaterSwap: swapSummary)
        metrics.levels = levels.map(LevelsSummary.init)

        return ParticipantAnalysis(
            metrics: metrics,
            tissueMap: Volume(grid: grid, storage: .uint8(analysis.tissue)),
            fatFractionMap: analysis.fatFraction,
            display: display, muscleTissues: analysis.labels,
            histogramAxis: useDixon ? "fat fraction" : "intensity (bias-corrected)", settings: settings, slices: slices,
            levels: levels.map { LevelMetrics.aggregate(slices, levels: $0, voxelML: voxelML) } ?? [])
    }

    /// Images whose values are compared (water with fat, in-phase with opposed-phase) must share one physical
    /// scale: the same kind of scaling, and for Philips display values (a RescaleSlope without the private
    /// ScaleSlope) the same slope, since the scanner scales each series to its own display range.
    static func checkOneScale(_ images: [(role: ParticipantFolder.Role, volume: Volume, source: IntensityScaleSource)], folder: String) throws {
        guard let first = images.first else { return }
        for other in images.dropFirst() {
            let describe = { (image: (role: ParticipantFolder.Role, volume: Volume, source: IntensityScaleSource)) in
                "\(image.role.rawValue): \(image.source.rawValue), value × \(image.volume.scaling.slope) + \(image.volume.scaling.intercept)"
            }
            let kinds = Set([first.source, other.source])
            let comparable = kinds.count == 1 && (first.source != .philipsDisplay || first.volume.scaling == other.volume.scaling)
                || kinds.isSubset(of: [.stored, .rescale, .niftiScale])
            guard comparable else {
                throw IMATError(folder, "\(first.role.rawValue) and \(other.role.rawValue) are not on one physical scale (\(describe(first)); \(describe(other))), "
                                    + "so their ratio would mean nothing; export the series with Philips' private tags kept, or convert both with dcm2niix -p y")
            }
        }
    }

    /// Images must lie on the mask's grid. Equal dimensions and spacing with another affine (water and fat
    /// maps of one scan whose origins differ, say) stay an error unless `trust` matches them voxel by voxel.
    static func checkGrid(_ volume: Volume, role: ParticipantFolder.Role, path: String, mask: VoxelGrid, trust: Bool,
                          warnings: inout [QualityWarning]) throws {
        guard !volume.sharesGrid(with: mask) else { return }
        let (a, b) = (volume.affine.columnNorms, mask.affine.columnNorms)
        let sameVoxels = volume.dimensions == mask.dimensions && (0..<3).allSatisfy { abs(a[$0] - b[$0]) <= 1e-3 * max(a[$0], b[$0]) }
        if trust && sameVoxels {
            warnings.append(QualityWarning(.gridTrusted, "\(role.rawValue) and the mask have the same dimensions and spacing but different affines; "
                                           + "matched voxel by voxel as --trust-voxel-grid asks"))
            return
        }
        throw IMATError(path, "\(role.rawValue) (\(volume.dimensions), \(volume.affine.orientationCode)) and the mask "
                            + "(\(mask.dimensions), \(mask.affine.orientationCode)) are not on the same grid; "
                            + (sameVoxels ? "they differ only in their affines: if they are one acquisition, --trust-voxel-grid matches them voxel by voxel"
                                          : "resample one onto the other first"))
    }

    /// "slices 10–16", "slices 3–4 and 20–26", or "every slice (0–28)".
    static func sliceRanges(_ slices: [Int], of depth: Int) -> String {
        if slices.count == depth { return "every slice (0–\(depth - 1))" }
        var runs: [ClosedRange<Int>] = []
        for z in slices { if let last = runs.last, last.upperBound == z - 1 { runs[runs.count - 1] = last.lowerBound...z } else { runs.append(z...z) } }
        let text = runs.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)–\($0.upperBound)" }
        return (slices.count == 1 ? "slice " : "slices ") + (text.count > 1 ? text.dropLast().joined(separator: ", ") + " and " + text.last! : text[0])
    }

    /// The segmentation's warnings name a label by its id ("label 48: …"); users read the muscle's name too.
    static func namingLabel(in warning: String, table: LabelTable) -> String {
        guard warning.hasPrefix("label "), let colon = warning.firstIndex(of: ":"),
              let id = Int(warning[warning.index(warning.startIndex, offsetBy: 6)..<colon]) else { return warning }
        return "\(table.name(of: id)) (label \(id))" + warning[colon...]
    }

    /// The composition of one muscle, or of several summed.
    static func composition(of labels: [LabelTissue], voxelML: Double) -> CompositionMetrics {
        let voxels = labels.map(\.voxels).reduce(0, +), fat = labels.map(\.fatVoxels).reduce(0, +)
        /// The voxel-weighted mean of a per-label value; nil when a label lacks it (the Dixon-only ones for T1w).
        func mean(_ value: (LabelTissue) -> Double?) -> Double? {
            let sums = labels.compactMap { label in value(label).map { $0 * Double(label.voxels) } }
            guard !labels.isEmpty, sums.count == labels.count else { return nil }
            return voxels > 0 ? sums.reduce(0, +) / Double(voxels) : 0
        }
        return CompositionMetrics(voxels: voxels, volumeML: Double(voxels) * voxelML,
                                  leanML: Double(labels.map(\.leanVoxels).reduce(0, +)) * voxelML, fatML: Double(fat) * voxelML,
                                  undefinedML: Double(labels.map(\.undefinedVoxels).reduce(0, +)) * voxelML,
                                  imatFraction: voxels > 0 ? Double(fat) / Double(voxels) : 0,
                                  fatFractionMean: mean { $0.fatFractionMean } ?? 0,
                                  signalFatFractionMean: mean { $0.signalFatFractionMean })
    }
}
