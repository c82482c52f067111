/// Otsu's thresholds: the split of a histogram that maximises the between-class variance.
///
/// Reference: N. Otsu, "A threshold selection method from gray-level histograms", IEEE Trans. Syst.
/// Man Cybern. 9(1):62–66, 1979. scikit-image's `threshold_otsu` / `threshold_multiotsu` implement the
/// same criterion.
///
/// Bin convention (it changes results): SimpleITK's `OtsuThreshold` uses 128 bins by default,
/// scikit-image 256. We use the histogram we are given, and the pipeline gives the full integer
/// resolution for integer images (one bin per value), so the threshold is exact for the data rather
/// than an artefact of a bin count; a value below the returned threshold belongs to the lower class.
/// The threshold is a bin edge (a boundary between two bins), not a bin centre as in scikit-image;
/// for integer data at integer resolution it is `v + 0.5`, where scikit-image would say "> v".
public enum Otsu {
    /// The binary Otsu threshold, by one scan of the cumulative sums. Ties keep the lowest threshold;
    /// a histogram with a single occupied bin returns that bin's upper edge.
    public static func threshold(_ histogram: Histogram) -> Double {
        let n = histogram.binCount
        let total = Double(histogram.total)
        let shift = histogram.centre(ofBin: 0)
        var sumAll = 0.0
        for i in 0..<n { sumAll += Double(histogram.counts[i]) * (histogram.centre(ofBin: i) - shift) }
        var weightBelow = 0.0, sumBelow = 0.0
        var best = -1.0, bestBin = 0
        for i in 0..<(n - 1) {
            let c = Double(histogram.counts[i])
            weightBelow += c
            sumBelow += c * (histogram.centre(ofBin: i) - shift)
            let weightAbove = total - weightBelow
            guard weightBelow > 0, weightAbove > 0 else { continue }
            let difference = sumBelow / weightBelow - (sumAll - sumBelow) / weightAbove
            let between = weightBelow * weightAbove * difference * difference
            if between > best { best = between; bestBin = i }
        }
        if best < 0 { bestBin = histogram.counts.lastIndex { $0 > 0 } ?? 0 }
        return histogram.upperEdge(ofBin: bestBin)
    }
}
