import VolumeCore

/// How fat is told from lean muscle.
public enum SegmentationMethod: String, Sendable, CaseIterable {
    /// Partial-volume mixture (pure lean, pure fat, mixed): the most accurate single-contrast method.
    case partialVolume = "pve"
    /// Gaussian mixture with `classes` components (MuscleMap's gmm).
    case gaussianMixture = "gmm"
    /// k-means with `classes` clusters (MuscleMap's kmeans).
    case kMeans = "kmeans"
    /// Multi-level Otsu thresholds.
    case otsu
    /// Dixon fat fraction F/(F+W), noise-floor corrected.
    case dixon
}

/// How the Dixon noise floor is handled.
public enum NoiseCorrection: Sendable, Equatable {
    /// σ measured in the air around the body; no correction when there is no air to measure.
    case auto
    /// The plain ratio F/(F+W), noise floor and all.
    case off
    /// A σ known from elsewhere (a noise scan, the scanner's report), in image units.
    case sigma(Double)
}

/// The σ a Dixon analysis used and where it came from.
public struct NoiseEstimate: Sendable, Equatable {
    public enum Source: String, Sendable {
        /// Measured in the air of both images (`RicianNoise.airSigma`).
        case background
        /// Given by the user.
        case given
        /// Correction switched off.
        case off
        /// Asked for, but no air to measure it in: no correction.
        case notMeasured = "not_measured"
    }
    /// 0 when no correction was made.
    public var sigma: Double
    public var source: Source
    /// The water and fat values of air voxels σ was fitted to, for `background`.
    public var values: Int?

    public init(sigma: Double, source: Source, values: Int? = nil) {
        self.sigma = sigma
        self.source = source
        self.values = values
    }
}

/// Whether single-contrast classes are fitted once to all labelled voxels or to each label alone.
public enum FitScope: String, Sendable {
    /// One fit over every label (after bias correction), statistics per label: a small or nearly fat-free
    /// muscle borrows the fat reference of the others. The default.
    case pooled
    /// One fit per label, as MuscleMap does.
    case perLabel
}

/// The images of one participant, on one grid (x fastest).
public struct TissueImages: Sendable {
    public var dimensions: Dimensions
    /// The single-contrast (T1-weighted) image, if any. Images are read a range at a time: the analysis gathers
    /// the muscle voxels (and for T1w the fat around them) and measures the Dixon noise in passes over them.
    public var image: ImageValues?
    public var water: ImageValues?
    public var fat: ImageValues?
    /// Muscle label per voxel, 0 outside every muscle.
    public var labels: [UInt16]

    public init(dimensions: Dimensions, image: ImageValues? = nil, water: ImageValues? = nil, fat: ImageValues? = nil, labels: [UInt16]) {
        self.dimensions = dimensions
        self.image = image
        self.water = water
        self.fat = fat
        self.labels = labels
    }

    public init(dimensions: Dimensions, image: [Float]? = nil, water: [Float]? = nil, fat: [Float]? = nil, labels: [UInt16]) {
        self.init(dimensions: dimensions, image: image.map(ImageValues.init), water: water.map(ImageValues.init), fat: fat.map(ImageValues.init), labels: labels)
    }
}

public struct TissueAnalysisOptions: Sendable {
    public var method: SegmentationMethod
    /// 2 (lean, fat) or 3 (lean, undefined, fat).
    public var classes: Int
    /// Erode each label by this many voxels (6-neighbourhood) before analysis.
    public var erosion: Int
    /// Fat components (26-connected) smaller than this many voxels are counted as lean; 0 keeps all.
    public var minimumFatComponent: Int
    /// Fit and divide out a smooth intensity non-uniformity field (single-contrast methods only).
    public var biasCorrection: Bool
    public var scope: FitScope
    /// Dixon only.
    public var noiseCorrection: NoiseCorrection
    public var workers: Int

