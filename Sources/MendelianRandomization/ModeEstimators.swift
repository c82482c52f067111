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
    /// Grid points per block of the branch and bound below.
    static let blockSize = 32

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
        let n = gridPoints, sets = weightSets.count
        let from = ratios.min()! - 3 * h, to = ratios.max()! + 3 * h
        let lo = from - 4 * h, up = to + 4 * h
        // BinDist: each point's weight split between the two grid points around it (set s at s·n...).
        let delta = (up - lo) / Double(n - 1)
        var bins = [Double](repeating: 0, count: sets * n)
        for (i, x) in ratios.enumerated() {
            let position = (x - lo) / delta
            let ix = Int(position.rounded(.down)), fraction = position - Double(ix)
            for s in 0..<sets {
                let w = weightSets[s][i], base = s * n
                if ix >= 0 && ix <= n - 2 { bins[base + ix] += (1 - fraction) * w; bins[base + ix + 1] += fraction * w }
                else if ix == -1 { bins[base] += fraction * w }
                else if ix == n - 1 { bins[base + ix] += (1 - fraction) * w }
            }
        }
        // The kernel at lags −reach…reach times the spacing seq.int(0, (2n − 1)/(n − 1)·(up − lo), length.out = 2n) has.
        let spacing = Double(2 * n - 1) / Double(n - 1) * (up - lo) / Double(2 * n - 1)
        let reach = min(n - 1, Int((kernelCutoff * h / spacing).rounded(.up)))
        let half = (0...reach).map { normalDensity(Double($0) * spacing, sd: h) }
        let kernel = half.reversed() + half.dropFirst()
        // Only the grid values the interpolation reads, those around [from, to], in blocks.
        let first = max(0, Int(((from - lo) / delta).rounded(.down)) - 1), last = min(n - 2, Int(((to - lo) / delta).rounded(.up)) + 1)
        let blocks = stride(from: first, through: last, by: blockSize).map { $0...min(last, $0 + blockSize - 1) }
        // approx(xords, y, x) at the 512 output points: each between the grid points i and i + 1 with
        // xords[i] ≤ x < xords[i + 1] (i ≤ n − 2), as R's bisection finds them.
        func grid(_ i: Int) -> Double { i == 0 ? lo : i == n - 1 ? up : lo + Double(i) * ((up - lo) / Double(n - 1)) }
        let outputStep = (to - from) / Double(n - 1)
        func output(_ k: Int) -> Double { k == 0 ? from : k == n - 1 ? to : from + Double(k) * outputStep }
        func interval(_ x: Double) -> Int {
            var i = min(n - 2, max(0, Int((x - lo) / delta)))
            while i > 0 && grid(i) > x { i -= 1 }
            while i < n - 2 && grid(i + 1) <= x { i += 1 }
            return i
        }
        return (0..<sets).map { s in
            let occupied = (0..<n).filter { bins[s * n + $0] != 0 }
            let weights = occupied.map { bins[s * n + $0] }
            // Branch and bound: a block's values are at most its bins' weights times the kernel at their distance
            // from the block; blocks are smoothed from the highest bound down until a bound falls below the best
            // output value found (with a margin for rounding, so ties are never cut off).
            var bounds = [Double](repeating: 0, count: blocks.count)
            kernel.withUnsafeBufferPointer { kernel in
                var start = 0
                for (b, block) in blocks.enumerated() {
                    // Bins sorted by position: those left of the block's reach are passed once and for all.
                    while start < occupied.count && occupied[start] < block.lowerBound - reach { start += 1 }
                    var bound = 0.0, j = start
                    while j < occupied.count && occupied[j] <= block.upperBound + reach {
                        bound += weights[j] * kernel[reach + max(0, block.lowerBound - occupied[j], occupied[j] - block.upperBound)]
                        j += 1
                    }
                    bounds[b] = bound
                }
            }
            var smoothed = [Double](repeating: 0, count: n), done = [Bool](repeating: false, count: n)
            var best = -Double.infinity, bestAt = n
            for b in blocks.indices.sorted(by: { bounds[$0] == bounds[$1] ? $0 < $1 : bounds[$0] > bounds[$1] }) {
                guard bounds[b] * (1 + 1e-9) >= best else { break }
                // The block and the grid points either side, so that every output point interpolating between a
                // point of this block and a neighbour is judged here.
                let run = max(0, blocks[b].lowerBound - 1)...min(n - 1, blocks[b].upperBound + 1)
                // Points smoothed already (the ends, shared with a neighbouring block) are not summed again.
                let pending = run.filter { !done[$0] }
                for m in pending { done[m] = true }
                if let pendingLow = pending.first, let pendingHigh = pending.last {
                    kernel.withUnsafeBufferPointer { kernel in
                        smoothed.withUnsafeMutableBufferPointer { smoothed in
                            for (j, w) in zip(occupied, weights) {
                                let low = max(pendingLow, j - reach), high = min(pendingHigh, j + reach)
                                guard low <= high else { continue }
                                // Contiguous runs of both, so the loop vectorises.
                                let target = smoothed.baseAddress! + low, source = kernel.baseAddress! + (low - j + reach)
                                for t in 0...(high - low) { target[t] += w * source[t] }
                            }
                        }
                    }
                }
                // The output points between grid points run.lowerBound and blocks[b].upperBound + 1 (one more either
                // side of the estimate, which rounding may move).
                let kLow = max(0, Int(((grid(run.lowerBound) - from) / outputStep).rounded(.down)) - 1)
                let kHigh = min(n - 1, Int(((grid(blocks[b].upperBound + 1) - from) / outputStep).rounded(.up)) + 1)
                for k in kLow...kHigh {
                    let x = output(k), i = interval(x)
                    guard i >= run.lowerBound && i <= blocks[b].upperBound else { continue }
                    let (xi, xj) = (grid(i), grid(i + 1))
                    let yi = max(0, smoothed[i]), yj = max(0, smoothed[i + 1])
                    let value = x == xj ? yj : x == xi ? yi : yi + (yj - yi) * ((x - xi) / (xj - xi))
                    if value > best || (value == best && k < bestAt) { best = value; bestAt = k }
                }
            }
            return output(bestAt)
        }
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
