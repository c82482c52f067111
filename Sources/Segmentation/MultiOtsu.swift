extension Otsu {
    /// The K−1 multi-level Otsu thresholds (bin edges, ascending) for `classes` classes.
    ///
    /// Reference: P.-S. Liao, T.-S. Chen, P.-C. Chung, "A fast algorithm for multilevel thresholding",
    /// J. Inf. Sci. Eng. 17:713–727, 2001 (the criterion, as in scikit-image's `threshold_multiotsu`).
    /// Maximising the between-class variance equals minimising the within-class sum of squares, i.e.
    /// exact 1-D k-means over bin centres; we solve that by dynamic programming (H. Wang, M. Song,
    /// "Ckmeans.1d.dp", R Journal 3(2):29–33, 2011) with the divide-and-conquer speed-up that the
    /// monotone optimal split allows (A. Grønlund et al., "Fast exact k-means, k-medians and Bregman
    /// divergence clustering in 1D", arXiv:1701.07204, 2017): O(K·L·log L) for L bins, exhaustive in
    /// effect, not a search over a coarse grid.
    /// - Throws: `invalidParameter` unless 2 ≤ classes ≤ number of bins.
    public static func thresholds(_ histogram: Histogram, classes: Int) throws -> [Double] {
        try partition(histogram, classes: classes).map { histogram.upperEdge(ofBin: $0 - 1) }
    }

    /// The first bin of each class after the first (K−1 ascending bin indices) of the optimal partition.
    public static func partition(_ histogram: Histogram, classes: Int) throws -> [Int] {
        let n = histogram.binCount
        guard classes >= 2, classes <= n else {
            throw SegmentationError.invalidParameter("multi-level Otsu needs 2…\(n) classes, got \(classes)")
        }
        let cost = SegmentCost(histogram)
        // best[j]: minimum within-class sum of squares of bins 0...j split into k classes.
        var best = (0..<n).map { cost.sumOfSquares(0, $0) }
        var starts = [[Int]](repeating: [Int](repeating: 0, count: n), count: classes)
        for k in 1..<classes {
            var next = [Double](repeating: .infinity, count: n)
            // Columns j < k cannot hold k+1 non-empty classes.
            solve(k: k, columns: k...(n - 1), choices: k...(n - 1), previous: best, cost: cost, into: &next, starts: &starts[k])
            best = next
        }
        var bounds = [Int](repeating: 0, count: classes - 1)
        var end = n - 1
        for k in stride(from: classes - 1, through: 1, by: -1) {
            bounds[k - 1] = starts[k][end]
            end = bounds[k - 1] - 1
        }
        return bounds
    }

    /// Fills `next[j]` for j in `columns`, where the last class starts at some i in `choices`;
    /// the optimal start is non-decreasing in j, so each half searches only its side of the middle's.
    private static func solve(k: Int, columns: ClosedRange<Int>, choices: ClosedRange<Int>, previous: [Double],
                              cost: SegmentCost, into next: inout [Double], starts: inout [Int]) {
        var pending = [(columns, choices)]
        while let (cols, opts) = pending.popLast() {
            let j = (cols.lowerBound + cols.upperBound) / 2
            var bestValue = Double.infinity, bestStart = opts.lowerBound
            for i in opts.lowerBound...min(j, opts.upperBound) {
                let value = previous[i - 1] + cost.sumOfSquares(i, j)
                if value < bestValue { bestValue = value; bestStart = i }
            }
            next[j] = bestValue
            starts[j] = bestStart
            if cols.lowerBound < j { pending.append((cols.lowerBound...(j - 1), opts.lowerBound...bestStart)) }
            if j < cols.upperBound { pending.append(((j + 1)...cols.upperBound, bestStart...opts.upperBound)) }
        }
    }
}

/// Within-class sum of squares of any run of bins, from prefix sums of centred bin centres.
struct SegmentCost {
    private var weight: [Double]
    private var first: [Double]
    private var second: [Double]

    init(_ histogram: Histogram) {
        let n = histogram.binCount
        let shift = histogram.centre(ofBin: n / 2)  // centring keeps the prefix sums well conditioned
        weight = [0]; first = [0]; second = [0]
        weight.reserveCapacity(n + 1); first.reserveCapacity(n + 1); second.reserveCapacity(n + 1)
        for i in 0..<n {
            let c = Double(histogram.counts[i]), x = histogram.centre(ofBin: i) - shift
            weight.append(weight[i] + c)
            first.append(first[i] + c * x)
            second.append(second[i] + c * x * x)
        }
    }

    /// Σ count·(centre − class mean)² over bins i...j.
    @inline(__always)
    func sumOfSquares(_ i: Int, _ j: Int) -> Double {
        let w = weight[j + 1] - weight[i]
        guard w > 0 else { return 0 }
        let s = first[j + 1] - first[i]
        return max(0, (second[j + 1] - second[i]) - s * s / w)
    }
}