    public init(method: SegmentationMethod = .partialVolume, classes: Int = 2, erosion: Int = 0, minimumFatComponent: Int = 0,
                biasCorrection: Bool = true, scope: FitScope = .pooled, noiseCorrection: NoiseCorrection = .auto,
                workers: Int = Parallel.defaultWorkers) {
        self.method = method
        self.classes = classes
        self.erosion = erosion
        self.minimumFatComponent = minimumFatComponent
        self.biasCorrection = biasCorrection
        self.scope = scope
        self.noiseCorrection = noiseCorrection
        self.workers = workers
    }
}

/// The result for one label.
public struct LabelTissue: Sendable {
    public var label: UInt16
    public var voxels: Int
    public var leanVoxels: Int
    public var fatVoxels: Int
    public var undefinedVoxels: Int
    /// Mean fat fraction over the label's voxels, in 0…1 (see `analyzeTissue` for how it stays unbiased).
    public var fatFractionMean: Double
    /// Dixon only: the plain mean of F/(F+W) over the label's voxels, noise floor included, as MuscleMap
    /// and most of the literature report it.
    public var signalFatFractionMean: Double?
    /// Class boundaries in the units of `histogram`: intensities, or fat fractions for Dixon.
    public var thresholds: [Double]
    /// Fitted classes for plotting over `histogram` (empty for Dixon).
    public var classes: [IntensityClass]
    /// The label's histogram of the analysed values (bias-corrected intensities, or Dixon fat fractions).
    public var histogram: Histogram
    /// Ashman's D between the lean and fat classes of the model used for this label.
    public var separation: Double?
}

public struct TissueAnalysis: Sendable {
    public var labels: [LabelTissue]
    /// Per voxel: 0 outside the (eroded) muscles, 1 lean, 2 fat, 3 undefined.
    public var tissue: [UInt8]
    /// Per voxel fat fraction in 0…1 (0 outside the muscles).
    public var fatFraction: MuscleValueMap
    /// Peak-to-peak size of the fitted bias field over the muscles, when corrected.
    public var biasFieldPeakToPeak: Double?
    /// The Dixon noise σ and its origin, when Dixon was used.
    public var noise: NoiseEstimate?
    /// Pure-fat intensity measured around the muscles (partial-volume method), after bias correction.
    public var fatReferenceIntensity: Double?
    public var warnings: [QualityWarning]
}

