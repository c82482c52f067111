import Testing
import VolumeCore
@testable import Segmentation

@Suite struct MaskRunsTests {
    /// Sparse labels with runs that touch row ends, single voxels and blocks of 16 zeros on either side.
    static func sparseLabels(_ d: Dimensions, seed: UInt64) -> [UInt16] {
        var random = SeededRandom(seed: seed)
        var labels = [UInt16](repeating: 0, count: d.voxelCount)
        for i in labels.indices where random.uniform() < 0.04 {
            let length = Int(random.uniform() * 12)
            let label = UInt16(1 + Int(random.uniform() * 3))
            for n in i..<min(i + length, labels.count) { labels[n] = label }
        }
        labels[0] = 2; labels[d.x - 1] = 1; labels[labels.count - 1] = 3
        return labels
    }

    @Test(arguments: [LabelSelection.anyLabel, .label(2), .label(0)])
    func selectedVoxelsAreVisitedInVoxelOrder(selection: LabelSelection) throws {
        let d = Dimensions(37, 11, 9)
        let labels = Self.sparseLabels(d, seed: 3)
        let expected = labels.indices.filter { selection.contains(labels[$0]) }
        // forEachSelected over uneven ranges (chunk starts inside 16-voxel blocks).
        var visited: [Int] = []
        for range in Parallel.ranges(labels.count, chunkSize: 101) {
            forEachSelected(in: range, labels: labels, selection: selection) { visited.append($0) }
        }
        #expect(visited == expected)
        let mask = MaskRuns(labels: labels, dimensions: d, selection: selection, workers: 2)
        #expect(mask.count == expected.count)
        let positions = (0..<labels.count).map(Float.init)
        #expect(mask.gather(positions) == expected.map(Float.init))
        #expect(mask.gather(labels) == expected.map { labels[$0] })
        #expect((0..<mask.count).map(mask.voxelIndex(atCompact:)) == expected)
    }

    @Test func gatherFiniteNamesTheVoxelOfTheFirstNaN() {
        let d = Dimensions(8, 2, 1)
        var labels = [UInt16](repeating: 0, count: 16)
        for i in [2, 3, 9, 12] { labels[i] = 1 }
        var image = [Float](repeating: 1, count: 16)
        image[12] = .infinity
        image[5] = .nan  // outside the mask: not looked at
        let mask = MaskRuns(labels: labels, dimensions: d, selection: .anyLabel, workers: 1)
        #expect(throws: SegmentationError.nonFiniteValue(index: 12)) { try mask.gatherFinite(ImageValues(image)) }
    }

    /// Stored integers with a scaling are gathered as the Float copy of the whole image would give them.
    @Test func gatheringStoredValuesEqualsGatheringTheirFloatCopy() throws {
        let d = Dimensions(9, 7, 5)
        var random = SeededRandom(seed: 4)
        let labels = (0..<d.voxelCount).map { _ in UInt16(random.uniform() < 0.3 ? 1 + Int(random.uniform() * 3) : 0) }
        let stored = (0..<d.voxelCount).map { _ in UInt16(random.uniform() * 4000) }
        let mask = MaskRuns(labels: labels, dimensions: d, selection: .anyLabel, workers: 2)
        for scaling in [IntensityScaling.identity, IntensityScaling(slope: 0.37, intercept: -12.5)] {
            let volume = Volume(dimensions: d, spacing: SIMD3(1, 1, 1), storage: .uint16(stored), scaling: scaling)
            let gathered = try mask.gatherFinite(ImageValues(volume))
            #expect(gathered == mask.gather(volume.floatValues()))
            #expect(gathered.count == labels.filter { $0 != 0 }.count)
        }
    }

    /// A fat–water swap undone on images stored alike stays in their type; a mixed pair becomes Float32, values kept.
    @Test func exchangingSlicesKeepsEveryValue() {
        let d = Dimensions(3, 2, 4)
        let a = (0..<d.voxelCount).map { UInt16($0) }, b = (0..<d.voxelCount).map { UInt16(1000 + $0) }
        var (water, fat) = (ImageValues(Volume(dimensions: d, spacing: SIMD3(1, 1, 1), storage: .uint16(a))),
                            ImageValues(Volume(dimensions: d, spacing: SIMD3(1, 1, 1), storage: .uint16(b))))
        water.exchangeSlices([1, 3], sliceSize: d.sliceVoxelCount, with: &fat)
        #expect(water.storage.voxelType == .uint16 && fat.storage.voxelType == .uint16)
        let plane = d.sliceVoxelCount
        for i in 0..<d.voxelCount {
            let swapped = [1, 3].contains(i / plane)
            #expect(water.value(at: i) == Float(swapped ? b[i] : a[i]) && fat.value(at: i) == Float(swapped ? a[i] : b[i]))
        }
        var (mixed, float) = (ImageValues(Volume(dimensions: d, spacing: SIMD3(1, 1, 1), storage: .uint16(a))),
                              ImageValues((0..<d.voxelCount).map { Float($0) + 0.5 }))
        mixed.exchangeSlices([0], sliceSize: plane, with: &float)
        #expect(mixed.storage.voxelType == .float32 && mixed.value(at: 0) == 0.5 && float.value(at: 0) == 0 && mixed.value(at: plane) == Float(plane))
    }

    @Test func unlabelledHistogramEqualsTheAllSelectedOne() throws {
        var random = SeededRandom(seed: 8)
        let values = (0..<200_000).map { _ in Float(500 + 100 * random.normal()) }
        let all = try Histogram(values: values, binning: .count(300), workers: 2)
        let labelled = try Histogram(values: values, labels: [UInt16](repeating: 7, count: values.count), selection: .anyLabel,
                                     binning: .count(300), workers: 1)
        #expect(all == labelled)
        #expect(throws: SegmentationError.emptyMask("an empty set of values")) { try Histogram(values: []) }
    }
}
