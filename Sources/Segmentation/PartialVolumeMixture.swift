import Foundation

/// A two-tissue partial-volume mixture: pure lean and pure fat as Gaussians, and voxels that mix them.
///
/// A voxel holding a fraction α of fat has mean intensity `(1 − α)·μ_lean + α·μ_fat`; pure voxels
/// (α = 0 or 1) are normal around the tissue means, and mixed voxels have α uniform on (0, 1), the
/// model of P. Santago, H. D. Gage, "Quantification of MR brain images by mixture density and partial
/// volume modeling", IEEE Trans. Med. Imaging 12(3):566–574, 1993, as used by D. W. Shattuck et al.,
/// NeuroImage 13:856–876, 2001 and J. Tohka et al., NeuroImage 23:84–97, 2004 (FSL FAST's partial
/// volume estimates rest on the same idea). The mixed density is integrated on `mixedSteps` midpoints
/// of α, whose variance interpolates the pure ones: `(1 − α)·σ²_lean + α·σ²_fat`.
///
/// Why: a plain Gaussian mixture lets the partial-volume voxels of fat streaks pull the lean and fat
/// means towards each other (a 2-class fit on fine marbling puts "fat" near the middle), which biases
/// every fat fraction derived from the means; this model estimates the pure-tissue means themselves.
///
/// Fitted by generalised EM on the histogram: weights and means in closed form (the means by weighted
/// least squares, since every component mean is linear in μ_lean and μ_fat), the two variances from
/// the pure components with a weak conjugate prior towards their pooled value (10 voxels' worth;
/// C. Fraley, A. E. Raftery, J. Classif. 24:155–181, 2007) so a tissue with almost no pure voxels keeps
/// a sensible width. Deterministic: two fixed starts (the 2-component Gaussian mixture, and the
/// median with the 99.5th percentile), the one with the higher likelihood kept. Stops when the mean
/// log-likelihood changes by less than 1e-9 nats per voxel, or after 500 iterations.
public struct PartialVolumeMixture: Sendable, Equatable {
    public var lean: IntensityClass
    public var fat: IntensityClass
    /// Share of voxels that mix the two tissues.
    public var mixedWeight: Double
    public var logLikelihood: Double
    public var iterations: Int

    static let mixedSteps = 20
    static let maximumBins = 512
    static let priorVoxels = 10.0

    /// - Throws: `invalidParameter` when the histogram has fewer than two occupied bins.
    public init(_ histogram: Histogram) throws {
        let gmm = try GaussianMixture(histogram, components: 2)
        let lower = gmm.components[0], upper = gmm.components[1]
        let median = histogram.quantile(0.5), top = histogram.quantile(0.995)
        let starts = [
            Parameters(lean: lower, fat: upper, mixedWeight: 0.1),
            Parameters(lean: IntensityClass(weight: 0.8, mean: median, standardDeviation: lower.standardDeviation),
                       fat: IntensityClass(weight: 0.1, mean: max(top, median + lower.standardDeviation), standardDeviation: lower.standardDeviation),
                       mixedWeight: 0.1),
        ]
        self.init(histogram, starts: starts)
    }

    /// Fits with the pure-fat class fixed to `fat` (measured in a reference region, see `fatReference`):
    /// only the lean class, the weights and the mixing are estimated from this histogram.
    public init(_ histogram: Histogram, fixedFat fat: IntensityClass) throws {
        let gmm = try GaussianMixture(histogram, components: 2)
        let lean = gmm.components[0]
        self.init(histogram, starts: [Parameters(lean: lean, fat: IntensityClass(weight: 0.05, mean: fat.mean, standardDeviation: fat.standardDeviation),
                                                 mixedWeight: 0.1)], fatIsFixed: true)
    }

    /// Refits from a previous fit only (as when the same tissue is refitted after a small change).
    init(_ histogram: Histogram, startingFrom previous: PartialVolumeMixture) {
        self.init(histogram, starts: [Parameters(lean: previous.lean, fat: previous.fat, mixedWeight: previous.mixedWeight)])
    }

    private init(_ histogram: Histogram, starts: [Parameters], fatIsFixed: Bool = false) {
        let factor = (histogram.binCount + Self.maximumBins - 1) / Self.maximumBins
        let coarse = histogram.coarsened(by: factor)
        let best = starts.map { Self.fit(coarse, from: $0, fatIsFixed: fatIsFixed) }.max { $0.logLikelihood < $1.logLikelihood }!
        lean = best.parameters.lean
        fat = best.parameters.fat
        mixedWeight = best.parameters.mixedWeight
        logLikelihood = best.logLikelihood
        iterations = best.iterations
    }

