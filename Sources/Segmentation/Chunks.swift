import VolumeCore

/// Fixed voxel chunks for parallel passes: boundaries depend only on the voxel count, and at most
/// `maximumCount` chunks exist so per-chunk partial results (histograms, sums) stay small.
/// Partial results are merged in chunk order, so every output is bit-identical for any worker count.
enum Chunks {
    static let minimumSize = 1 << 16
    static let maximumCount = 64

    static func ranges(_ count: Int) -> [Range<Int>] {
        let size = max(minimumSize, (count + maximumCount - 1) / maximumCount)
        return Parallel.ranges(count, chunkSize: size)
    }

    /// Runs `body` over every element range in parallel and returns each chunk's result in order.
    static func map<T>(_ count: Int, workers: Int, _ body: (Range<Int>) -> T) -> [T] {
        let parts = ranges(count)
        return Parallel.map(parts.count, workers: workers) { body(parts[$0]) }
    }
}
