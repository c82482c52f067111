/// k-means clustering of intensities, exact on the histogram.
///
/// Reference: S. P. Lloyd, "Least squares quantization in PCM", IEEE Trans. Inf. Theory 28(2):129–137,
/// 1982. Lloyd's iterations run on the bin centres weighted by their counts, which is the same
/// computation as on the raw voxels when the histogram is exact (integer data at integer resolution)
/// and costs O(bins) per iteration instead of O(voxels).
///
/// Initialisation is deterministic: the multi-level Otsu partition, which is the globally optimal
/// 1-D k-means partition (N. Otsu 1979; D. Liu, J. Yu, "Otsu method and K-means", HIS 2009), so Lloyd
/// starts at the optimum that scikit-learn's 20 random restarts (MuscleMap's setting) aim for and only
/// polishes the class means. Iterations stop when no bin changes cluster (at most 300).
public struct KMeans: Sendable, Equatable {
    /// Clusters by ascending centre; `standardDeviation` is the within-cluster spread.
    public var clusters: [IntensityClass]
    /// Boundaries between consecutive clusters (midpoints of their centres), ascending.
    public var thresholds: [Double]
    public var iterations: Int

    /// - Throws: `invalidParameter` unless 2 ≤ clusters ≤ 5 and the histogram has that many bins.
    public init(_ histogram: Histogram, clusters k: Int) throws {
        guard (2...5).contains(k) else { throw SegmentationError.invalidParameter("k-means needs 2…5 clusters, got \(k)") }
        var centres = IntensityClass.of(histogram, starts: try Otsu.partition(histogram, classes: k)).map(\.mean)
        var assignment = [Int](repeating: -1, count: histogram.binCount)
        var iterations = 0
        while iterations < 300 {
            iterations += 1
            let cuts = Self.midpoints(centres)
            var changed = false
            for i in 0..<histogram.binCount {
                let c = classIndex(of: histogram.centre(ofBin: i), thresholds: cuts)
                if c != assignment[i] { assignment[i] = c; changed = true }
            }
            if !changed { break }
            var sums = [Double](repeating: 0, count: k), weights = [Double](repeating: 0, count: k)
            for i in 0..<histogram.binCount where histogram.counts[i] > 0 {
                let c = Double(histogram.counts[i])
                sums[assignment[i]] += c * histogram.centre(ofBin: i)
                weights[assignment[i]] += c
            }
            // An emptied cluster keeps its centre (it cannot attract bins again only if none are nearer).
            for j in 0..<k where weights[j] > 0 { centres[j] = sums[j] / weights[j] }
            centres.sort()
        }
        let starts = (1..<k).map { j in assignment.firstIndex { $0 >= j } ?? histogram.binCount }
        var clusters = IntensityClass.of(histogram, starts: starts)
        for j in 0..<k { clusters[j].mean = centres[j] }
        self.clusters = clusters
        self.thresholds = Self.midpoints(centres)
        self.iterations = iterations
    }

    static func midpoints(_ centres: [Double]) -> [Double] {
        zip(centres, centres.dropFirst()).map { ($0 + $1) / 2 }
    }
}
