import Analysis
import Foundation
import Phantom
import TestSupport
import Testing
import VolumeCore
import VolumeIO

/// Accuracy on real anatomy with known truth: MyoSegmenTUM's real lumbar water and fat maps (Fixtures/real)
/// with Rician noise of known σ added, so the truth is the maps' own fat fraction F/(F+W) per voxel.
/// `Benchmarks/real_anatomy.py` runs the same sweep with more noise levels and a second volunteer.
@Suite(.serialized) struct RealAnatomyAccuracyTests {
    struct Maps {
        var water: [Double], fat: [Double], labels: [UInt16], mask: Volume
        /// Median W + F over the muscles: the signal SNR is defined against.
        var signal: Double
        /// Per label 1…4: the mean of F/(F+W) and the share of voxels with F/(F+W) > 0.5.
        var truthMean: [Double], truthIMAT: [Double]
    }

    static func fixture(_ name: String) -> Volume {
        try! VolumeFile.load(RealScanTests.fixtures.appendingPathComponent("myosegmentum/\(name)").path).volume
    }

    static let maps: Maps = {
        let load = fixture
        let mask = load("TUM01_fat_manual_label_segmentation_L2-L5.nii.gz")
        let water = load("TUM01_water_img_img_L2-L5.nii.gz").floatValues().map(Double.init)
        let fat = load("TUM01_fat_img_img_L2-L5.nii.gz").floatValues().map(Double.init)
        let labels = mask.storage.labelValues()!
        var sums = [Double](repeating: 0, count: 5), fatty = sums, counts = sums, signals: [Double] = []
        for i in labels.indices where labels[i] > 0 {
            let ff = fat[i] / max(water[i] + fat[i], 1e-12), l = Int(labels[i])
            sums[l] += ff; counts[l] += 1; fatty[l] += ff > 0.5 ? 1 : 0
            signals.append(water[i] + fat[i])
        }
        signals.sort()
        return Maps(water: water, fat: fat, labels: labels, mask: mask, signal: signals[signals.count / 2],
                    truthMean: (1...4).map { sums[$0] / counts[$0] }, truthIMAT: (1...4).map { fatty[$0] / counts[$0] })
    }()

    /// Writes a participant whose images are `images` (role → values) on the mask's grid, analyses it.
    static func analyze(_ images: [String: [Double]], settings: AnalysisSettings = AnalysisSettings()) throws -> ParticipantMetrics {
        let tmp = try TemporaryFolder()
        let m = maps.mask
        for (role, values) in images {
            try VolumeFile.save(Volume(dimensions: m.dimensions, spacing: m.spacing, affine: m.affine, storage: .float32(values.map(Float.init))),
                                to: tmp.file("P/\(role).nii.gz"))
        }
        try VolumeFile.save(m, to: tmp.file("P/mask.nii.gz"))
        var settings = settings
        settings.labels = "none"
        return try ParticipantAnalyzer.analyze(tmp.file("P"), settings: settings).metrics
    }

    static func rician(_ amplitudes: [Double], sigma: Double, random: inout RandomStream) -> [Double] {
        amplitudes.map { a in
            let (n1, n2) = random.normalPair()
            return ((a + sigma * n1) * (a + sigma * n1) + sigma * n2 * sigma * n2).squareRoot()
        }
    }

    @Test(arguments: [12.0, 20.0])
    func dixonIsWithinOneHundredthOfTheTruth(snr: Double) throws {
        let maps = Self.maps, sigma = maps.signal / snr
        var random = RandomStream([16, UInt64(snr)])
        let metrics = try Self.analyze(["water": Self.rician(maps.water, sigma: sigma, random: &random),
                                        "fat": Self.rician(maps.fat, sigma: sigma, random: &random)])
        let noise = try #require(metrics.noise)
        #expect(noise.source == "background" && abs(noise.sigma / sigma - 1) < 0.02, "σ \(noise.sigma) for \(sigma)")
        #expect(metrics.muscles.map(\.label) == [1, 2, 3, 4])
        for muscle in metrics.muscles {
            let truth = maps.truthMean[muscle.label - 1]
            let corrected = muscle.composition.fatFractionMean, plain = try #require(muscle.composition.signalFatFractionMean)
            #expect(abs(corrected - truth) < 0.01, "label \(muscle.label): \(corrected) for \(truth)")
            #expect(plain - truth > 0.01, "the plain ratio carries the noise floor: \(plain) for \(truth)")
        }
    }

