import VolumeCore

/// Binary erosion of each label of a label map, `voxels` times.
///
/// Reference: J. Serra, Image Analysis and Mathematical Morphology, Academic Press, 1982 (erosion by
/// the unit cross or cube, iterated). A voxel keeps its label only if every neighbour in the chosen
/// neighbourhood carries the same label; voxels at the volume's edge lose theirs (outside counts as
/// background), and two touching muscles erode each other, so each label shrinks by `voxels` from
/// wherever it meets anything else. Used to keep extramuscular fat at the mask border out.
/// Slabs of slices are processed in parallel; the result does not depend on the worker count.
public func erodeLabels(_ labels: [UInt16], dimensions: Dimensions, voxels: Int, connectivity: Connectivity = .faces,
                        workers: Int = Parallel.defaultWorkers) throws -> [UInt16] {
    guard labels.count == dimensions.voxelCount else {
        throw SegmentationError.sizeMismatch(what: "label map", expected: dimensions.voxelCount, actual: labels.count)
    }
    guard voxels >= 0 else { throw SegmentationError.invalidParameter("erosion must be ≥ 0 voxels, got \(voxels)") }
    let offsets = connectivity.offsets
    let slabs = Parallel.ranges(dimensions.z, chunkSize: 4)
    var current = labels
    for _ in 0..<voxels {
        var next = current
        next.withUnsafeMutableBufferPointer { buffer in
            let out = UnsafeSendableBuffer(buffer)
            Parallel.forEach(slabs.count, workers: workers) { s in
                for k in slabs[s] { for j in 0..<dimensions.y { for i in 0..<dimensions.x {
                    let index = dimensions.index(i, j, k)
                    let label = current[index]
                    guard label != 0 else { continue }
                    for (di, dj, dk) in offsets {
                        let (a, b, c) = (i + di, j + dj, k + dk)
                        let inside = a >= 0 && b >= 0 && c >= 0 && a < dimensions.x && b < dimensions.y && c < dimensions.z
                        if !inside || current[dimensions.index(a, b, c)] != label { out.base[index] = 0; break }
                    }
                } } }
            }
        }
        current = next
    }
    return current
}
