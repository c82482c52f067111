import Foundation
import Testing
@testable import MendelianRandomization

/// The simulator's quirks are harmonised as intended, SNP by SNP, and its output depends on the seed alone.
@Suite struct SimulationTests {
    @Test(arguments: [UInt64(1), 99, 2026])
    func everyQuirkIsHarmonisedAsPlanned(_ seed: UInt64) throws {
        let tables = MRSimulation(seed: seed).tables()
        let data = HarmonisedData.harmonise(exposure: try SummaryStatistics(text: tables.exposure, path: "x.tsv"),
                                            outcome: try SummaryStatistics(text: tables.outcome, path: "y.tsv"), pThreshold: 5e-8)
        var fate: [String: String] = [:]
        for instrument in data.instruments { fate[instrument.snp] = "used: " + instrument.alignment }
        for drop in data.dropped { fate[drop.snp] = String(drop.reason.prefix { $0 != "(" }).trimmingCharacters(in: .whitespaces) }
        #expect(fate == tables.expectedFate)
        let kinds = Set(tables.expectedFate.values)
        for kind in ["used: as given", "used: alleles swapped", "used: strand flipped", "used: strand flipped, alleles swapped",
                     "used: alleles swapped, palindromic: reverse strand by frequency", "incompatible alleles",
                     "palindromic with intermediate allele frequency", "not in the outcome"] {
            #expect(kinds.contains(kind), "\(kind)")
        }
        // Duplicated exposure rows come after the originals, which are the ones used.
        #expect(!data.duplicates.isEmpty && data.duplicates.allSatisfy { d in d.file == "x.tsv" && d.ignoredLines.allSatisfy { $0 > d.keptLine } })
    }

    @Test func theSameSeedWritesTheSameFiles() {
        let a = MRSimulation(seed: 5).tables(), b = MRSimulation(seed: 5).tables(), c = MRSimulation(seed: 6).tables()
        #expect(a.exposure == b.exposure && a.outcome == b.outcome)
        #expect(a.exposure != c.exposure)
    }

    /// With no pleiotropy and no quirks the estimators find the simulated causal effect.
    @Test func theEstimatesFindTheTrueEffect() throws {
        var simulation = MRSimulation(seed: 11)
        simulation.quirks = false
        simulation.pleiotropicShare = 0
        simulation.instruments = 150
        let tables = simulation.tables()
        var settings = MRSettings()
        settings.bootstrapReplicates = 100
        let r = try MRAnalysis.run(exposure: try SummaryStatistics(text: tables.exposure, path: "x"), outcome: try SummaryStatistics(text: tables.outcome, path: "y"),
                                   settings: settings, version: "test", names: ("x", "y"))
        for m in r.methods.all {
            let b = try #require(m.estimate.b), se = try #require(m.estimate.se)
            #expect(abs(b - 0.3) < 4 * se, "\(m.key): \(b) ± \(se)")
        }
        #expect(r.methods.egger.intercept!.p > 0.001)
        #expect(r.steiger.test?.correctDirection == true)
    }
}
