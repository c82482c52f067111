import VolumeCore

/// A map that is 0 outside the analysed muscles, held as the muscle voxels' values alone (a few per cent of the
/// grid): the fat-fraction map is expanded a range of voxels at a time, as a slice is measured or a slab written.
public struct MuscleValueMap: Sendable {
    private let muscle: MaskRuns
    /// The muscle voxels' values in voxel order.
    public let values: [Float]

    init(muscle: MaskRuns, values: [Float]) {
        precondition(values.count == muscle.count, "one value per muscle voxel")
        (self.muscle, self.values) = (muscle, values)
    }

    public var dimensions: Dimensions { muscle.dimensions }

    /// The map's voxels `range` (voxel indices) as an array, 0 outside the muscles.
    public func values(in range: Range<Int>) -> [Float] {
        var out = [Float](repeating: 0, count: range.count)
        out.withUnsafeMutableBufferPointer { writeMuscleValues(range, into: $0) }
        return out
    }

    /// Writes the muscle voxels of `range` into `target` (of `range.count` values, voxel `range.lowerBound` first),
    /// leaving the others as they are: the caller zeroes them.
    private func writeMuscleValues(_ range: Range<Int>, into target: UnsafeMutableBufferPointer<Float>) {
        precondition(target.count == range.count, "the target holds the range")
        let runs = muscle.runs
        // The first run ending after the range's start: runs are in voxel order.
        var lo = 0, hi = runs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if muscle.voxelIndex(of: runs[mid]) + Int(runs[mid].end - runs[mid].start) <= range.lowerBound { lo = mid + 1 } else { hi = mid }
        }
        for run in runs[lo...] {
            let start = muscle.voxelIndex(of: run)
            guard start < range.upperBound else { break }
            let from = max(start, range.lowerBound), to = min(start + Int(run.end - run.start), range.upperBound)
            for i in from..<to { target[i - range.lowerBound] = values[run.offset + i - start] }
        }
    }

    /// Calls `body` with the whole map's bytes (Float32, host order) a slab of slices at a time, in voxel order,
    /// through one buffer of a slab.
    public func forEachSlab(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        let sliceSize = dimensions.x * dimensions.y
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: sliceSize * MaskRuns.slabThickness)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 0)
        for slices in Parallel.ranges(dimensions.z, chunkSize: MaskRuns.slabThickness) {
            let slab = UnsafeMutableBufferPointer(rebasing: buffer[0..<(slices.count * sliceSize)])
            slab.update(repeating: 0)
            writeMuscleValues((slices.lowerBound * sliceSize)..<(slices.upperBound * sliceSize), into: slab)
            try body(UnsafeRawBufferPointer(slab))
        }
    }
}
