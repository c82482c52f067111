/// A fitted single-contrast tissue model: hard-class thresholds and the two reference intensities of
/// the two-compartment fat-fraction map.
public struct IntensityModel: Sendable, Equatable {
    /// Ascending boundaries between the hard classes (1 for 2 classes, 2 for 3).
    public var thresholds: [Double]
    /// The fitted classes by ascending mean, for plotting over the histogram.
    public var classes: [IntensityClass]
    /// Intensity of pure lean muscle and of pure fat: the fat fraction of intensity I is
    /// (I − leanIntensity) / (fatIntensity − leanIntensity).
    public var leanIntensity: Double
    public var fatIntensity: Double
    /// For the partial-volume method: the noise-aware fat fraction E[α | I] used for the map instead
    /// of the clamped linear one.
    public var expectedFatFraction: FatFractionTable?

    public init(thresholds: [Double], classes: [IntensityClass], leanIntensity: Double, fatIntensity: Double,
                expectedFatFraction: FatFractionTable? = nil) {
        self.thresholds = thresholds
        self.classes = classes
        self.leanIntensity = leanIntensity
        self.fatIntensity = fatIntensity
        self.expectedFatFraction = expectedFatFraction
    }

    /// Fits `method` with `classes` hard classes to a histogram. A histogram with a single occupied
    /// bin (a muscle of one intensity) gets a defined model: everything lean, fat fraction 0.
    /// `fatReference`, when given, fixes the pure-fat class of the partial-volume method (see `fatReference(image:…)`).
    /// - Throws: `invalidParameter` for the Dixon method or a class count other than 2 or 3.
    public init(fitting histogram: Histogram, method: SegmentationMethod, classes: Int, fatReference: IntensityClass? = nil) throws {
        guard (2...3).contains(classes) else { throw SegmentationError.invalidParameter("classes must be 2 or 3, got \(classes)") }
        let occupied = histogram.counts.indices.filter { histogram.counts[$0] > 0 }
        guard occupied.count > 1 else {
            let value = histogram.centre(ofBin: occupied.first ?? 0)
            self.init(thresholds: [Double](repeating: .infinity, count: classes - 1),
                      classes: [IntensityClass(weight: 1, mean: value, standardDeviation: 0)], leanIntensity: value, fatIntensity: value)
            return
        }
        switch method {
        case .partialVolume:
            let fit = try fatReference.map { try PartialVolumeMixture(histogram, fixedFat: $0) } ?? PartialVolumeMixture(histogram)
            self.init(thresholds: fit.thresholds(classes: classes), classes: fit.classes, leanIntensity: fit.lean.mean,
                      fatIntensity: fit.fat.mean, expectedFatFraction: FatFractionTable(fit))
        case .gaussianMixture:
            let fit = try GaussianMixture(histogram, components: classes)
            self.init(thresholds: fit.thresholds, classes: fit.components)
        case .kMeans:
            let fit = try KMeans(histogram, clusters: classes)
            self.init(thresholds: fit.thresholds, classes: fit.clusters)
        case .otsu:
            let starts = try Otsu.partition(histogram, classes: classes)
            self.init(thresholds: starts.map { histogram.upperEdge(ofBin: $0 - 1) }, classes: IntensityClass.of(histogram, starts: starts))
        case .dixon:
            throw SegmentationError.invalidParameter("the Dixon method has no single-contrast intensity model")
        }
    }

    /// Lean and fat references are the darkest and brightest class means (MuscleMap's ranking).
    private init(thresholds: [Double], classes: [IntensityClass]) {
        self.init(thresholds: thresholds, classes: classes, leanIntensity: classes.first!.mean, fatIntensity: classes.last!.mean)
    }

    /// Unclamped two-compartment fat fraction of an intensity (0 when the references coincide).
    @inline(__always)
    public func linearFatFraction(_ intensity: Double) -> Double {
        let span = fatIntensity - leanIntensity
        return span > 0 ? (intensity - leanIntensity) / span : 0
    }

    /// The fat fraction of a voxel for the map (in 0…1) and for the label mean. With the
    /// partial-volume model both are E[α | I]: it lies in 0…1 without clamping, accounts for the
    /// noise (a pure lean voxel brightened by noise is still mostly lean), and its average is
    /// consistent for the mean fat fraction (at the EM fixed point the model's mixing weights equal the
    /// average posteriors). Otherwise the map is the linear value clamped to 0…1 and the mean averages
    /// the unclamped value, which is unbiased because noise enters linearly with mean zero, whereas
    /// clamping cuts the noise of pure lean voxels at 0 on one side only and biases the mean upwards.
    @inline(__always)
    public func fatFraction(_ intensity: Double) -> (map: Double, forMean: Double) {
        if let expectedFatFraction {
            let e = expectedFatFraction(intensity)
            return (e, e)
        }
        let linear = linearFatFraction(intensity)
        return (min(max(linear, 0), 1), linear)
    }

    /// Ashman's D between the lean and the fat class: √2·|μ_fat − μ_lean| / √(σ²_lean + σ²_fat);
    /// D > 2 is needed for a clean separation (K. M. Ashman, C. M. Bird, S. E. Zepf, Astron. J.
    /// 108:2348, 1994). Nil for a single class.
    public var separation: Double? {
        guard classes.count > 1, let lean = classes.first, let fat = classes.last else { return nil }
        let spread = (lean.standardDeviation * lean.standardDeviation + fat.standardDeviation * fat.standardDeviation).squareRoot()
        return spread > 0 ? 2.0.squareRoot() * abs(fat.mean - lean.mean) / spread : .infinity
    }
}
