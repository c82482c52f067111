import VolumeCore

/// Fat–water swaps of a Dixon pair, slice by slice, told from anatomy that holds in everyone: subcutaneous fat
/// lies under the body surface and is fatter than the back muscles, however fatty the muscles are. A swap
/// (water and fat exchanged by the reconstruction, over the whole volume or a run of slices) turns both over.
///
/// Per slice: the contrast d = (F − W)/(F + W) has its median taken over the muscle voxels and over a band
/// under the body surface (2–15 mm deep, outside the muscles), and their difference is the slice's score:
/// about +1.6 on real lumbar water/fat maps (band +0.85, muscle −0.8), and still positive for a muscle of 60 %
/// fat under the thinnest fat layer that fills some of the band; a swap makes it negative. The surface is where
/// the body meets the air around it (not the image edge, not gas inside the body), so a field of view that
/// cuts the body only narrows the band.
public struct FatWaterSwap: Sendable, Equatable {
    public struct Slice: Sendable, Equatable {
        public var index: Int
        /// Median d under the surface minus median d in the muscles; nil when either region is too small.
        public var score: Double?
    }

    /// Every slice along the third axis.
    public var slices: [Slice]
    /// Slices whose score is below `-margin`, in runs of at least `minimumRun` slices.
    public var swappedSlices: [Int]
    /// Slices too small to judge, or with a score within the margin.
    public var undecidedSlices: [Int]

    public var detected: Bool { !swappedSlices.isEmpty }

    /// A score closer to 0 than this decides nothing.
    public static let margin = 0.3
    /// A single slice could be a local artefact; a reconstruction swap spans slices.
    public static let minimumRun = 2
    static let bandDepthMM = 2.0...15.0
    static let minimumBandVoxels = 50, minimumMuscleVoxels = 20

    /// - Parameters:
    ///   - labels: the muscles (nonzero) on the images' grid.
    public init(water: ImageValues, fat: ImageValues, labels: [UInt16], dimensions d: Dimensions, spacing: SIMD3<Double>,
                workers: Int = Parallel.defaultWorkers) throws {
        for (what, count) in [("fat image", fat.count), ("label map", labels.count)] where count != water.count {
            throw SegmentationError.sizeMismatch(what: what, expected: water.count, actual: count)
        }
        guard water.count == d.voxelCount else { throw SegmentationError.sizeMismatch(what: "water image", expected: d.voxelCount, actual: water.count) }
        slices = Parallel.map(d.z, workers: workers) { z in Slice(index: z, score: Self.score(slice: z, water: water, fat: fat, labels: labels, dimensions: d, spacing: spacing)) }
        let below = slices.filter { ($0.score ?? 0) < -Self.margin }.map(\.index)
        // Runs of consecutive swapped slices; shorter runs are undecided.
        var runs: [[Int]] = []
        for z in below { if let last = runs.last?.last, last == z - 1 { runs[runs.count - 1].append(z) } else { runs.append([z]) } }
        swappedSlices = runs.filter { $0.count >= Self.minimumRun }.flatMap { $0 }
        let isolated = Set(runs.filter { $0.count < Self.minimumRun }.flatMap { $0 })
        undecidedSlices = slices.filter { slice in
            guard let score = slice.score else { return true }
            return abs(score) <= Self.margin || isolated.contains(slice.index)
        }.map(\.index)
    }

    /// The score of slice `z`, or nil when the muscles or the band under the surface hold too few voxels.
    static func score(slice z: Int, water: ImageValues, fat: ImageValues, labels: [UInt16], dimensions d: Dimensions, spacing: SIMD3<Double>) -> Double? {
        let (nx, ny) = (d.x, d.y), base = z * nx * ny
        let (water, fat) = (water.values(base..<(base + nx * ny)), fat.values(base..<(base + nx * ny)))
        let signal = (0..<(nx * ny)).map { Double(max(water[$0], 0)) + Double(max(fat[$0], 0)) }
        func contrast(_ p: Int) -> Double { signal[p] > 0 ? (Double(max(fat[p], 0)) - Double(max(water[p], 0))) / signal[p] : 0 }
        var muscleSignal: [Double] = [], muscle: [Double] = []
        for p in 0..<(nx * ny) where labels[base + p] != 0 {
            muscle.append(contrast(p))
            muscleSignal.append(signal[p])
        }
        guard muscle.count >= minimumMuscleVoxels else { return nil }
        // Body: brighter than a fifth of the muscles' median signal (air is noise, far below).
        let threshold = 0.2 * quantile(reordering: &muscleSignal, 0.5)
        let body = signal.map { $0 > threshold }
        let depth = chamferDistance(to: airAround(body, nx: nx, ny: ny), nx: nx, ny: ny)
        let pixel = min(spacing.x, spacing.y)
        var band: [Double] = []
        for p in 0..<(nx * ny) where body[p] && labels[base + p] == 0 && bandDepthMM.contains(millimetres(depth[p], pixel: pixel)) {
            band.append(contrast(p))
        }
        guard band.count >= minimumBandVoxels else { return nil }
        return quantile(reordering: &band, 0.5) - quantile(reordering: &muscle, 0.5)
    }

