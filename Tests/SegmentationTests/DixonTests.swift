import Foundation
import Testing
import VolumeCore
@testable import Segmentation

@Suite struct DixonTests {
    /// Muscle voxels (label 1) of known fat fractions inside a Rayleigh-noise background (label 0).
    struct Pair {
        var water: [Float] = [], fat: [Float] = [], labels: [UInt16] = [], truth: [Double] = []

        init(fractions: [Double], perFraction: Int, sigma: Double, background: Int = 4000, seed: UInt64) {
            var random = SeededRandom(seed: seed)
            for a in fractions {
                for _ in 0..<perFraction {
                    water.append(Float(random.rician(1000 * (1 - a), sigma: sigma).rounded()))
                    fat.append(Float(random.rician(1000 * a, sigma: sigma).rounded()))
                    labels.append(1); truth.append(a)
                }
            }
            for _ in 0..<background {
                water.append(Float(random.rician(0, sigma: sigma).rounded()))
                fat.append(Float(random.rician(0, sigma: sigma).rounded()))
                labels.append(0); truth.append(0)
            }
        }

        var trueMean: Double { zip(truth, labels).filter { $0.1 == 1 }.map(\.0).reduce(0, +) / Double(labels.filter { $0 == 1 }.count) }

        func mean(_ f: (Double, Double) -> Double) -> Double {
            var sum = 0.0, n = 0.0
            for i in labels.indices where labels[i] == 1 { sum += f(Double(water[i]), Double(fat[i])); n += 1 }
            return sum / n
        }
    }

    @Test func noiseFreeFractionsAreExact() throws {
        let p = Pair(fractions: [0, 0.1, 0.25, 0.7, 1], perFraction: 3, sigma: 0, background: 0, seed: 1)
        let model = try DixonFatFraction(water: p.water, fat: p.fat, labels: p.labels, selection: .label(1), sigma: 0)
        for i in p.labels.indices {
            #expect(abs(model.fatFraction(water: Double(p.water[i]), fat: Double(p.fat[i])) - p.truth[i]) < 1e-3)
        }
        #expect(model.fatFraction(water: 0, fat: 0) == 0)
    }

    /// Several muscles fitted at once, their strata spread over the threads: the same models for any thread
    /// count, and each the model of its muscle fitted alone.
    @Test func modelsAreTheSameForAnyThreadCount() throws {
        var p = Pair(fractions: [0, 0.05, 0.3], perFraction: 600, sigma: 50, seed: 9)
        for i in p.labels.indices where p.labels[i] == 1 && i % 3 == 0 { p.labels[i] = 2 }
        let fits = try [1, 2, 5].map { workers in
            try DixonFatFraction.fitted(water: p.water, fat: p.fat, labels: p.labels, selections: [.label(1), .label(2)], sigma: 50, workers: workers)
        }
        let alone = try DixonFatFraction(water: p.water, fat: p.fat, labels: p.labels, selection: .label(2), sigma: 50, workers: 1)
        func fractions(_ model: DixonFatFraction) -> [UInt64] {
            p.labels.indices.map { model.fatFraction(water: Double(p.water[$0]), fat: Double(p.fat[$0])).bitPattern }
        }
        for fit in fits.dropFirst() {
            #expect(fractions(fit[0]) == fractions(fits[0][0]))
            #expect(fractions(fit[1]) == fractions(fits[0][1]))
        }
        #expect(fractions(alone) == fractions(fits[0][1]))
        #expect(fractions(fits[0][0]) != fractions(fits[0][1]))
    }

    @Test func airSigmaIsRecovered() throws {
        let p = Pair(fractions: [0.1], perFraction: 2000, sigma: 40, background: 20_000, seed: 2)
        let air = try #require(try RicianNoise.airSigma(water: ImageValues(p.water), fat: ImageValues(p.fat), labels: p.labels))
        #expect(abs(air.sigma - 40) < 0.02 * 40)
        #expect(air.values > 20_000)
        #expect(try RicianNoise.airSigma(water: ImageValues([1, 2, 3]), fat: ImageValues([1, 2, 3]), labels: [0, 0, 0]) == nil)
    }