    /// Posterior probabilities of (pure lean, mixed, pure fat) for an intensity.
    public func tissuePosteriors(at x: Double) -> (lean: Double, mixed: Double, fat: Double) {
        let p = model.posteriors(x)
        return (p[0], p[1...Self.mixedSteps].reduce(0, +), p[Self.mixedSteps + 1])
    }

    /// E[α | intensity]: the fat fraction a voxel of this intensity is expected to hold, in 0…1.
    public func expectedFatFraction(at x: Double) -> Double {
        zip(model.posteriors(x), model.fractions).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// Hard-class boundaries. With 2 classes: where the expected fat fraction reaches 0.5, so "fat"
    /// means "more than half fat". With 3: where pure lean stops being, and pure fat starts being,
    /// more probable than mixed; the middle ("undefined") class is the partial-volume voxels.
    public func thresholds(classes: Int) -> [Double] {
        let range = lean.mean...fat.mean
        if classes == 2 { return [Bisection.root(in: range) { 0.5 - expectedFatFraction(at: $0) }] }
        func logRatio(_ x: Double, _ f: (Double, Double, Double) -> Double) -> Double {
            let p = tissuePosteriors(at: x)
            return f(p.lean, p.mixed, p.fat)
        }
        let first = Bisection.root(in: range) { x in logRatio(x) { l, m, _ in log(l) - log(m) } }
        let second = Bisection.root(in: range) { x in logRatio(x) { _, m, f in log(m) - log(f) } }
        guard first <= second else {
            // Mixed voxels never dominate: lean and fat meet directly.
            let meet = Bisection.root(in: range) { x in logRatio(x) { l, _, f in log(l) - log(f) } }
            return [meet, meet]
        }
        return [first, second]
    }

    /// The three classes for display: pure lean, mixed (as one broad class), pure fat.
    public var classes: [IntensityClass] {
        let delta = fat.mean - lean.mean
        let mixedVariance = delta * delta / 12 + 0.5 * (lean.standardDeviation * lean.standardDeviation + fat.standardDeviation * fat.standardDeviation)
        return [lean, IntensityClass(weight: mixedWeight, mean: 0.5 * (lean.mean + fat.mean), standardDeviation: mixedVariance.squareRoot()), fat]
    }

    private var model: Components { Components(Parameters(lean: lean, fat: fat, mixedWeight: mixedWeight), roundingVariance: 0) }

    struct Parameters: Equatable {
        var lean: IntensityClass
        var fat: IntensityClass
        var mixedWeight: Double
    }

    /// The discretised mixture: component 0 pure lean, 1…steps mixed, steps+1 pure fat.
    struct Components {
        let fractions: [Double]
        let terms: [GaussianTerm]

        init(_ p: Parameters, roundingVariance: Double) {
            let steps = PartialVolumeMixture.mixedSteps
            var fractions: [Double] = [0]
            for j in 0..<steps { fractions.append((Double(j) + 0.5) / Double(steps)) }
            fractions.append(1)
            self.fractions = fractions
            let vLean = p.lean.standardDeviation * p.lean.standardDeviation
            let vFat = p.fat.standardDeviation * p.fat.standardDeviation
            var terms: [GaussianTerm] = []
            for (j, a) in fractions.enumerated() {
                let weight: Double = j == 0 ? p.lean.weight : (j == steps + 1 ? p.fat.weight : p.mixedWeight / Double(steps))
                let mean: Double = (1 - a) * p.lean.mean + a * p.fat.mean
                let variance: Double = (1 - a) * vLean + a * vFat + roundingVariance
                terms.append(GaussianTerm(weight: max(weight, 1e-12), mean: mean, variance: variance))
            }
            self.terms = terms
        }

        func posteriors(_ x: Double) -> [Double] {
            var out = [Double](repeating: 0, count: terms.count)
            _ = normalisedPosteriors(x, terms, into: &out)
            return out
        }
    }

    private static func fit(_ histogram: Histogram, from start: Parameters,
                            fatIsFixed: Bool) -> (parameters: Parameters, logLikelihood: Double, iterations: Int) {
        let bins = OccupiedBins(histogram)
        let floor = histogram.binWidth * histogram.binWidth / 12
        var p = start
        var previous = -Double.infinity, logLikelihood = -Double.infinity, iterations = 0
        let last = mixedSteps + 1
        var r = [Double](repeating: 0, count: last + 1)
        var responsibilities = [Double](repeating: 0, count: bins.centres.count * (last + 1))
        while iterations < 500 {
            iterations += 1
            let model = Components(p, roundingVariance: histogram.roundingVariance)
            var n = [Double](repeating: 0, count: last + 1)
            var a11 = 0.0, a12 = 0.0, a22 = 0.0, b1 = 0.0, b2 = 0.0
            logLikelihood = 0
            let precision = model.terms.map { 2 * $0.halfPrecision }
            for (b, (x, c)) in zip(bins.centres, bins.counts).enumerated() {
                logLikelihood += c * normalisedPosteriors(x, model.terms, into: &r)
                for j in 0...last { responsibilities[b * (last + 1) + j] = r[j] }
                for j in 0...last {
                    let w = c * r[j]
                    n[j] += w
                    let a = model.fractions[j], wp = w * precision[j]
                    a11 += wp * (1 - a) * (1 - a); a12 += wp * a * (1 - a); a22 += wp * a * a
                    b1 += wp * (1 - a) * x; b2 += wp * a * x
                }
            }
            logLikelihood /= bins.total
            let det = a11 * a22 - a12 * a12
            if fatIsFixed {
                // Least squares in μ_lean alone: Σ w(1−a)² μ_lean = Σ w(1−a)(x − a·μ_fat).
                if a11 > 0 { p.lean.mean = (b1 - a12 * p.fat.mean) / a11 }
            } else if det > 1e-12 * a11 * a22 {
                p.lean.mean = (b1 * a22 - b2 * a12) / det
                p.fat.mean = (a11 * b2 - a12 * b1) / det
            }
            var ssLean = 0.0, ssFat = 0.0
            for (b, (x, c)) in zip(bins.centres, bins.counts).enumerated() {
                ssLean += c * responsibilities[b * (last + 1)] * (x - p.lean.mean) * (x - p.lean.mean)
                ssFat += c * responsibilities[b * (last + 1) + last] * (x - p.fat.mean) * (x - p.fat.mean)
            }
            let pooled = (ssLean + ssFat) / max(n[0] + n[last], 1e-9)
            let vLean = max((ssLean + priorVoxels * pooled) / (n[0] + priorVoxels), floor)
            let vFat = max((ssFat + priorVoxels * pooled) / (n[last] + priorVoxels), floor)
            p.lean.weight = n[0] / bins.total
            p.fat.weight = n[last] / bins.total
            p.mixedWeight = max(0, 1 - p.lean.weight - p.fat.weight)
            p.lean.standardDeviation = vLean.squareRoot()
            if !fatIsFixed { p.fat.standardDeviation = vFat.squareRoot() }
            if abs(logLikelihood - previous) < 1e-9 { break }
            previous = logLikelihood
        }
        return (p, logLikelihood, iterations)
    }
}

/// E[α | intensity] of a partial-volume mixture sampled on a fine grid, for per-voxel lookup by linear
/// interpolation (a direct evaluation costs 22 exponentials per voxel). The grid spans the lean mean
/// − 8σ to the fat mean + 8σ in 4,096 steps (under 1 intensity unit at usual contrasts); beyond it
/// the value is that of the nearest end (0 below lean, 1 above fat).
public struct FatFractionTable: Sendable, Equatable {
    let start: Double
    let step: Double
    let values: [Double]

    public init(_ mixture: PartialVolumeMixture, samples: Int = 4096) {
        let low = mixture.lean.mean - 8 * mixture.lean.standardDeviation
        let high = max(mixture.fat.mean + 8 * mixture.fat.standardDeviation, low + 1e-9)
        start = low
        step = (high - low) / Double(samples - 1)
        values = (0..<samples).map { mixture.expectedFatFraction(at: low + Double($0) * (high - low) / Double(samples - 1)) }
    }

    @inline(__always)
    public func callAsFunction(_ x: Double) -> Double {
        let t = (x - start) / step
        guard t > 0 else { return values[0] }
        let i = Int(t)
        guard i < values.count - 1 else { return values[values.count - 1] }
        let f = t - Double(i)
        return values[i] + f * (values[i + 1] - values[i])
    }
}
