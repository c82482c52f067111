import Foundation
import Testing
@testable import Segmentation

@Suite struct ClusteringTests {
    /// Integer samples of a Gaussian mixture with known parameters.
    static func mixture(_ parts: [(weight: Double, mean: Double, sd: Double)], count: Int, seed: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed)
        var out: [Float] = []
        for part in parts {
            for _ in 0..<Int(part.weight * Double(count)) { out.append(Float((part.mean + part.sd * random.normal()).rounded())) }
        }
        return out
    }

    static func histogram(_ values: [Float]) throws -> Histogram {
        try Histogram(values: values, labels: [UInt16](repeating: 1, count: values.count), selection: .anyLabel)
    }

    @Test func kMeansOnTheHistogramEqualsLloydOnTheRawValues() throws {
        let values = Self.mixture([(0.5, 100, 15), (0.3, 160, 20), (0.2, 230, 25)], count: 20_000, seed: 2)
        let h = try Self.histogram(values)
        for k in 2...4 {
            let fit = try KMeans(h, clusters: k)
            // Lloyd on every raw value from the same deterministic start.
            var centres = IntensityClass.of(h, starts: try Otsu.partition(h, classes: k)).map(\.mean)
            for _ in 0..<300 {
                var sums = [Double](repeating: 0, count: k), counts = sums
                for v in values {
                    let j = centres.indices.min { abs(Double(v) - centres[$0]) < abs(Double(v) - centres[$1]) }!
                    sums[j] += Double(v); counts[j] += 1
                }
                let next = (0..<k).map { counts[$0] > 0 ? sums[$0] / counts[$0] : centres[$0] }
                if next == centres { break }
                centres = next
            }
            for (a, b) in zip(fit.clusters.map(\.mean), centres) { #expect(abs(a - b) < 1e-9 * b, "k = \(k)") }
        }
    }

    @Test func kMeansRejectsBadClusterCounts() throws {
        let h = try Self.histogram([1, 2, 3, 4, 5, 6])
        #expect(throws: SegmentationError.self) { try KMeans(h, clusters: 1) }
        #expect(throws: SegmentationError.self) { try KMeans(h, clusters: 6) }
    }

    @Test func gaussianMixtureRecoversKnownParameters() throws {
        let truth: [(weight: Double, mean: Double, sd: Double)] = [(0.6, 1000, 60), (0.3, 1600, 80), (0.1, 2400, 100)]
        let fit = try GaussianMixture(try Self.histogram(Self.mixture(truth, count: 100_000, seed: 3)), components: 3)
        #expect(fit.converged)
        for (c, t) in zip(fit.components, truth) {
            #expect(abs(c.weight - t.weight) < 0.01)
            #expect(abs(c.mean - t.mean) < 3)
            #expect(abs(c.standardDeviation - t.sd) < 0.03 * t.sd)
        }
        let p = fit.posteriors(at: 1300)
        #expect(abs(p.reduce(0, +) - 1) < 1e-12)
        let cuts = fit.thresholds
        #expect(cuts[0] > 1000 && cuts[0] < 1600 && cuts[1] > 1600 && cuts[1] < 2400)
        // At a threshold the two neighbouring components are equally probable.
        let q = fit.posteriors(at: cuts[0])
        #expect(abs(q[0] - q[1]) < 1e-6)
    }

    @Test func gaussianMixtureOfTwoValuesStaysFinite() throws {
        let fit = try GaussianMixture(try Self.histogram([10, 10, 10, 20, 20]), components: 3)
        #expect(fit.components.allSatisfy { $0.mean.isFinite && $0.standardDeviation > 0 })
        #expect(fit.thresholds.allSatisfy { $0.isFinite })
    }

    /// Lean, uniform partial volumes and fat, as fine fat streaks give: the partial-volume mixture
    /// finds the pure-tissue means, a 2-component Gaussian mixture does not.
    @Test func partialVolumeMixtureFindsPureTissueMeans() throws {
        var random = SeededRandom(seed: 4)
        var values: [Float] = [], fractions: [Double] = []
        for n in 0..<40_000 {
            let a = n % 10 < 8 ? 0 : (n % 10 == 8 ? random.uniform() : 1)
            fractions.append(a)
            values.append(Float((1000 + 2000 * a + 50 * random.normal()).rounded()))
        }
        let h = try Self.histogram(values)
        let pv = try PartialVolumeMixture(h)
        #expect(abs(pv.lean.mean - 1000) < 5)
        #expect(abs(pv.fat.mean - 3000) < 15)
        #expect(abs(pv.mixedWeight - 0.1) < 0.02)
        let estimate = values.reduce(0.0) { $0 + pv.expectedFatFraction(at: Double($1)) } / Double(values.count)
        let truth = fractions.reduce(0, +) / Double(fractions.count)
        #expect(abs(estimate - truth) < 0.003)
        let gmm = try GaussianMixture(h, components: 2)
        #expect(gmm.components[1].mean < 2900, "the plain mixture's fat mean is pulled down by partial volumes")
        let cut = pv.thresholds(classes: 2)[0]
        #expect(abs(cut - 2000) < 20)
        let three = pv.thresholds(classes: 3)
        #expect(three[0] > 1000 && three[0] < three[1] && three[1] < 3000)
    }

    @Test func classMapFollowsTheGaussianMixtureForAnyWorkerCount() throws {
        let values = Self.mixture([(0.7, 1000, 50), (0.3, 2000, 60)], count: 150_000, seed: 8)
        let labels = values.indices.map { UInt16($0 % 5 == 0 ? 0 : 1) }
        let fit = try GaussianMixture(try Histogram(values: values, labels: labels, selection: .anyLabel), components: 2)
        let one = try classMap(values, labels: labels, thresholds: fit.thresholds, workers: 1)
        let two = try classMap(values, labels: labels, thresholds: fit.thresholds, workers: 2)
        #expect(one == two)
        for i in stride(from: 0, to: values.count, by: 97) {
            let expected: UInt8 = labels[i] == 0 ? 0 : (fit.posteriors(at: Double(values[i]))[1] > 0.5 ? 2 : 1)
            #expect(one[i] == expected)
        }
    }
}
