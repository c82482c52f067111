import VolumeCore

/// 3-D connected components of a binary mask.
///
/// Reference: two-pass labelling with union–find (A. Rosenfeld, J. L. Pfaltz, "Sequential operations in
/// digital picture processing", J. ACM 13(4):471–494, 1966; union by smaller root, path halving).
/// Components are numbered 1, 2, … in the order of their first voxel in storage order, so the result
/// is deterministic. Sequential: union–find over a scan does not split into independent chunks
/// without a merge pass, and one pass over a muscle mask takes milliseconds.
public struct ConnectedComponents: Sendable, Equatable {
    /// Component number per voxel, 0 outside the mask.
    public var labels: [Int32]
    /// Voxel count of component c at index c − 1.
    public var sizes: [Int]

    public init(_ mask: [Bool], dimensions: Dimensions, connectivity: Connectivity = .all) throws {
        guard mask.count == dimensions.voxelCount else {
            throw SegmentationError.sizeMismatch(what: "mask", expected: dimensions.voxelCount, actual: mask.count)
        }
        // Only neighbours already visited in storage order (the "backward" half of the neighbourhood).
        let backward = connectivity.offsets.filter { ($0.2, $0.1, $0.0) < (0, 0, 0) }
        let deltas = backward.map { dimensions.index($0.0, $0.1, $0.2) - dimensions.index(0, 0, 0) }
        var parent = [Int32](repeating: -1, count: mask.count)
        var labels = [Int32](repeating: 0, count: mask.count)
        var sizes: [Int] = []
        parent.withUnsafeMutableBufferPointer { parent in
            func root(_ v: Int) -> Int {
                var v = v
                while Int(parent[v]) != v { parent[v] = parent[Int(parent[v])]; v = Int(parent[v]) }
                return v
            }
            for k in 0..<dimensions.z { for j in 0..<dimensions.y { for i in 0..<dimensions.x {
                let index = dimensions.index(i, j, k)
                guard mask[index] else { continue }
                parent[index] = Int32(index)
                let interior = i > 0 && j > 0 && k > 0 && i < dimensions.x - 1 && j < dimensions.y - 1
                for (n, (di, dj, dk)) in backward.enumerated() {
                    if !interior {
                        let (a, b, c) = (i + di, j + dj, k + dk)
                        guard a >= 0, b >= 0, c >= 0, a < dimensions.x, b < dimensions.y else { continue }
                    }
                    let other = index + deltas[n]
                    guard mask[other] else { continue }
                    let (r1, r2) = (root(index), root(other))
                    if r1 != r2 { parent[max(r1, r2)] = Int32(min(r1, r2)) }
                }
            } } }
            // A root is the smallest index of its component, so it is numbered before any member.
            for index in 0..<mask.count where mask[index] {
                let r = root(index)
                if r == index { sizes.append(0); labels[index] = Int32(sizes.count) } else { labels[index] = labels[r] }
                sizes[Int(labels[index]) - 1] += 1
            }
        }
        self.labels = labels
        self.sizes = sizes
    }
}

/// The mask without its connected components of fewer than `minimumSize` voxels (e.g. fat specks,
/// as Comp2Comp drops IMAT components under 10 pixels).
public func removeSmallComponents(_ mask: [Bool], dimensions: Dimensions, minimumSize: Int,
                                  connectivity: Connectivity = .all) throws -> [Bool] {
    guard minimumSize > 1 else { return mask }
    let components = try ConnectedComponents(mask, dimensions: dimensions, connectivity: connectivity)
    return components.labels.map { $0 > 0 && components.sizes[Int($0) - 1] >= minimumSize }
}