    /// The air around the body: not-body pixels connected to the slice's border (gas inside the body is not).
    static func airAround(_ body: [Bool], nx: Int, ny: Int) -> [Bool] {
        var outside = [Bool](repeating: false, count: nx * ny)
        // Each pixel enters the stack at most once, so it never outgrows the slice.
        let stack = UnsafeMutablePointer<Int32>.allocate(capacity: nx * ny)
        defer { stack.deallocate() }
        var top = 0
        outside.withUnsafeMutableBufferPointer { out in
            body.withUnsafeBufferPointer { body in
                let (out, body) = (out.baseAddress!, body.baseAddress!)
                for i in 0..<nx { enter(i, out, body, stack, &top); enter((ny - 1) * nx + i, out, body, stack, &top) }
                for j in 0..<ny { enter(j * nx, out, body, stack, &top); enter(j * nx + nx - 1, out, body, stack, &top) }
                while top > 0 {
                    top -= 1
                    let p = Int(stack[top]), i = p % nx
                    if i > 0 { enter(p - 1, out, body, stack, &top) }
                    if i < nx - 1 { enter(p + 1, out, body, stack, &top) }
                    if p >= nx { enter(p - nx, out, body, stack, &top) }
                    if p < (ny - 1) * nx { enter(p + nx, out, body, stack, &top) }
                }
            }
        }
        return outside
    }

    @inline(__always)
    private static func enter(_ p: Int, _ out: UnsafeMutablePointer<Bool>, _ body: UnsafePointer<Bool>, _ stack: UnsafeMutablePointer<Int32>, _ top: inout Int) {
        if !body[p] && !out[p] { out[p] = true; stack[top] = Int32(p); top += 1 }
    }

    /// Chamfer distance from each pixel to the nearest `source` pixel, in thirds of the slice's smaller pixel side
    /// (`chamferInfinity` without one), by the 3-4 chamfer (G. Borgefors, "Distance transformations in digital
    /// images", CVGIP 34:344–371, 1986): within 8 % of Euclidean, ample for a band 2–15 mm deep.
    static func chamferDistance(to source: [Bool], nx: Int, ny: Int) -> [Int32] {
        var dist = source.map { $0 ? Int32(0) : chamferInfinity }
        // Rows of the slice padded by one pixel on each side that is never a source, so that the inner loops
        // need no edge tests; infinity stays far from overflow (Int32.max / 4 plus a step).
        let width = nx + 2
        let padded = UnsafeMutablePointer<Int32>.allocate(capacity: width * (ny + 2))
        defer { padded.deallocate() }
        padded.initialize(repeating: chamferInfinity, count: width * (ny + 2))
        dist.withUnsafeBufferPointer { d in
            for j in 0..<ny { (padded + (j + 1) * width + 1).update(from: d.baseAddress! + j * nx, count: nx) }
        }
        // Each pass carries the pixel just set in a register: a reload waits on the store it follows.
        for j in 1...ny {
            var previous = padded[j * width]
            for i in 1...nx {
                let p = j * width + i
                previous = min(padded[p], previous &+ 3, padded[p - width] &+ 3, padded[p - width - 1] &+ 4, padded[p - width + 1] &+ 4)
                padded[p] = previous
            }
        }
        for j in stride(from: ny, through: 1, by: -1) {
            var previous = padded[j * width + nx + 1]
            for i in stride(from: nx, through: 1, by: -1) {
                let p = j * width + i
                previous = min(padded[p], previous &+ 3, padded[p + width] &+ 3, padded[p + width + 1] &+ 4, padded[p + width - 1] &+ 4)
                padded[p] = previous
            }
        }
        dist.withUnsafeMutableBufferPointer { d in
            for j in 0..<ny { (d.baseAddress! + j * nx).update(from: padded + (j + 1) * width + 1, count: nx) }
        }
        return dist
    }

    static let chamferInfinity = Int32.max / 4

    static func millimetres(_ chamfer: Int32, pixel: Double) -> Double {
        chamfer >= chamferInfinity ? .infinity : Double(chamfer) / 3 * pixel
    }
}