/// Tissue classes, fat-fraction map and per-label metrics for one participant.
///
/// Single contrast: the image is bias-corrected over the union of the labels (unless switched off),
/// the chosen `IntensityModel` is fitted to the pooled histogram (or to each label's), voxels are
/// classed by its thresholds, and the fat-fraction map is the two-compartment model
/// (I − μ_lean)/(μ_fat − μ_lean) between the model's lean and fat intensities (see
/// `IntensityModel.fatFraction` for how the map and the mean stay unbiased under noise). With the
/// partial-volume method μ_lean and μ_fat are the pure tissue intensities, the map is E[α | I] and
/// `fatFractionMean` is its mean; with 2 classes "fat" means E[α | I] > 0.5, so the fat share
/// estimates the share of voxels more than half fat. The pooled fit is the default because a
/// per-label fit cannot find the pure-fat intensity in a muscle with few fat voxels (fine streaks at
/// 3 % fat: mean error 0.027 per label against 0.003 pooled on our synthetic phantoms).
///
/// Dixon: σ from the air around the body in both images (or given, or none), then per label the
/// deconvolved fat fraction (`DixonFatFraction`); classes are fat fraction > 0.5 (2 classes) or thirds
/// (3 classes). The plain mean of F/(F+W) is reported beside it.
///
/// A label whose mean linear fat fraction falls outside 0…1 (a muscle darker than the lean reference
/// of a hard classifier fitted to all muscles) is reported at the nearest bound, with a warning.
///
/// The images are consumed: each is let go once its muscle voxels are gathered, before the maps are made,
/// so that the images and the maps are never held at once.
///
/// - Throws: `sizeMismatch`, `missingInput` (no image for the method), `emptyMask` (no labelled voxel,
///   also after erosion), `nonFiniteValue`, `invalidParameter`.
public func analyzeTissue(_ images: consuming TissueImages, options: TissueAnalysisOptions) throws -> TissueAnalysis {
    let count = images.dimensions.voxelCount
    let sizes: [(String, Int?)] = [("image", images.image?.count), ("water image", images.water?.count),
                                   ("fat image", images.fat?.count), ("label map", images.labels.count)]
    for case let (name, size?) in sizes where size != count {
        throw SegmentationError.sizeMismatch(what: name, expected: count, actual: size)
    }
    guard (2...3).contains(options.classes) else { throw SegmentationError.invalidParameter("classes must be 2 or 3, got \(options.classes)") }
    let workers = options.workers
    let labels = options.erosion > 0
        ? try erodeLabels(images.labels, dimensions: images.dimensions, voxels: options.erosion, workers: workers)
        : images.labels
    // The histograms and the bias field below see only the muscle voxels, gathered once in compact order.
    let muscle = MaskRuns(labels: labels, dimensions: images.dimensions, selection: .anyLabel, workers: workers)
    let muscleLabels = muscle.gather(labels)
    let present = presentLabels(muscleLabels, workers: workers)
    guard !present.isEmpty else { throw SegmentationError.emptyMask(options.erosion > 0 ? "the label map after erosion by \(options.erosion)" : "the label map") }
    var warnings: [QualityWarning] = []
    let mapping: VoxelMapping
    var biasPeakToPeak: Double? = nil, noise: NoiseEstimate? = nil, fatReferenceIntensity: Double? = nil
    if options.method == .dixon {
        let (muscleWater, muscleFat, estimate) = try dixonMuscleValues(images, muscle: muscle, correction: options.noiseCorrection, workers: workers)
        (images.water, images.fat) = (nil, nil)
        if estimate.source == .notMeasured { warnings.append(QualityWarning(.noiseNotMeasured, "no air around the body to measure the noise in: Dixon noise-floor correction skipped")) }
        noise = estimate
        let models = try DixonFatFraction.fitted(water: muscleWater, fat: muscleFat, labels: muscleLabels,
                                                 selections: present.map { .label($0) }, sigma: estimate.sigma, workers: workers)
        mapping = .dixon(water: muscleWater, fat: muscleFat, models: models, thresholds: options.classes == 2 ? [0.5] : [1.0 / 3, 2.0 / 3])
    } else {
        guard let image = images.image else { throw SegmentationError.missingInput("the \(options.method.rawValue) method needs a single-contrast image") }
        images.image = nil
        // Only the muscles and the fat around them are read, corrected where they lie: no corrected copy of the image.
        var correction: BiasFieldCorrection? = nil
        let muscleOriginal = try muscle.gatherFinite(image)
        if options.biasCorrection {
            let fitted = try BiasFieldCorrection(maskValues: muscleOriginal, mask: muscle, degree: biasFieldDegree, workers: workers)
            correction = fitted
            biasPeakToPeak = fitted.peakToPeak
            if fitted.peakToPeak > 0.5 {
                warnings.append(QualityWarning(.largeBiasField, "large intensity non-uniformity: bias field spans \(Int((fitted.peakToPeak * 100).rounded())) % over the muscles"))
            }
        }
        func corrected(_ values: [Float], at runs: MaskRuns) -> [Float] { correction?.corrected(values, at: runs, workers: workers) ?? values }
        var reference: IntensityClass? = nil
        if options.method == .partialVolume {
            reference = try fatReference(labels: labels, dimensions: images.dimensions, workers: workers) { shell in
                corrected(try shell.gatherFinite(image), at: shell)
            }
            fatReferenceIntensity = reference?.mean
            if reference == nil {
                warnings.append(QualityWarning(.noFatReference, "too little fat around the muscles to measure pure fat: its intensity was fitted from the muscles alone, which overestimates fat fractions"))
            }
        }
        let muscleImage = corrected(muscleOriginal, at: muscle)
        let models: [IntensityModel]
        switch options.scope {
        case .pooled:
            let histogram = try Histogram(values: muscleImage, workers: workers)
            models = [IntensityModel](repeating: try IntensityModel(fitting: histogram, method: options.method, classes: options.classes, fatReference: reference), count: present.count)
        case .perLabel:
            models = try present.map {
                try IntensityModel(fitting: Histogram(values: muscleImage, labels: muscleLabels, selection: .label($0), workers: workers),
                                   method: options.method, classes: options.classes, fatReference: reference)
            }
        }
        mapping = .intensity(values: muscleImage, models: models)
    }

    var maps = mapping.apply(muscle: muscle, muscleLabels: muscleLabels, present: present, classes: options.classes, workers: workers)
    if options.minimumFatComponent > 1 {
        let fatMask = maps.tissue.map { $0 == TissueCode.fat }
        let kept = try removeSmallComponents(fatMask, dimensions: images.dimensions, minimumSize: options.minimumFatComponent)
        for i in maps.tissue.indices where fatMask[i] && !kept[i] { maps.tissue[i] = TissueCode.lean }
    }
    let counts = classCounts(maps.tissue, labels: labels, present: present, workers: workers)
    let values = mapping.analysedValues(fatFraction: maps.fatFraction)
    if options.scope == .pooled, let model = mapping.model(at: 0) { warnings += modelWarnings(model, subject: "the pooled fit", fatMeasured: fatReferenceIntensity != nil) }
    var results: [LabelTissue] = []
    for (n, label) in present.enumerated() {
        let histogram = try Histogram(values: values, labels: muscleLabels, selection: .label(label),
                                      binning: options.method == .dixon ? .count(100) : .automatic, workers: workers)
        let model = mapping.model(at: n)
        let c = counts[n]
        let voxels = c[1] + c[2] + c[3]
        let mean = maps.fatFractionSums[n] / Double(max(voxels, 1))
        if mean < 0 || mean > 1 {
            warnings.append(QualityWarning(.fractionHeld, "label \(label): its mean intensity lies \(mean < 0 ? "below the lean" : "above the fat") reference of the fit, so its mean fat fraction is reported as \(mean < 0 ? 0 : 1)"))
        }
        let result = LabelTissue(label: label, voxels: voxels, leanVoxels: c[1], fatVoxels: c[2], undefinedVoxels: c[3],
                                 fatFractionMean: min(max(mean, 0), 1),
                                 signalFatFractionMean: options.method == .dixon ? maps.signalFatFractionSums[n] / Double(max(voxels, 1)) : nil,
                                 thresholds: mapping.thresholds(at: n), classes: model?.classes ?? [], histogram: histogram,
                                 separation: model?.separation)
        if result.voxels < 100 { warnings.append(QualityWarning(.fewVoxels, "label \(label): only \(result.voxels) voxels, fractions are imprecise")) }
        if options.scope == .perLabel, let model { warnings += modelWarnings(model, subject: "label \(label)", fatMeasured: fatReferenceIntensity != nil) }
        results.append(result)
    }
    return TissueAnalysis(labels: results, tissue: maps.tissue, fatFraction: MuscleValueMap(muscle: muscle, values: maps.fatFraction),
                          biasFieldPeakToPeak: biasPeakToPeak, noise: noise, fatReferenceIntensity: fatReferenceIntensity,
                          warnings: warnings)
}

