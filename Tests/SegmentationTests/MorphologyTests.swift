import Testing
import VolumeCore
@testable import Segmentation

@Suite struct MorphologyTests {
    static func cube(_ d: Dimensions, from lo: Int, to hi: Int, label: UInt16 = 7) -> [UInt16] {
        var out = [UInt16](repeating: 0, count: d.voxelCount)
        for k in lo...hi { for j in lo...hi { for i in lo...hi { out[d.index(i, j, k)] = label } } }
        return out
    }

    @Test func erodingACubeByOneLeavesItsInterior() throws {
        let d = Dimensions(9, 9, 9)
        let eroded = try erodeLabels(Self.cube(d, from: 2, to: 6), dimensions: d, voxels: 1)
        #expect(eroded == Self.cube(d, from: 3, to: 5))
        let twice = try erodeLabels(Self.cube(d, from: 2, to: 6), dimensions: d, voxels: 2, connectivity: .all)
        #expect(twice.filter { $0 != 0 }.count == 1 && twice[d.index(4, 4, 4)] == 7)
    }

    @Test func sixAndTwentySixNeighbourhoodsDiffer() throws {
        // A 3×3×3 cube without its 8 corners: its centre's 6 face neighbours are all inside, not its 26.
        let d = Dimensions(5, 5, 5)
        var mask = Self.cube(d, from: 1, to: 3)
        for k in [1, 3] { for j in [1, 3] { for i in [1, 3] { mask[d.index(i, j, k)] = 0 } } }
        #expect(try erodeLabels(mask, dimensions: d, voxels: 1, connectivity: .faces).filter { $0 != 0 }.count == 1)
        #expect(try erodeLabels(mask, dimensions: d, voxels: 1, connectivity: .all).allSatisfy { $0 == 0 })
    }

    @Test func touchingLabelsAndTheVolumeEdgeErode() throws {
        let d = Dimensions(6, 3, 3)
        var labels = [UInt16](repeating: 1, count: d.voxelCount)
        for k in 0..<3 { for j in 0..<3 { for i in 3..<6 { labels[d.index(i, j, k)] = 2 } } }
        // Only the centre of each 3×3×3 half touches neither the volume's edge nor the other label.
        let eroded = try erodeLabels(labels, dimensions: d, voxels: 1)
        #expect(eroded.filter { $0 != 0 }.count == 2)
        #expect(eroded[d.index(1, 1, 1)] == 1 && eroded[d.index(4, 1, 1)] == 2)
        #expect(try erodeLabels(labels, dimensions: d, voxels: 0) == labels)
    }

    @Test func erosionIsTheSameForAnyWorkerCount() throws {
        let d = Dimensions(20, 20, 20)
        var random = SeededRandom(seed: 9)
        let labels = (0..<d.voxelCount).map { _ in UInt16(random.uniform() < 0.9 ? 3 : 0) }
        #expect(try erodeLabels(labels, dimensions: d, voxels: 1, workers: 1) == erodeLabels(labels, dimensions: d, voxels: 1, workers: 2))
    }

    @Test func componentsAreCountedPerConnectivity() throws {
        let d = Dimensions(6, 6, 6)
        var mask = [Bool](repeating: false, count: d.voxelCount)
        // A 2×2×2 block, a voxel touching it only at a corner, and a far single voxel.
        for k in 0...1 { for j in 0...1 { for i in 0...1 { mask[d.index(i, j, k)] = true } } }
        mask[d.index(2, 2, 2)] = true
        mask[d.index(5, 5, 5)] = true
        let faces = try ConnectedComponents(mask, dimensions: d, connectivity: .faces)
        let all = try ConnectedComponents(mask, dimensions: d, connectivity: .all)
        #expect(faces.sizes == [8, 1, 1])
        #expect(all.sizes == [9, 1])
        #expect(all.labels[d.index(2, 2, 2)] == all.labels[d.index(0, 0, 0)])
        let kept = try removeSmallComponents(mask, dimensions: d, minimumSize: 2, connectivity: .faces)
        #expect(kept.filter { $0 }.count == 8 && !kept[d.index(2, 2, 2)])
    }
}

extension MorphologyTests {
    /// Labelling by union–find agrees with a flood fill on a random mask, at both connectivities.
    @Test func componentsAgreeWithAFloodFill() throws {
        let d = Dimensions(16, 12, 10)
        var random = SeededRandom(seed: 21)
        // Densities below the percolation thresholds (0.31 for 6-, 0.10 for 26-connectivity), so there
        // are many components and a wrong neighbour would merge some.
        for (connectivity, density) in [(Connectivity.faces, 0.25), (.all, 0.08)] {
            let mask = (0..<d.voxelCount).map { _ in random.uniform() < density }
            let found = try ConnectedComponents(mask, dimensions: d, connectivity: connectivity)
            var seen = [Int32](repeating: 0, count: mask.count)
            var sizes: [Int] = []
            for start in mask.indices where mask[start] && seen[start] == 0 {
                sizes.append(0)
                var stack = [start]
                seen[start] = Int32(sizes.count)
                while let v = stack.popLast() {
                    sizes[sizes.count - 1] += 1
                    let (i, j, k) = (v % d.x, (v / d.x) % d.y, v / (d.x * d.y))
                    for (di, dj, dk) in connectivity.offsets {
                        let (a, b, c) = (i + di, j + dj, k + dk)
                        guard a >= 0, b >= 0, c >= 0, a < d.x, b < d.y, c < d.z else { continue }
                        let w = d.index(a, b, c)
                        if mask[w] && seen[w] == 0 { seen[w] = Int32(sizes.count); stack.append(w) }
                    }
                }
            }
            #expect(found.labels == seen)
            #expect(found.sizes == sizes)
        }
    }
}
