import Foundation
import Testing
import VolumeCore
@testable import Segmentation

/// End-to-end accuracy on the synthetic phantom (SNR 20, field ≈ 0.8…1.2), against the bars.
@Suite struct AccuracyTests {
    static let phantom = SyntheticMuscles(dimensions: Dimensions(64, 64, 8), snr: 20, biasAmplitude: 0.2, seed: 7)

    /// Per label: (estimated − true) mean fat fraction and hard fat share.
    static func errors(_ options: TissueAnalysisOptions, images: TissueImages = phantom.images) throws -> [(mean: Double, hard: Double)] {
        let result = try analyzeTissue(images, options: options)
        return result.labels.map { r in
            let t = phantom.truth(r.label)
            return (r.fatFractionMean - t.mean, Double(r.fatVoxels) / Double(r.voxels) - t.hard)
        }
    }

    @Test func partialVolumeMeetsTheT1Bars() throws {
        for e in try Self.errors(TissueAnalysisOptions(method: .partialVolume)) {
            #expect(abs(e.mean) <= 0.015)
            #expect(abs(e.hard) <= 0.02)
        }
    }

    @Test func dixonMeetsItsBar() throws {
        for e in try Self.errors(TissueAnalysisOptions(method: .dixon)) {
            #expect(abs(e.mean) <= 0.01)
            #expect(abs(e.hard) <= 0.02)
        }
    }

    @Test func muscleMapStyleBaselineIsFarWorse() throws {
        let baseline = try Self.errors(TissueAnalysisOptions(method: .gaussianMixture, biasCorrection: false, scope: .perLabel))
        let ours = try Self.errors(TissueAnalysisOptions(method: .partialVolume))
        #expect(baseline.map { abs($0.mean) }.max()! > 3 * ours.map { abs($0.mean) }.max()!)
    }

    @Test func biasCorrectionRecoversTheField() throws {
        let p = Self.phantom
        let correction = try BiasFieldCorrection(image: p.t1, dimensions: p.dimensions, labels: p.labels)
        // Compare fields normalised to geometric mean 1 over the muscles.
        let inside = p.labels.indices.filter { p.labels[$0] != 0 }
        let correctedImage = correction.corrected(p.t1)
        let estimated = inside.map { Double(p.t1[$0]) / Double(correctedImage[$0]) }
        let logMean = { (v: [Double]) in v.reduce(0) { $0 + log($1) } / Double(v.count) }
        let truth = inside.map { p.bias[$0] }
        let (a, b) = (exp(logMean(estimated)), exp(logMean(truth)))
        let worst = zip(estimated, truth).map { abs($0 / a - $1 / b) }.max()!
        #expect(worst < 0.03)
        let truePeakToPeak = (truth.max()! - truth.min()!) / b
        #expect(abs(correction.peakToPeak - truePeakToPeak) < 0.04)
        // Without correction the pooled fit is off by the field's spread between muscles.
        let uncorrected = try Self.errors(TissueAnalysisOptions(method: .partialVolume, biasCorrection: false))
        let corrected = try Self.errors(TissueAnalysisOptions(method: .partialVolume))
        #expect(corrected.map { abs($0.mean) }.max()! < uncorrected.map { abs($0.mean) }.max()!)
    }
}
