import Foundation

/// A 1-D Gaussian mixture fitted by expectation–maximisation on a weighted histogram.
///
/// Reference: A. P. Dempster, N. M. Laird, D. B. Rubin, "Maximum likelihood from incomplete data via
/// the EM algorithm", J. R. Stat. Soc. B 39(1):1–38, 1977; histogram (grouped-data) form as in
/// G. J. McLachlan, P. N. Jones, "Fitting mixture models to grouped and truncated data via the EM
/// algorithm", Biometrics 44:571–578, 1988 (bin centres weighted by counts, plus Sheppard's `w²/12`
/// when values are not exactly at the centres).
///
/// Deterministic: initialised from the k-means partition (itself from multi-level Otsu), no random
/// restarts. Stops when the mean log-likelihood per voxel changes by less than `tolerance` nats
/// (default 1e-10) or after `maximumIterations` (default 1000). Each variance is floored at
/// `binWidth²/12`, the resolution of the data, so a class of one intensity stays finite.
/// Components are ranked by mean: the brightest is fat; with 3 the middle one is "undefined"
/// (MuscleMap's convention).
public struct GaussianMixture: Sendable, Equatable {
    /// Components by ascending mean.
    public var components: [IntensityClass]
    public var logLikelihood: Double
    public var iterations: Int
    public var converged: Bool

    public init(_ histogram: Histogram, components k: Int, tolerance: Double = 1e-10, maximumIterations: Int = 1000) throws {
        guard (2...5).contains(k) else { throw SegmentationError.invalidParameter("a Gaussian mixture needs 2…5 components, got \(k)") }
        let start = try KMeans(histogram, clusters: k).clusters
        let floor = histogram.binWidth * histogram.binWidth / 12
        let bins = OccupiedBins(histogram)
        var weight = start.map { max($0.weight, 1e-6) }
        var mean = start.map(\.mean)
        var variance = start.map { max($0.standardDeviation * $0.standardDeviation, floor) }
        var previous = -Double.infinity, logLikelihood = -Double.infinity
        var iterations = 0, converged = false
        var responsibility = [Double](repeating: 0, count: k)
        while iterations < maximumIterations {
            iterations += 1
            var n = [Double](repeating: 0, count: k), s = n, ss = n
            logLikelihood = 0
            let terms = (0..<k).map { GaussianTerm(weight: weight[$0], mean: mean[$0], variance: variance[$0]) }
            for (x, c) in zip(bins.centres, bins.counts) {
                let total = normalisedPosteriors(x, terms, into: &responsibility)
                logLikelihood += c * total
                for j in 0..<k {
                    let r = c * responsibility[j]
                    n[j] += r; s[j] += r * x; ss[j] += r * x * x
                }
            }
            logLikelihood /= bins.total
            for j in 0..<k where n[j] > 0 {
                weight[j] = n[j] / bins.total
                mean[j] = s[j] / n[j]
                variance[j] = max(ss[j] / n[j] - mean[j] * mean[j] + histogram.roundingVariance, floor)
            }
            if abs(logLikelihood - previous) < tolerance { converged = true; break }
            previous = logLikelihood
        }
        let order = (0..<k).sorted { mean[$0] < mean[$1] }
        components = order.map { IntensityClass(weight: weight[$0], mean: mean[$0], standardDeviation: variance[$0].squareRoot()) }
        self.logLikelihood = logLikelihood
        self.iterations = iterations
        self.converged = converged
    }

    /// P(component | intensity) for each component, in component order.
    public func posteriors(at x: Double) -> [Double] {
        var out = [Double](repeating: 0, count: components.count)
        _ = normalisedPosteriors(x, components.map(GaussianTerm.init), into: &out)
        return out
    }

    /// The boundaries between consecutive components: where their weighted densities cross, searched
    /// between the two means. Classifying by these (instead of by the largest posterior everywhere)
    /// keeps classes ordered by intensity, so a broad component cannot claim the far tail of a narrow
    /// one (a value below every mean is never "fat").
    public var thresholds: [Double] {
        zip(components, components.dropFirst()).map { lower, upper in
            let a = GaussianTerm(lower), b = GaussianTerm(upper)
            return Bisection.root(in: lower.mean...upper.mean) { a.logDensity($0) - b.logDensity($0) }
        }
    }
}

/// One weighted normal density, evaluated in logs.
struct GaussianTerm {
    let logScale: Double
    let mean: Double
    let halfPrecision: Double

    init(weight: Double, mean: Double, variance: Double) {
        logScale = log(weight) - 0.5 * log(2 * Double.pi * variance)
        self.mean = mean
        halfPrecision = 0.5 / variance
    }

    init(_ c: IntensityClass) {
        self.init(weight: c.weight, mean: c.mean, variance: c.standardDeviation * c.standardDeviation)
    }

    @inline(__always)
    func logDensity(_ x: Double) -> Double {
        let d = x - mean
        return logScale - halfPrecision * d * d
    }
}

/// Writes the posteriors of `terms` at `x` into `out` and returns log Σ densities (log-sum-exp).
@inline(__always)
func normalisedPosteriors(_ x: Double, _ terms: [GaussianTerm], into out: inout [Double]) -> Double {
    var top = -Double.infinity
    for j in terms.indices { out[j] = terms[j].logDensity(x); top = max(top, out[j]) }
    var sum = 0.0
    for j in terms.indices { out[j] = exp(out[j] - top); sum += out[j] }
    for j in terms.indices { out[j] /= sum }
    return top + log(sum)
}

/// The occupied bins of a histogram as parallel arrays, for iterative fits that skip empty bins.
struct OccupiedBins {
    var centres: [Double] = []
    var counts: [Double] = []
    var total: Double

    init(_ histogram: Histogram) {
        for i in 0..<histogram.binCount where histogram.counts[i] > 0 {
            centres.append(histogram.centre(ofBin: i))
            counts.append(Double(histogram.counts[i]))
        }
        total = Double(histogram.total)
    }
}

/// Root finding by bisection for a function that changes sign from + to − over an interval.
enum Bisection {
    /// The point in `interval` where `f` crosses from positive to non-positive; an end of the interval
    /// when `f` keeps one sign (the lower end if `f` ≤ 0 throughout, the upper end if `f` > 0 throughout).
    static func root(in interval: ClosedRange<Double>, _ f: (Double) -> Double) -> Double {
        var lo = interval.lowerBound, hi = interval.upperBound
        if f(lo) <= 0 { return lo }
        if f(hi) > 0 { return hi }
        for _ in 0..<100 {
            let mid = 0.5 * (lo + hi)
            if mid <= lo || mid >= hi { break }
            if f(mid) > 0 { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }
}
