import Foundation
import Testing
@testable import MendelianRandomization

/// The bootstrap's random numbers and SEs: the same seed gives the same bits on any number of threads, another
/// seed other numbers, and the draws are standard normal.
@Suite struct BootstrapTests {
    static let tables = MRSimulation(seed: 42).tables()

    static func analyse(seed: UInt64, workers: Int, replicates: Int = 200) throws -> MRResult {
        var settings = MRSettings()
        settings.seed = seed
        settings.workers = workers
        settings.bootstrapReplicates = replicates
        return try MRAnalysis.run(exposure: try SummaryStatistics(text: tables.exposure, path: "exposure.tsv"),
                                  outcome: try SummaryStatistics(text: tables.outcome, path: "outcome.tsv"),
                                  settings: settings, version: "test", names: ("x", "y"))
    }

    static func bootstrapSEs(_ r: MRResult) -> [Double] {
        [r.methods.simpleMedian, r.methods.weightedMedian, r.methods.penalisedWeightedMedian, r.methods.simpleMode, r.methods.weightedMode].map { $0.se! }
    }

    @Test func theSameSeedGivesTheSameBitsOnAnyThreadCount() throws {
        let one = try Self.analyse(seed: 7, workers: 1), two = try Self.analyse(seed: 7, workers: 2), five = try Self.analyse(seed: 7, workers: 5)
        #expect(Self.bootstrapSEs(one).map(\.bitPattern) == Self.bootstrapSEs(two).map(\.bitPattern))
        #expect(try one.jsonData() == two.jsonData())
        #expect(try one.jsonData() == five.jsonData())
    }

    @Test func anotherSeedGivesOtherSEsOfTheSameSize() throws {
        let a = Self.bootstrapSEs(try Self.analyse(seed: 7, workers: 2)), b = Self.bootstrapSEs(try Self.analyse(seed: 8, workers: 2))
        for (x, y) in zip(a, b) {
            #expect(x != y)
            // 200 replicates: an SD's sampling error is about 1/√400 = 5 %, a MAD's about twice that.
            #expect(abs(x - y) / x < 0.4, "\(x) against \(y)")
        }
    }

    /// The polar method's deviates: mean 0, variance 1, and the tail share of a normal (P(|Z| > 2) = 0.0455).
    @Test func drawsAreStandardNormal() {
        var draws = NormalDraws(seed: 1, replicate: 0)
        let n = 200_000
        let values = (0..<n).map { _ in draws.normal() }
        let mean = values.reduce(0, +) / Double(n)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        let tail = Double(values.filter { abs($0) > 2 }.count) / Double(n)
        #expect(abs(mean) < 5 / Double(n).squareRoot())
        #expect(abs(variance - 1) < 0.015)
        #expect(abs(tail - 0.0455) < 0.003)
        var again = NormalDraws(seed: 1, replicate: 0), other = NormalDraws(seed: 1, replicate: 1)
        #expect(again.normal() == values[0])
        #expect(other.normal() != values[0])
    }

    /// The logarithm the draws use instead of the platform's: within 2 units in the last place of libm's.
    @Test func ownLogarithmAgreesWithLibm() {
        var draws = NormalDraws(seed: 3, replicate: 0)
        for _ in 0..<100_000 {
            let x = max(draws.uniform(), 1e-300)
            let ours = naturalLog(x), reference = log(x)
            #expect(abs(ours - reference) <= 2 * reference.ulp.magnitude, "ln \(x): \(ours) against \(reference)")
        }
        #expect(naturalLog(1) == 0)
        #expect(abs(naturalLog(0.5) + 0.693_147_180_559_945_3) < 1e-16)
    }
}
