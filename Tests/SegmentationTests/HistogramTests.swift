import Testing
import VolumeCore
@testable import Segmentation

@Suite struct HistogramTests {
    @Test func integerDataGetsOneBinPerValueCentredOnIt() throws {
        let values: [Float] = [3, 5, 5, 7, 100]
        let labels: [UInt16] = [1, 1, 2, 1, 0]
        let h = try Histogram(values: values, labels: labels, selection: .anyLabel)
        #expect(h.isExact)
        #expect(h.binCount == 5)
        #expect(h.counts == [1, 0, 2, 0, 1])
        #expect(h.centre(ofBin: 0) == 3)
        #expect(h.upperEdge(ofBin: 0) == 3.5)
        let only2 = try Histogram(values: values, labels: labels, selection: .label(2))
        #expect(only2.counts == [1] && only2.centre(ofBin: 0) == 5)
    }

    @Test func explicitBinCountSpansMinToMaxWithTheMaximumInTheLastBin() throws {
        let values: [Float] = [0, 0.5, 1, 2, 4]
        let h = try Histogram(values: values, labels: [UInt16](repeating: 1, count: 5), selection: .anyLabel, binning: .count(4))
        #expect(!h.isExact)
        #expect(h.origin == 0 && h.binWidth == 1)
        #expect(h.counts == [2, 1, 1, 1])
        #expect(h.centre(ofBin: 3) == 3.5)
        #expect(h.roundingVariance == 1.0 / 12)
    }

    @Test func nonIntegerDataGetsTheAutomaticBinCount() throws {
        let h = try Histogram(values: [0.5, 1.25, 2], labels: [1, 1, 1], selection: .anyLabel)
        #expect(h.binCount == 4096 && h.total == 3)
    }

    @Test func sameCountsForAnyWorkerCount() throws {
        var random = SeededRandom(seed: 5)
        let n = 300_000  // several chunks
        let values = (0..<n).map { _ in Float((1000 + 200 * random.normal()).rounded()) }
        let labels = (0..<n).map { _ in UInt16(random.uniform() < 0.3 ? 44 : 0) }
        let one = try Histogram(values: values, labels: labels, selection: .label(44), workers: 1)
        let two = try Histogram(values: values, labels: labels, selection: .label(44), workers: 2)
        #expect(one == two)
        #expect(one.total == labels.filter { $0 == 44 }.count)
    }

    @Test func emptyMaskNaNAndMismatchAreErrors() {
        #expect(throws: SegmentationError.emptyMask("label 9")) {
            try Histogram(values: [1, 2], labels: [1, 1], selection: .label(9))
        }
        #expect(throws: SegmentationError.nonFiniteValue(index: 1)) {
            try Histogram(values: [1, .nan], labels: [1, 1], selection: .anyLabel)
        }
        #expect(throws: SegmentationError.sizeMismatch(what: "label map", expected: 2, actual: 1)) {
            try Histogram(values: [1, 2], labels: [1], selection: .anyLabel)
        }
    }

    @Test func oneVoxelGivesOneBin() throws {
        let h = try Histogram(values: [42.5], labels: [3], selection: .anyLabel)
        #expect(h.binCount == 1 && h.total == 1)
    }
}
