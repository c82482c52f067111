import Foundation
import Testing
@testable import MendelianRandomization

/// IMATKit against TwoSampleMR's and MendelianRandomization's formulas as base R computes them
/// (Fixtures/expected.json from scripts/make_mr_fixtures.R; Fixtures/README.md): the harmonised SNP set and the
/// reasons for every drop exactly, closed forms to 1e-9 relative, the modes to R's density grid.
@Suite struct ReferenceFixtureTests {
    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    nonisolated(unsafe) static let expected: [String: Any] = {
        let data = try! Data(contentsOf: fixtures.appendingPathComponent("expected.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()
    static var caseNames: [String] { (expected["cases"] as! [String: Any]).keys.sorted() }

    static func reference(_ name: String) -> [String: Any] { (expected["cases"] as! [String: Any])[name] as! [String: Any] }

    static func run(_ name: String, convention: Convention) throws -> MRResult {
        var settings = MRSettings()
        settings.convention = convention
        settings.bootstrapReplicates = 40
        return try MRAnalysis.run(exposure: try readFixture("\(name)_exposure.csv"), outcome: try readFixture("\(name)_outcome.tsv"),
                                  settings: settings, version: "test", names: ("exposure", "outcome"))
    }

    static func readFixture(_ file: String) throws -> SummaryStatistics {
        let path = fixtures.appendingPathComponent(file).path
        return try SummaryStatistics(text: try String(contentsOfFile: path, encoding: .utf8), path: file)
    }

    func strings(_ value: Any?) -> [String] { (value as? [String]) ?? (value as? String).map { [$0] } ?? [] }

    func expectClose(_ actual: Double?, _ expected: Any?, _ tolerance: Double, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let expected = expected as? Double, let actual else {
            Issue.record("\(what): \(String(describing: actual)) against \(String(describing: expected))", sourceLocation: sourceLocation)
            return
        }
        let relative = abs(actual - expected) / max(abs(expected), 1e-300)
        #expect(relative <= tolerance, "\(what): \(actual) against \(expected) (relative difference \(relative))", sourceLocation: sourceLocation)
    }

    func expectEstimate(_ actual: MethodEstimate, _ expected: Any?, _ what: String, tolerance: Double = 1e-9) {
        let reference = expected as! [String: Any]
        for (key, value) in [("b", actual.b), ("se", actual.se), ("ci_low", actual.ciLow), ("ci_high", actual.ciHigh), ("p", actual.p)] {
            expectClose(value, reference[key], tolerance, "\(what) \(key)")
        }
        #expect(actual.nSNPs == reference["n_snps"] as? Int, "\(what) n_snps")
    }

    @Test func theFixturesArePresent() {
        #expect(Self.caseNames == ["main", "three", "two"])
    }

    @Test(arguments: caseNames)
    func harmonisesTheSameSNPsForTheSameReasons(_ name: String) throws {
        let reference = Self.reference(name)
        let result = try Self.run(name, convention: .twoSampleMR)
        #expect(result.snps.used.map(\.snp) == strings(reference["snps"]))
        // R writes the data frame of drops column by column.
        let droppedColumns = reference["dropped"] as? [String: Any] ?? [:]
        var expectedDrops = Dictionary(uniqueKeysWithValues: zip(strings(droppedColumns["SNP"]), strings(droppedColumns["reason"])).map { ($0, $1) })
        for snp in strings(reference["absent_from_outcome"]) { expectedDrops[snp] = "not in the outcome" }
        let drops = Dictionary(uniqueKeysWithValues: result.snps.dropped.map { ($0.snp, $0.reason) })
        #expect(drops.keys.sorted() == expectedDrops.keys.sorted())
        for (snp, reason) in expectedDrops { #expect(drops[snp]?.hasPrefix(reason) == true, "\(snp): \(drops[snp] ?? "kept") against \(reason)") }
    }

    @Test(arguments: caseNames)
    func closedFormsMatchTwoSampleMR(_ name: String) throws {
        let reference = Self.reference(name)
        let r = try Self.run(name, convention: .twoSampleMR)
        expectEstimate(r.methods.ivw, reference["ivw"], "IVW")
        expectEstimate(r.methods.ivwFixed, reference["ivw_fixed"], "IVW fixed")
        expectClose(r.heterogeneity.ivw?.Q, (reference["ivw"] as! [String: Any])["Q"], 1e-9, "Q")
        for (j, wald) in (reference["wald"] as! [Any]).enumerated() { expectEstimate(r.singleSNP[j].estimate, wald, "Wald ratio \(j)") }
        for (j, f) in (reference["f_statistics"] as! [Double]).enumerated() { expectClose(r.instrumentStrength.f[j], f, 1e-12, "F \(j)") }
        let steiger = reference["steiger"] as! [String: Any]
        expectClose(r.steiger.test?.r2Exposure, steiger["r2_exposure"], 1e-9, "Steiger r² exposure")
        expectClose(r.steiger.test?.r2Outcome, steiger["r2_outcome"], 1e-9, "Steiger r² outcome")
        expectClose(r.steiger.test?.z, steiger["z"], 1e-9, "Steiger z")
        #expect(r.steiger.test?.correctDirection == steiger["correct_direction"] as? Bool)
        if (steiger["p"] as! Double) > 0 { expectClose(r.steiger.test?.p, steiger["p"], 1e-9, "Steiger p") }
        guard r.snps.used.count >= 3 else {
            #expect(r.methods.egger.slope.notEstimable == "needs at least 3 SNPs")
            #expect(r.methods.weightedMedian.b == nil && r.methods.simpleMode.b == nil && r.leaveOneOut.isEmpty)
            return
        }
        let egger = reference["egger"] as! [String: Any]
        expectEstimate(r.methods.egger.slope, egger, "Egger")
        let intercept = egger["intercept"] as! [String: Any]
        expectClose(r.methods.egger.intercept?.b, intercept["b"], 1e-9, "Egger intercept")
        expectClose(r.methods.egger.intercept?.se, intercept["se"], 1e-9, "Egger intercept SE")
        expectClose(r.methods.egger.intercept?.p, intercept["p"], 1e-9, "Egger intercept p")
        expectClose(r.heterogeneity.egger?.Q, egger["Q"], 1e-9, "Q′")
        let qp = reference["q_p"] as! [String: Any]
        expectClose(r.heterogeneity.ivw?.p, qp["ivw"], 1e-9, "Q p")
        expectClose(r.heterogeneity.egger?.p, qp["egger"], 1e-9, "Q′ p")
        let qDiff = reference["q_diff"] as! [String: Any]
        expectClose(r.heterogeneity.qDiff?.Q, qDiff["Q"], 1e-9, "Q_diff")
        expectClose(r.heterogeneity.qDiff?.p, qDiff["p"], 1e-9, "Q_diff p")
        expectClose(r.methods.egger.i2GX, reference["isq_twosamplemr"], 1e-9, "I²_GX")
        let medians = reference["medians_second_order"] as! [String: Any]
        expectClose(r.methods.simpleMedian.b, medians["simple"], 1e-9, "simple median")
        expectClose(r.methods.weightedMedian.b, medians["weighted"], 1e-9, "weighted median")
        expectClose(r.methods.penalisedWeightedMedian.b, medians["penalised"], 1e-9, "penalised weighted median")
        for (j, left) in (reference["leave_one_out"] as! [Any]).enumerated() {
            expectEstimate(r.leaveOneOut[j].estimate, left, "leave out \(r.leaveOneOut[j].snp)")
        }
        // The modes are points of density()'s grid: the same grid point gives the same value to rounding.
        let modes = reference["modes"] as! [String: Any]
        expectClose(r.methods.simpleMode.b, (modes["simple"] as! [String: Any])["estimate"], 1e-12, "simple mode")
        expectClose(r.methods.weightedMode.b, (modes["weighted"] as! [String: Any])["estimate"], 1e-12, "weighted mode")
    }

    @Test(arguments: caseNames)
    func conventionSwitchMatchesMendelianRandomization(_ name: String) throws {
        let reference = Self.reference(name)
        let r = try Self.run(name, convention: .mendelianRandomization)
        let k = r.snps.used.count
        expectEstimate(r.methods.ivw, reference[k >= 4 ? "ivw" : "ivw_fixed"], "IVW (model default)")
        guard k >= 3 else { return }
        let egger = reference["egger_normal"] as! [String: Any]
        expectEstimate(r.methods.egger.slope, egger, "Egger, normal tests")
        expectClose(r.methods.egger.intercept?.p, (egger["intercept"] as! [String: Any])["p"], 1e-9, "Egger intercept p (normal)")
        expectClose(r.methods.egger.i2GX, reference["isq_mendelianrandomization"], 1e-9, "I²_GX (mr_egger)")
        let medians = reference["medians_first_order"] as! [String: Any]
        expectClose(r.methods.weightedMedian.b, medians["weighted"], 1e-9, "weighted median, first order")
        expectClose(r.methods.penalisedWeightedMedian.b, medians["penalised"], 1e-9, "penalised, first order")
        let modes = reference["modes_unfloored"] as! [String: Any]
        expectClose(r.methods.weightedMode.b, (modes["weighted"] as! [String: Any])["estimate"], 1e-12, "weighted mode")
    }

    /// The exact optimum of the profile likelihood, found independently in R (optimize + Newton), and better
    /// than R's own Nelder–Mead over K + 1 parameters.
    @Test(arguments: caseNames)
    func maximumLikelihoodAtTheExactOptimum(_ name: String) throws {
        let ml = Self.reference(name)["ml"] as! [String: Any]
        let exact = ml["exact"] as! [String: Any], nelderMead = ml["nelder_mead"] as! [String: Any]
        let r = try Self.run(name, convention: .twoSampleMR)
        expectClose(r.methods.maximumLikelihood.b, exact["b"], 1e-9, "ML b")
        expectClose(r.methods.maximumLikelihood.se, exact["se"], 1e-9, "ML SE")
        expectClose(r.heterogeneity.maximumLikelihood?.Q, exact["Q"], 1e-9, "ML Q")
        #expect(r.heterogeneity.maximumLikelihood!.Q <= nelderMead["Q"] as! Double)
        let random = try Self.run(name, convention: .mendelianRandomization)
        let k = Double(r.snps.used.count), q = exact["Q"] as! Double
        let scale = k >= 4 ? max(1, q / (k - 1)).squareRoot() : 1
        expectClose(random.methods.maximumLikelihood.se, (exact["se"] as! Double) * scale, 1e-9, "ML SE (mr_maxlik random)")
    }
}
