import VolumeCore

/// What a report draws the maps over: a few axial slices of the image (the T1w image, or water + fat) and its
/// grey window, taken before the analysis lets the images go (it keeps only the muscles' values).
public struct DisplayImage: Sendable {
    /// Grey window: the 1st to the 99.5th percentile of the whole image.
    public var window: (low: Float, high: Float)
    /// The slices drawn, in order, each a whole x–y plane.
    public var slices: [(index: Int, values: [Float])]

    /// The sum of `images` (one, or water and fat) on the slices `representativeSlices(muscles:)` picks.
    init(summing images: [ImageValues], muscles: [UInt16], dimensions: Dimensions) {
        func sum(_ range: Range<Int>) -> [Float] {
            images.dropFirst().reduce(into: images[0].values(range)) { total, image in
                for (n, value) in image.values(range).enumerated() { total[n] += value }
            }
        }
        window = Self.window(count: dimensions.voxelCount) { i in images.dropFirst().reduce(images[0].value(at: i)) { $0 + $1.value(at: i) } }
        let plane = dimensions.sliceVoxelCount
        slices = Self.representativeSlices(muscles: muscles, dimensions: dimensions).map { k in (k, sum((k * plane)..<((k + 1) * plane))) }
    }

    /// Slices spread over the muscles' extent in z (at 20%, 50% and 80% of it).
    static func representativeSlices(muscles: [UInt16], dimensions: Dimensions, count: Int = 3) -> [Int] {
        let plane = dimensions.sliceVoxelCount
        let withMuscle = (0..<dimensions.z).filter { k in muscles[(k * plane)..<((k + 1) * plane)].contains { $0 != 0 } }
        guard let first = withMuscle.first, let last = withMuscle.last else { return [] }
        let fractions = count == 1 ? [0.5] : (0..<count).map { 0.2 + 0.6 * Double($0) / Double(count - 1) }
        let picks = fractions.map { f in withMuscle.min { abs(Double($0) - (Double(first) + f * Double(last - first))) < abs(Double($1) - (Double(first) + f * Double(last - first))) }! }
        return Array(Set(picks)).sorted()
    }

    /// The 1st to the 99.5th percentile of the `count` voxel values, from an odd-strided sample of about 2¹⁶
    /// (an odd step does not fall into step with even row lengths).
    static func window(count: Int, intensity: (Int) -> Float) -> (low: Float, high: Float) {
        let step = max(1, count >> 16) | 1
        var sample = [Float]()
        sample.reserveCapacity(count / step + 1)
        for i in stride(from: 0, to: count, by: step) {
            let value = intensity(i)
            if value.isFinite { sample.append(value) }
        }
        sample.sort()
        guard !sample.isEmpty else { return (0, 1) }
        let low = sample[Int(Double(sample.count - 1) * 0.01)]
        let high = sample[Int(Double(sample.count - 1) * 0.995)]
        return (low, max(high, low + 1))
    }
}
