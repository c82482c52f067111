/// One fitted intensity class: its share of the voxels, mean and standard deviation.
/// Classes are always listed by ascending mean (lean first, fat last).
public struct IntensityClass: Sendable, Equatable {
    public var weight: Double
    public var mean: Double
    public var standardDeviation: Double

    public init(weight: Double, mean: Double, standardDeviation: Double) {
        self.weight = weight
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// The classes of a hard partition of a histogram: `starts` are the first bins of classes 1…K−1.
    static func of(_ histogram: Histogram, starts: [Int]) -> [IntensityClass] {
        let bounds = [0] + starts + [histogram.binCount]
        let total = Double(max(histogram.total, 1))
        return (0..<(bounds.count - 1)).map { k in
            var w = 0.0, s = 0.0, ss = 0.0
            for i in bounds[k]..<bounds[k + 1] {
                let c = Double(histogram.counts[i]), x = histogram.centre(ofBin: i)
                w += c; s += c * x; ss += c * x * x
            }
            let mean = w > 0 ? s / w : histogram.centre(ofBin: (bounds[k] + bounds[k + 1] - 1) / 2)
            let variance = w > 0 ? max(0, ss / w - mean * mean) + histogram.roundingVariance : 0
            return IntensityClass(weight: w / total, mean: mean, standardDeviation: variance.squareRoot())
        }
    }
}

/// Hard class of a value given ascending thresholds: a value below `thresholds[k]` is in class ≤ k.
@inline(__always)
func classIndex(of value: Double, thresholds: [Double]) -> Int {
    var k = 0
    while k < thresholds.count && value >= thresholds[k] { k += 1 }
    return k
}
