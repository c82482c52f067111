import Foundation
import Testing
import VolumeCore
@testable import Segmentation

/// Worst per-muscle errors over phantoms of several noise levels (SNR 15, 30), bias fields (±10 %, ±20 %) and
/// streak widths, for the methods IMATKit uses and for MuscleMap-style baselines; each condition's line is
/// printed (`swift test --filter AccuracySweep`, 1.5 min in debug). The pve and Dixon methods must stay within
/// 0.01 of the truth everywhere, and far ahead of the two-class Gaussian mixture per muscle.
@Suite struct AccuracySweep {
    @Test func sweep() throws {
        let methods: [(String, TissueAnalysisOptions)] = [
            ("pve pooled + bias", TissueAnalysisOptions(method: .partialVolume)),
            ("pve per label + bias", TissueAnalysisOptions(method: .partialVolume, scope: .perLabel)),
            ("gmm3 pooled + bias", TissueAnalysisOptions(method: .gaussianMixture, classes: 3)),
            ("baseline gmm3 per label", TissueAnalysisOptions(method: .gaussianMixture, classes: 3, biasCorrection: false, scope: .perLabel)),
            ("baseline gmm2 per label", TissueAnalysisOptions(method: .gaussianMixture, classes: 2, biasCorrection: false, scope: .perLabel)),
            ("baseline kmeans2 per label", TissueAnalysisOptions(method: .kMeans, classes: 2, biasCorrection: false, scope: .perLabel)),
            ("dixon", TissueAnalysisOptions(method: .dixon)),
        ]
        var worst = [String: (mean: Double, hard: Double)]()
        for snr in [15.0, 30] {
            for amplitude in [0.1, 0.2] {
                for scale in [1.0, 2.5] {
                    let p = SyntheticMuscles(dimensions: Dimensions(96, 96, 16), fatShares: [0.03, 0.1, 0.2, 0.3], snr: snr,
                                             biasAmplitude: amplitude, streakScale: scale, seed: UInt64(snr * 10 + amplitude * 100 + scale))
                    var line = String(format: "SWEEP snr %2.0f bias±%.2f streak %.1f |", snr, amplitude, scale)
                    for (name, options) in methods {
                        let result = try analyzeTissue(p.images, options: options)
                        var m = 0.0, h = 0.0
                        for r in result.labels {
                            let t = p.truth(r.label)
                            m = max(m, abs(r.fatFractionMean - t.mean))
                            h = max(h, abs(Double(r.fatVoxels) / Double(r.voxels) - t.hard))
                        }
                        let w = worst[name] ?? (0, 0)
                        worst[name] = (max(w.mean, m), max(w.hard, h))
                        line += String(format: " %@ %.4f/%.4f |", name, m, h)
                    }
                    print(line)
                }
            }
        }
        for (name, _) in methods {
            print(String(format: "SWEEP worst %-28@ fat_fraction_mean %.4f  hard %.4f", name as NSString, worst[name]!.mean, worst[name]!.hard))
        }
        for name in ["pve pooled + bias", "pve per label + bias", "dixon"] {
            let w = try #require(worst[name])
            #expect(w.mean < 0.01 && w.hard < 0.01, "\(name): worst fat_fraction_mean error \(w.mean), hard \(w.hard)")
        }
        let pve = try #require(worst["pve pooled + bias"]), baseline = try #require(worst["baseline gmm2 per label"])
        #expect(baseline.mean > 5 * pve.mean, "the baseline's worst error \(baseline.mean) against pve's \(pve.mean)")
    }
}