    /// A water map stored as integers beside a fat map stored as floats (as MyoSegmenTUM's are): each image's
    /// values truncated midway between the values it can hold, so the fit settles instead of cycling as whole
    /// water values cross a continuous cutoff.
    @Test func airSigmaOfMixedStorageSettles() throws {
        var random = SeededRandom(seed: 11)
        let sigma = 10.0, count = 60_000
        let water = (0..<count).map { _ in random.rician(0, sigma: sigma) }, fat = (0..<count).map { _ in random.rician(0, sigma: sigma) }
        let labels = [UInt16](repeating: 0, count: count)
        let continuous = try #require(try RicianNoise.airSigma(water: ImageValues(water.map { Float($0) }), fat: ImageValues(fat.map { Float($0) }), labels: labels))
        let mixed = try #require(try RicianNoise.airSigma(water: ImageValues(water.map { Float($0.rounded()) }), fat: ImageValues(fat.map { Float($0) }), labels: labels))
        #expect(abs(continuous.sigma - sigma) < 0.01 * sigma, "σ \(continuous.sigma)")
        // Rounding adds variance 1/12 to the water values, a 0.2 % rise in σ here; cycling moved σ by ±1 %.
        #expect(abs(mixed.sigma - continuous.sigma) < 0.004 * sigma, "mixed σ \(mixed.sigma), continuous \(continuous.sigma)")
        // Fat on a lattice that is not the integers (multiples of 1.549, as MyoSegmenTUM's fat maps).
        let step = 1.5492063
        let lattice = try #require(try RicianNoise.airSigma(water: ImageValues(water.map { Float($0.rounded()) }), fat: ImageValues(fat.map { Float(($0 / step).rounded() * step) }), labels: labels))
        #expect(abs(lattice.sigma - continuous.sigma) < 0.004 * sigma, "lattice σ \(lattice.sigma), continuous \(continuous.sigma)")
    }

    /// Lean tissue is dark in the fat image and fat dark in the water image: neither may count as air.
    @Test func darkTissueOfOneImageIsNotAir() throws {
        var p = Pair(fractions: [0.1], perFraction: 2000, sigma: 40, background: 20_000, seed: 5)
        // Unlabelled lean tissue (fat signal 0) and subcutaneous fat (water signal 0) beside the air.
        var random = SeededRandom(seed: 6)
        for (water, fat) in [(800.0, 0.0), (0, 2400)] {
            for _ in 0..<20_000 {
                p.water.append(Float(random.rician(water, sigma: 40).rounded()))
                p.fat.append(Float(random.rician(fat, sigma: 40).rounded()))
                p.labels.append(0)
            }
        }
        let air = try #require(try RicianNoise.airSigma(water: ImageValues(p.water), fat: ImageValues(p.fat), labels: p.labels))
        #expect(abs(air.sigma - 40) < 0.02 * 40, "σ \(air.sigma)")
    }

    /// At SNR 20 (σ = 50 for a total signal of 1000), low-fat muscle.
    @Test func noiseFloorBiasIsRemoved() throws {
        let p = Pair(fractions: [0, 0, 0, 0.02, 0.05, 0.5, 1], perFraction: 700, sigma: 50, seed: 3)
        let truth = p.trueMean
        let raw = p.mean { w, f in f / (w + f) } - truth
        let power = p.mean { w, f in
            let (wc, fc) = (RicianNoise.powerCorrected(w, sigma: 50), RicianNoise.powerCorrected(f, sigma: 50))
            return fc / (wc + fc)
        } - truth
        let model = try DixonFatFraction(water: p.water, fat: p.fat, labels: p.labels, selection: .label(1), sigma: 50)
        let deconvolved = p.mean { model.fatFraction(water: $0, fat: $1) } - truth
        #expect(raw > 0.02)
        #expect(abs(power) < raw / 2)
        #expect(abs(deconvolved) < 0.008)
        #expect(abs(deconvolved) < abs(power))
        #expect(abs(model.meanFatFraction! - truth - deconvolved) < 1e-3, "the map averages to the fitted prior's mean")
    }

    @Test func besselApproximationMatchesTheSeries() {
        for z in [0.0, 0.5, 2, 3.7, 3.8, 10, 50] {
            // I₀(z) = Σ (z²/4)^k / (k!)²
            var term = 1.0, sum = 1.0
            for k in 1..<200 { term *= (z * z / 4) / Double(k * k); sum += term }
            #expect(abs(RicianNoise.logBesselI0(z) - log(sum)) < 1e-6)
        }
    }
}
