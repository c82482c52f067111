import VolumeCore

/// The selected voxels of a label map as runs along x, in voxel order, built once so that iterative
/// fits visit only the mask (a few per cent of a volume) instead of testing every label each pass.
/// Position `n` of a run's voxel in the compact order is `run.offset + (i − run.start)`.
struct MaskRuns {
    struct Run {
        /// Row and slice of the run (the x-row it lies in).
        var j: Int32
        var k: Int32
        /// x-range of the run.
        var start: Int32
        var end: Int32
        /// Compact position of its first voxel.
        var offset: Int
    }

    let dimensions: Dimensions
    let runs: [Run]
    /// Runs of each slab of `slabThickness` slices: the unit of parallel work, fixed by the volume alone.
    let slabs: [Range<Int>]
    /// Number of selected voxels.
    let count: Int

    static let slabThickness = 4

    init(labels: [UInt16], dimensions: Dimensions, selection: LabelSelection, workers: Int) {
        self.init(dimensions: dimensions, workers: workers) { _ in { row, visit in forEachSelected(in: row, labels: labels, selection: selection, visit) } }
    }

    /// The voxels where `sliceMask(k)`, the mask of slice k alone (x·y values), is true: a mask that is never
    /// whole in memory.
    init(dimensions: Dimensions, workers: Int, sliceMask: @escaping (Int) -> [Bool]) {
        let sliceSize = dimensions.x * dimensions.y
        self.init(dimensions: dimensions, workers: workers) { k in
            let mask = sliceMask(k), base = k * sliceSize
            return { row, visit in for i in row where mask[i - base] { visit(i) } }
        }
    }

    /// `forEachSelected(k)` gives slice k's row visitor: `(row, visit)` calls `visit` with each selected voxel
    /// index of the x-row `row`, in order.
    private init(dimensions: Dimensions, workers: Int, forEachSelected: (Int) -> (Range<Int>, (Int) -> Void) -> Void) {
        let x = dimensions.x
        let slices = Parallel.ranges(dimensions.z, chunkSize: Self.slabThickness)
        let parts = Parallel.map(slices.count, workers: workers) { s -> [Run] in
            var found: [Run] = []
            for k in slices[s] {
                let forEachSelected = forEachSelected(k)
                for j in 0..<dimensions.y {
                    let rowStart = dimensions.index(0, j, k)
                    var start = -1, last = -2
                    // Selected voxels arrive in order: a gap closes the open run.
                    forEachSelected(rowStart..<(rowStart + x)) { index in
                        let i = index - rowStart
                        if i != last + 1 {
                            if start >= 0 { found.append(Run(j: Int32(j), k: Int32(k), start: Int32(start), end: Int32(last + 1), offset: 0)) }
                            start = i
                        }
                        last = i
                    }
                    if start >= 0 { found.append(Run(j: Int32(j), k: Int32(k), start: Int32(start), end: Int32(last + 1), offset: 0)) }
                }
            }
            return found
        }
        var runs: [Run] = [], slabs: [Range<Int>] = [], offset = 0
        for part in parts {
            let first = runs.count
            for var run in part {
                run.offset = offset
                offset += Int(run.end - run.start)
                runs.append(run)
            }
            slabs.append(first..<runs.count)
        }
        self.dimensions = dimensions
        self.runs = runs
        self.slabs = slabs
        self.count = offset
    }

    /// Voxel index of the first voxel of `run`.
    @inline(__always)
    func voxelIndex(of run: Run) -> Int { dimensions.index(Int(run.start), Int(run.j), Int(run.k)) }

    /// Voxel index of the voxel at compact position `n`.
    func voxelIndex(atCompact n: Int) -> Int {
        var lo = 0, hi = runs.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if runs[mid].offset <= n { lo = mid } else { hi = mid - 1 }
        }
        return voxelIndex(of: runs[lo]) + n - runs[lo].offset
    }

    /// The values of `image` at the selected voxels, in compact order.
    func gather<Element>(_ image: [Element]) -> [Element] {
        guard let first = runs.first else { return [] }
        var out = [Element](repeating: image[voxelIndex(of: first)], count: count)
        image.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for run in runs {
                    (target.baseAddress! + run.offset).update(from: source.baseAddress! + voxelIndex(of: run), count: Int(run.end - run.start))
                }
            }
        }
        return out
    }

    /// The image's values at the selected voxels, in compact order, refusing NaN and ±∞ with the voxel index
    /// of the first. Read run by run: no Float copy of the whole image is made.
    func gatherFinite(_ image: ImageValues) throws -> [Float] {
        let values = [Float](unsafeUninitializedCapacity: count) { target, initialized in
            for run in runs {
                let start = voxelIndex(of: run), length = Int(run.end - run.start)
                image.copy(start..<(start + length), into: UnsafeMutableBufferPointer(rebasing: target[run.offset..<(run.offset + length)]))
            }
            initialized = count
        }
        if let n = values.firstIndex(where: { !$0.isFinite }) { throw SegmentationError.nonFiniteValue(index: voxelIndex(atCompact: n)) }
        return values
    }
}
