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
        func contrast(_ p: Int) -> Double {
            let (w, f) = (Double(max(water[p], 0)), Double(max(fat[p], 0)))
            return w + f > 0 ? (f - w) / (f + w) : 0
        }
        var muscle: [Double] = []
        var signal: [Double] = []
        for p in 0..<(nx * ny) where labels[base + p] != 0 {
            muscle.append(contrast(p))
            signal.append(Double(max(water[p], 0)) + Double(max(fat[p], 0)))
        }
        guard muscle.count >= minimumMuscleVoxels else { return nil }
        // Body: brighter than a fifth of the muscles' median signal (air is noise, far below).
        let threshold = 0.2 * quantile(sorted: signal.sorted(), 0.5)
        var body = [Bool](repeating: false, count: nx * ny)
        for p in 0..<(nx * ny) { body[p] = Double(max(water[p], 0)) + Double(max(fat[p], 0)) > threshold }
        let outside = airAround(body, nx: nx, ny: ny)
        let depth = distanceMM(to: outside, nx: nx, ny: ny, spacing: spacing)
        var band: [Double] = []
        for p in 0..<(nx * ny) where body[p] && labels[base + p] == 0 && bandDepthMM.contains(depth[p]) { band.append(contrast(p)) }
        guard band.count >= minimumBandVoxels else { return nil }
        return quantile(sorted: band.sorted(), 0.5) - quantile(sorted: muscle.sorted(), 0.5)
    }

    /// The air around the body: not-body pixels connected to the slice's border (gas inside the body is not).
    static func airAround(_ body: [Bool], nx: Int, ny: Int) -> [Bool] {
        var outside = [Bool](repeating: false, count: nx * ny)
        var stack = [Int]()
        stack.reserveCapacity(nx * ny)
        outside.withUnsafeMutableBufferPointer { out in
            body.withUnsafeBufferPointer { body in
                func push(_ p: Int) { if !body[p] && !out[p] { out[p] = true; stack.append(p) } }
                for i in 0..<nx { push(i); push((ny - 1) * nx + i) }
                for j in 0..<ny { push(j * nx); push(j * nx + nx - 1) }
                while let p = stack.popLast() {
                    let i = p % nx
                    if i > 0 { push(p - 1) }
                    if i < nx - 1 { push(p + 1) }
                    if p >= nx { push(p - nx) }
                    if p < (ny - 1) * nx { push(p + nx) }
                }
            }
        }
        return outside
    }

    /// Distance in mm from each pixel to the nearest `source` pixel (∞ without one), by the 3-4 chamfer
    /// (G. Borgefors, "Distance transformations in digital images", CVGIP 34:344–371, 1986), in units of the
    /// slice's smaller pixel side: within 8 % of Euclidean, ample for a band 2–15 mm deep.
    static func distanceMM(to source: [Bool], nx: Int, ny: Int, spacing: SIMD3<Double>) -> [Double] {
        let far = Int32.max / 4
        var dist = source.map { $0 ? Int32(0) : far }
        dist.withUnsafeMutableBufferPointer { d in
            @inline(__always) func relax(_ p: Int, _ q: Int, _ step: Int32) { if d[q] + step < d[p] { d[p] = d[q] + step } }
            for j in 0..<ny { for i in 0..<nx {
                let p = j * nx + i
                if i > 0 { relax(p, p - 1, 3) }
                if j > 0 { relax(p, p - nx, 3); if i > 0 { relax(p, p - nx - 1, 4) }; if i < nx - 1 { relax(p, p - nx + 1, 4) } }
            } }
            for j in stride(from: ny - 1, through: 0, by: -1) { for i in stride(from: nx - 1, through: 0, by: -1) {
                let p = j * nx + i
                if i < nx - 1 { relax(p, p + 1, 3) }
                if j < ny - 1 { relax(p, p + nx, 3); if i < nx - 1 { relax(p, p + nx + 1, 4) }; if i > 0 { relax(p, p + nx - 1, 4) } }
            } }
        }
        let pixel = min(spacing.x, spacing.y)
        return dist.map { $0 >= far ? .infinity : Double($0) / 3 * pixel }
    }
}