    /// Two-point Dixon: in-phase W + F and opposed-phase |W − F| made from the real maps, each with Rician noise.
    /// The dominant tissue is chosen by anatomy (fat is 2.7 times brighter in phase than lean muscle here), so the
    /// muscles' voxels with more fat than water (2 % of them) are not read as their complement.
    @Test(arguments: [12.0, 20.0])
    func twoPointDixonIsWithinTwoHundredthsOfTheTruth(snr: Double) throws {
        let maps = Self.maps, sigma = maps.signal / snr
        var random = RandomStream([17, UInt64(snr)])
        let metrics = try Self.analyze(["in_phase": Self.rician(zip(maps.water, maps.fat).map { $0 + $1 }, sigma: sigma, random: &random),
                                        "opposed_phase": Self.rician(zip(maps.water, maps.fat).map { abs($0 - $1) }, sigma: sigma, random: &random)])
        #expect(metrics.source == .dixonTwoPoint)
        let summary = try #require(metrics.twoPointDixon)
        let fatReference = try #require(summary.fatReference)
        #expect(fatReference / summary.leanReference > 2, "fat \(fatReference), lean \(summary.leanReference)")
        #expect(summary.regions.map(\.label) == [1, 2, 3, 4] && summary.regions.contains { $0.fatDominantVoxels > 0 })
        for muscle in metrics.muscles {
            let truth = maps.truthMean[muscle.label - 1]
            #expect(abs(muscle.composition.fatFractionMean - truth) < 0.02, "label \(muscle.label): \(muscle.composition.fatFractionMean) for \(truth)")
        }
    }

    /// Without anatomy to tell the tissues apart (fat no brighter than muscle in phase), every voxel is taken as
    /// water-dominant, and the result says so rather than guessing.
    @Test func twoPointDixonWithoutAFatReferenceSaysSo() throws {
        let maps = Self.maps
        let signal = zip(maps.water, maps.fat).map { $0 + $1 }, difference = zip(maps.water, maps.fat).map { abs($0 - $1) }
        // Scale every voxel to the lean signal, so no voxel is brighter than muscle.
        let lean = maps.signal
        let scale = signal.map { $0 > 0 ? lean / $0 : 0 }
        let metrics = try Self.analyze(["in_phase": zip(signal, scale).map { $0 * $1 }, "opposed_phase": zip(difference, scale).map { $0 * $1 }])
        let summary = try #require(metrics.twoPointDixon)
        #expect(summary.fatReference == nil && summary.regions.allSatisfy { $0.fatDominantVoxels == 0 })
        #expect(metrics.warnings.contains { $0.contains("water-dominant") })
    }

    /// A T1w image made from the real fat-fraction map: lean 1000, fat 3000, a smooth 40 % field, Rician noise.
    @Test func t1HardIMATFractionIsNearTheTruth() throws {
        let maps = Self.maps, d = maps.mask.dimensions
        var random = RandomStream([16, 1])
        var amplitude = [Double](repeating: 0, count: maps.water.count)
        for k in 0..<d.z {
            for j in 0..<d.y {
                for i in 0..<d.x {
                    let n = d.index(i, j, k), s = maps.water[n] + maps.fat[n]
                    guard s > 0 else { continue }
                    let (x, y, z) = (Double(i) / Double(d.x - 1) * 2 - 1, Double(j) / Double(d.y - 1) * 2 - 1, Double(k) / Double(d.z - 1) * 2 - 1)
                    let field = 1 + 0.2 * (0.6 * x + 0.5 * y + 0.3 * z + 0.4 * x * y - 0.3 * y * y) / 1.4
                    amplitude[n] = 1000 * (1 + 2 * maps.fat[n] / s) * field
                }
            }
        }
        let metrics = try Self.analyze(["t1": Self.rician(amplitude, sigma: 1000 / 20, random: &random)])
        for muscle in metrics.muscles {
            let truth = maps.truthIMAT[muscle.label - 1], measured = muscle.composition.imatFraction
            #expect(abs(measured - truth) < 0.03, "label \(muscle.label): \(measured) for \(truth)")
        }
    }
}
