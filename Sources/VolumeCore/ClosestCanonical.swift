extension Volume {
    /// The same image with its voxel axes permuted and flipped so that they point, as closely as the grid
    /// allows, to R, A and S (nibabel's `as_closest_canonical`; dcm2niix does this for 3-D acquisitions).
    /// Every voxel keeps its world position and value; only the storage order and the affine change.
    package func closestCanonical() -> Volume {
        let code = Array(affine.orientationCode)
        let worldAxis: [Character: (axis: Int, sign: Int)] = ["R": (0, 1), "L": (0, -1), "A": (1, 1), "P": (1, -1), "S": (2, 1), "I": (2, -1)]
        guard code.allSatisfy({ worldAxis[$0] != nil }), code != ["R", "A", "S"] else { return self }
        let target = code.map { worldAxis[$0]! }
        let inputSize = [dimensions.x, dimensions.y, dimensions.z]
        let inputStride = [1, dimensions.x, dimensions.x * dimensions.y]
        var outputSize = [0, 0, 0]
        for c in 0..<3 { outputSize[target[c].axis] = inputSize[c] }
        // For each output axis: the input's linear step per output step, and the input index of output voxel 0.
        var step = [0, 0, 0], start = 0
        for c in 0..<3 {
            let (w, sign) = target[c]
            step[w] = sign * inputStride[c]
            if sign < 0 { start += (inputSize[c] - 1) * inputStride[c] }
        }
        func remap<T>(_ values: [T]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(values.count)
            for k in 0..<outputSize[2] {
                for j in 0..<outputSize[1] {
                    let row = start + k * step[2] + j * step[1]
                    for i in 0..<outputSize[0] { out.append(values[row + i * step[0]]) }
                }
            }
            return out
        }
        let stored: VoxelStorage = switch storage {
        case .uint8(let a): .uint8(remap(a))
        case .int8(let a): .int8(remap(a))
        case .int16(let a): .int16(remap(a))
        case .uint16(let a): .uint16(remap(a))
        case .int32(let a): .int32(remap(a))
        case .uint32(let a): .uint32(remap(a))
        case .float32(let a): .float32(remap(a))
        case .float64(let a): .float64(remap(a))
        }
        // Output axis w is input axis c, reversed when its sign is negative; the origin is input voxel `start`.
        var columns = [[Double]](repeating: [0, 0, 0], count: 3)
        var firstVoxel = [0.0, 0, 0], outputSpacing = SIMD3<Double>(0, 0, 0)
        for c in 0..<3 {
            let (w, sign) = target[c]
            columns[w] = (0..<3).map { Double(sign) * affine.rows[$0][c] }
            if sign < 0 { firstVoxel[c] = Double(inputSize[c] - 1) }
            outputSpacing[w] = spacing[c]
        }
        let origin = affine.apply(firstVoxel[0], firstVoxel[1], firstVoxel[2])
        let reoriented = Affine(rows: (0..<3).map { r in [columns[0][r], columns[1][r], columns[2][r], origin[r]] })
        return Volume(dimensions: Dimensions(outputSize[0], outputSize[1], outputSize[2]), spacing: outputSpacing,
                      affine: reoriented, storage: stored, scaling: scaling)
    }
}
