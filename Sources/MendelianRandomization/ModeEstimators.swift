import Foundation

/// The simple and weighted mode of the Wald ratios (Hartwig, Davey Smith & Bowden 2017), as TwoSampleMR's
/// mr_simple_mode and mr_weighted_mode (phi = 1) and MendelianRandomization's mr_mbe compute them: the highest
/// point of R's density() of the ratios, with a Gaussian kernel and weights 1/SE² of the ratios' second-order SE.
enum ModeEstimators {
    /// Points of density()'s grid (its default n).
    static let gridPoints = 512
    /// Kernel terms below e^(−46) ≈ 1e-20 of the peak are left out of the convolution: R's FFT rounds every
    /// grid value by more than they add.
    static let kernelCutoff = (2 * 46.0).squareRoot()

    /// The modified Silverman bandwidth of Bickel (2002) TwoSampleMR uses: 0.9·min(sd, mad)/K^(1/5), floored at
    /// `floor`; nil when it is not positive (more than half the ratios equal).
    static func bandwidth(_ ratios: [Double], floor: Double) -> Double? {
        let h = max(floor, 0.9 * min(standardDeviation(ratios), medianAbsoluteDeviation(ratios)) / pow(Double(ratios.count), 0.2))
        return h > 0 && h.isFinite ? h : nil
    }

    /// The x of density(ratios, weights = w/Σw, bw = bandwidth)'s highest y, for each set of weights (sets share the
    /// grid, binning positions and kernel). density() as R 4.4 computes it (old.coords = FALSE): linear binning onto
    /// 512 points over [min − 7h, max + 7h], the Gaussian kernel at the bins' spacing, the result interpolated
    /// linearly onto 512 points over [min − 3h, max + 3h]; the first of equal maxima, as which.max. The
    /// convolution is summed directly over the occupied bins rather than by FFT.
    static func densityModes(_ ratios: [Double], weightSets: [[Double]], bandwidth h: Double) -> [Double] {
        let n = gridPoints
        let from = ratios.min()! - 3 * h, to = ratios.max()! + 3 * h
        let lo = from - 4 * h, up = to + 4 * h
        // BinDist: each point's weight split between the two grid points around it.
        let delta = (up - lo) / Double(n - 1)
        var bins = [[Double]](repeating: [Double](repeating: 0, count: n), count: weightSets.count)
        for (i, x) in ratios.enumerated() {
            let position = (x - lo) / delta
            let ix = Int(position.rounded(.down)), fraction = position - Double(ix)
            for s in weightSets.indices {
                let w = weightSets[s][i]
                if ix >= 0 && ix <= n - 2 { bins[s][ix] += (1 - fraction) * w; bins[s][ix + 1] += fraction * w }
                else if ix == -1 { bins[s][0] += fraction * w }
                else if ix == n - 1 { bins[s][ix] += (1 - fraction) * w }
            }
        }
        // The kernel at lags k·spacing, spacing as seq.int(0, (2n − 1)/(n − 1)·(up − lo), length.out = 2n) makes it.
        let spacing = Double(2 * n - 1) / Double(n - 1) * (up - lo) / Double(2 * n - 1)
        let reach = min(n - 1, Int((kernelCutoff * h / spacing).rounded(.up)))
        let kernel = (0...reach).map { normalDensity(Double($0) * spacing, sd: h) }
        let grid = (0..<n).map { $0 == 0 ? lo : $0 == n - 1 ? up : lo + Double($0) * ((up - lo) / Double(n - 1)) }
        let outputStep = (to - from) / Double(n - 1)
        let output = (0..<n).map { $0 == 0 ? from : $0 == n - 1 ? to : from + Double($0) * outputStep }
        // Only the grid values the interpolation reads.
        let first = max(0, Int(((from - lo) / delta).rounded(.down)) - 1), last = min(n - 1, Int(((to - lo) / delta).rounded(.up)) + 1)
        return bins.map { y in
            var smoothed = [Double](repeating: 0, count: n)
            for j in 0..<n where y[j] != 0 {
                let weight = y[j]
                for m in max(first, j - reach)...min(last, j + reach) { smoothed[m] += weight * kernel[abs(j - m)] }
            }
            var best = -Double.infinity, bestIndex = 0
            for (i, x) in output.enumerated() {
                let value = interpolate(x, grid, smoothed)
                if value > best { best = value; bestIndex = i }
            }
            return output[bestIndex]
        }
    }

    /// R's approx1 (linear), its bisection included, on the clamped-at-zero smoothed values.
    private static func interpolate(_ v: Double, _ x: [Double], _ y: [Double]) -> Double {
        var i = 0, j = x.count - 1
        while i < j - 1 {
            let middle = (i + j) / 2
            if v < x[middle] { j = middle } else { i = middle }
        }
        let (yi, yj) = (max(0, y[i]), max(0, y[j]))
        if v == x[j] { return yj }
        if v == x[i] { return yi }
        return yi + (yj - yi) * ((v - x[i]) / (x[j] - x[i]))
    }

    /// R's dnorm(x, 0, sd), including its split of x² beyond 5 SDs for accuracy.
    private static func normalDensity(_ x: Double, sd: Double) -> Double {
        let z = abs(x / sd), inverseRootTwoPi = 0.398_942_280_401_432_677_939_946_059_934
        if z < 5 { return inverseRootTwoPi * exp(-0.5 * z * z) / sd }
        let z1 = (z * 65536).rounded() / 65536, z2 = z - z1
        return inverseRootTwoPi / sd * (exp(-0.5 * z1 * z1) * exp((-0.5 * z2 - z1) * z2))
    }
}

/// The sample standard deviation (n − 1), as R's sd.
func standardDeviation(_ values: [Double]) -> Double {
    let mean = values.reduce(0, +) / Double(values.count)
    return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
}

/// R's median: the middle value, or the mean of the two middle values.
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted(), half = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2
}

/// R's mad: 1.4826 × the median absolute deviation from the median.
func medianAbsoluteDeviation(_ values: [Double]) -> Double {
    let centre = median(values)
    return 1.4826 * median(values.map { abs($0 - centre) })
}