/// The water and fat values of the muscle voxels, and the noise σ measured over the whole images.
private func dixonMuscleValues(_ images: TissueImages, muscle: MaskRuns, correction: NoiseCorrection,
                               workers: Int) throws -> (water: [Float], fat: [Float], noise: NoiseEstimate) {
    guard let water = images.water, let fat = images.fat else { throw SegmentationError.missingInput("the Dixon method needs water and fat images") }
    let noise = try dixonNoise(water: water, fat: fat, labels: images.labels, correction: correction, workers: workers)
    return (try muscle.gatherFinite(water), try muscle.gatherFinite(fat), noise)
}

/// The σ for the Dixon correction. Air is where both images are dark, so organs set aside as not muscles
/// (label 0 here) are never taken for air.
private func dixonNoise(water: ImageValues, fat: ImageValues, labels: [UInt16], correction: NoiseCorrection, workers: Int) throws -> NoiseEstimate {
    switch correction {
    case .off: return NoiseEstimate(sigma: 0, source: .off)
    case .sigma(let sigma): return NoiseEstimate(sigma: sigma, source: .given)
    case .auto:
        guard let air = try RicianNoise.airSigma(water: water, fat: fat, labels: labels, workers: workers) else {
            return NoiseEstimate(sigma: 0, source: .notMeasured)
        }
        return NoiseEstimate(sigma: air.sigma, source: .background, values: air.values)
    }
}

