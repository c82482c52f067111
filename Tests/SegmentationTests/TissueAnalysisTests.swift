import Foundation
import Testing
import VolumeCore
@testable import Segmentation

@Suite struct TissueAnalysisTests {
    static let small = SyntheticMuscles(dimensions: Dimensions(40, 40, 4), snr: 20, biasAmplitude: 0.15, seed: 3)

    @Test(arguments: [SegmentationMethod.partialVolume, .gaussianMixture, .kMeans, .otsu, .dixon])
    func resultsAreIdenticalForOneAndTwoWorkers(method: SegmentationMethod) throws {
        // The bias field (method-independent) is exercised once, with the partial-volume method.
        let options = { (workers: Int) in
            TissueAnalysisOptions(method: method, classes: 3, minimumFatComponent: 3, biasCorrection: method == .partialVolume, workers: workers)
        }
        let one = try analyzeTissue(Self.small.images, options: options(1))
        let two = try analyzeTissue(Self.small.images, options: options(2))
        #expect(one.tissue == two.tissue)
        #expect(one.fatFraction.values == two.fatFraction.values)
        #expect(one.labels.map(\.fatFractionMean) == two.labels.map(\.fatFractionMean))
        #expect(one.biasFieldPeakToPeak == two.biasFieldPeakToPeak)
    }

    @Test func mapsAndCountsAreConsistent() throws {
        let p = Self.small
        let result = try analyzeTissue(p.images, options: TissueAnalysisOptions(classes: 3))
        #expect(result.labels.map(\.label) == SyntheticMuscles.muscleLabels)
        let map = result.fatFraction.values(in: 0..<p.labels.count)
        for r in result.labels {
            #expect(r.voxels == p.labels.filter { $0 == r.label }.count)
            // With the partial-volume method the reported mean is the mean of the map.
            let mapMean = p.labels.indices.filter { p.labels[$0] == r.label }.reduce(0.0) { $0 + Double(map[$1]) } / Double(r.voxels)
            #expect(abs(mapMean - r.fatFractionMean) < 1e-6)
            #expect(r.leanVoxels + r.fatVoxels + r.undefinedVoxels == r.voxels)
            #expect(r.fatFractionMean.isFinite && r.thresholds.count == 2)
        }
        for i in p.labels.indices {
            #expect((result.tissue[i] == 0) == (p.labels[i] == 0))
            #expect(map[i] >= 0 && map[i] <= 1)
            if p.labels[i] == 0 { #expect(map[i] == 0) }
        }
        #expect(result.biasFieldPeakToPeak! > 0.1)
    }

    @Test func emptyMaskIsAClearError() {
        let d = Dimensions(4, 4, 2)
        let images = TissueImages(dimensions: d, image: [Float](repeating: 5, count: d.voxelCount), labels: [UInt16](repeating: 0, count: d.voxelCount))
        #expect(throws: SegmentationError.emptyMask("the label map")) { try analyzeTissue(images, options: TissueAnalysisOptions()) }
    }

    @Test func erodingEverythingAwayIsAClearError() {
        let d = Dimensions(4, 4, 2)
        let images = TissueImages(dimensions: d, image: [Float](repeating: 5, count: d.voxelCount), labels: [UInt16](repeating: 1, count: d.voxelCount))
        #expect(throws: SegmentationError.self) { try analyzeTissue(images, options: TissueAnalysisOptions(erosion: 1)) }
    }

    @Test func missingImagesAndBadSizesAreClearErrors() {
        let d = Dimensions(4, 4, 2)
        let labels = [UInt16](repeating: 1, count: d.voxelCount)
        #expect(throws: SegmentationError.missingInput("the Dixon method needs water and fat images")) {
            try analyzeTissue(TissueImages(dimensions: d, image: [Float](repeating: 1, count: d.voxelCount), labels: labels),
                              options: TissueAnalysisOptions(method: .dixon))
        }
        #expect(throws: SegmentationError.sizeMismatch(what: "image", expected: 32, actual: 3)) {
            try analyzeTissue(TissueImages(dimensions: d, image: [1, 2, 3], labels: labels), options: TissueAnalysisOptions())
        }
        #expect(throws: SegmentationError.invalidParameter("classes must be 2 or 3, got 4")) {
            try analyzeTissue(Self.small.images, options: TissueAnalysisOptions(classes: 4))
        }
    }

    @Test(arguments: [SegmentationMethod.partialVolume, .gaussianMixture, .kMeans, .otsu, .dixon])
    func aOneVoxelMuscleAndAOneIntensityMuscleGiveDefinedResults(method: SegmentationMethod) throws {
        let d = Dimensions(6, 6, 6)
        var labels = [UInt16](repeating: 0, count: d.voxelCount)
        labels[d.index(3, 3, 3)] = 5
        let flat = [Float](repeating: 700, count: d.voxelCount)
        for scope in [FitScope.pooled, .perLabel] {
            let images = TissueImages(dimensions: d, image: flat, water: flat, fat: flat, labels: labels)
            let one = try analyzeTissue(images, options: TissueAnalysisOptions(method: method, biasCorrection: false, scope: scope))
            #expect(one.labels.count == 1 && one.labels[0].voxels == 1)
            #expect(one.labels[0].fatFractionMean.isFinite)
            #expect(one.fatFraction.values.allSatisfy { $0.isFinite })
            var many = labels
            for i in 0..<d.voxelCount where i % 2 == 0 { many[i] = 6 }
            let flatMuscle = try analyzeTissue(TissueImages(dimensions: d, image: flat, water: flat, fat: flat, labels: many),
                                               options: TissueAnalysisOptions(method: method, scope: scope))
            #expect(flatMuscle.labels.allSatisfy { $0.fatFractionMean.isFinite })
            if method != .dixon { #expect(flatMuscle.labels.allSatisfy { $0.leanVoxels == $0.voxels }) }
        }
    }

    @Test func smallFatSpecksAreCountedAsLean() throws {
        let p = Self.small
        let all = try analyzeTissue(p.images, options: TissueAnalysisOptions(biasCorrection: false))
        let despeckled = try analyzeTissue(p.images, options: TissueAnalysisOptions(minimumFatComponent: 20, biasCorrection: false))
        let fat = { (r: TissueAnalysis) in r.labels.reduce(0) { $0 + $1.fatVoxels } }
        #expect(fat(despeckled) < fat(all))
        #expect(all.labels.map(\.fatFractionMean) == despeckled.labels.map(\.fatFractionMean))
    }
}