/// The degree of the bias field fitted over the muscles: linear (in log intensity). Over the few
/// centimetres the back muscles span, coil fields vary gently, while the muscles' own diffuse fat differs
/// between and within them (more medially, more caudally); a cubic follows that anatomy. On T1w images
/// made from real lumbar fat-fraction maps (Benchmarks/real_anatomy.py, two volunteers, 20 and 40 % fields)
/// the worst hard IMAT error was 0.017 with a linear field, 0.053 with a cubic one.
let biasFieldDegree = 1

/// The values of the tissue map.
public enum TissueCode {
    public static let outside: UInt8 = 0
    public static let lean: UInt8 = 1
    public static let fat: UInt8 = 2
    public static let undefined: UInt8 = 3

    /// Hard class k of `classes` → tissue code: the lowest is lean, the highest fat, a middle one undefined.
    static func of(classIndex k: Int, classes: Int) -> UInt8 {
        k == 0 ? lean : (k == classes - 1 ? fat : undefined)
    }
}

/// Warnings about a fitted single-contrast model: classes that overlap, no fat to calibrate against
/// (unless pure fat was measured around the muscles), or a single intensity.
private func modelWarnings(_ model: IntensityModel, subject: String, fatMeasured: Bool) -> [QualityWarning] {
    guard model.classes.count > 1 else { return [QualityWarning(.poorSeparation, "\(subject): a single intensity, classed as lean")] }
    var out: [QualityWarning] = []
    if let d = model.separation, d < 2 {
        out.append(QualityWarning(.poorSeparation, "\(subject): poor separation of lean and fat classes (Ashman's D = \(String(format: "%.2f", d)) < 2)"))
    }
    if !fatMeasured && model.classes.last!.weight < 0.002 {
        out.append(QualityWarning(.uncertainFatReference, "\(subject): almost no fat voxels, so the fat reference intensity is uncertain"))
    }
    return out
}

/// Sorted nonzero labels present in the map.
private func presentLabels(_ labels: [UInt16], workers: Int) -> [UInt16] {
    let parts = Chunks.map(labels.count, workers: workers) { range -> Set<UInt16> in
        var seen = Set<UInt16>()
        for i in range where labels[i] != 0 { seen.insert(labels[i]) }
        return seen
    }
    return parts.reduce(into: Set<UInt16>()) { $0.formUnion($1) }.sorted()
}

/// Voxel counts per label (in `present` order) per tissue code 0…3.
private func classCounts(_ tissue: [UInt8], labels: [UInt16], present: [UInt16], workers: Int) -> [[Int]] {
    let index = LabelIndex(present)
    let parts = Chunks.map(tissue.count, workers: workers) { range -> [Int] in
        var local = [Int](repeating: 0, count: present.count * 4)
        forEachSelected(in: range, labels: labels, selection: .anyLabel) { i in
            if let n = index[labels[i]] { local[n * 4 + Int(tissue[i])] += 1 }
        }
        return local
    }
    return (0..<present.count).map { n in (0..<4).map { code in parts.reduce(0) { $0 + $1[n * 4 + code] } } }
}

/// Position of each present label in the sorted label list, by direct lookup.
struct LabelIndex {
    private var table: [Int32]

    init(_ present: [UInt16]) {
        table = [Int32](repeating: -1, count: Int(UInt16.max) + 1)
        for (n, label) in present.enumerated() { table[Int(label)] = Int32(n) }
    }

    @inline(__always)
    subscript(_ label: UInt16) -> Int? {
        let n = table[Int(label)]
        return n >= 0 ? Int(n) : nil
    }
}
