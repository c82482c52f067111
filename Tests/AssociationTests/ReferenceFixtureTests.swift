import Foundation
import Testing
import Association

/// IMATKit's estimates against statsmodels (Logit, OLS) and lme4 (glmer, nAGQ = 1) on the same data:
/// Fixtures/expected.json is written by scripts/make_association_fixtures.py (see Fixtures/README.md).
@Suite struct ReferenceFixtureTests {
    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    static var expected: [String: Any] {
        let data = try! Data(contentsOf: fixtures.appendingPathComponent("expected.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }
    static var cases: [[String: Any]] { expected["cases"] as! [[String: Any]] }
    static var caseNames: [String] { cases.map { $0["name"] as! String } }

    static func request(for c: [String: Any]) -> AssociationRequest {
        var request = AssociationRequest(outcome: c["outcome"] as! String, exposure: c["exposure"] as! String)
        request.muscle = c["muscle"] as! String
        request.covariates = c["covariates"] as! [String]
        request.categorical = c["categorical"] as! [String]
        request.per = AssociationRequest.ExposureScale(rawValue: c["per"] as! String)!
        request.model = c["model"] as! String == "linear" ? .linear : .logistic
        request.group = c["group"] as? String
        return request
    }

    static func run(_ name: String) throws -> (AssociationResult, [String: Any], String) {
        let c = cases.first { $0["name"] as! String == name }!
        let result = try AssociationAnalysis.run(
            request(for: c),
            cohort: try SourceTable.read(fixtures.appendingPathComponent(c["cohort"] as! String).path),
            phenotypes: try SourceTable.read(fixtures.appendingPathComponent(c["phenotypes"] as! String).path))
        return (result, c["expected"] as! [String: Any], c["model"] as! String)
    }

    func expectClose(_ actual: Double?, _ expected: Any?, tolerance: Double, _ what: String) {
        guard let expected = expected as? Double, let actual else {
            Issue.record("\(what): \(String(describing: actual)) against \(String(describing: expected))")
            return
        }
        let relative = abs(actual - expected) / max(abs(expected), 1e-300)
        #expect(relative <= tolerance, "\(what): \(actual) against \(expected) (relative difference \(relative))")
    }

    /// Compares every term's estimate, standard error, interval and p-value with a reference's.
    func expectTerms(_ result: AssociationResult, _ terms: [[String: Any]], linear: Bool, tolerance: Double, seTolerance: Double, _ source: String) {
        #expect(result.terms.map(\.term) == terms.map { $0["term"] as! String })
        for (actual, reference) in zip(result.terms, terms) {
            let term = "\(source) \(actual.term)"
            expectClose(actual.beta, reference["beta"], tolerance: tolerance, "\(term) beta")
            expectClose(actual.se, reference["se"], tolerance: seTolerance, "\(term) SE")
            // p = 2Φ(−|β/SE|) magnifies a relative error in β/SE by about (β/SE)².
            let z = abs(actual.beta / actual.se)
            expectClose(actual.p, reference["p"], tolerance: max(seTolerance, tolerance) * max(1, z * z) * 2, "\(term) p")
            if linear {
                #expect(actual.or == nil)
                expectClose(actual.ciLow, reference["ci_low"], tolerance: seTolerance, "\(term) CI low")
                expectClose(actual.ciHigh, reference["ci_high"], tolerance: seTolerance, "\(term) CI high")
            } else {
                expectClose(actual.or, reference["or"], tolerance: tolerance, "\(term) OR")
                expectClose(actual.ciLow, reference["or_ci_low"], tolerance: seTolerance, "\(term) OR CI low")
                expectClose(actual.ciHigh, reference["or_ci_high"], tolerance: seTolerance, "\(term) OR CI high")
            }
        }
    }

    @Test(arguments: caseNames)
    func matchesTheReferenceTool(_ name: String) throws {
        let (result, expected, model) = try Self.run(name)
        #expect(result.n == expected["n"] as! Int)
        #expect(result.events == expected["events"] as? Int)
        #expect(result.dropped == expected["dropped"] as! Int)
        let reasons = Dictionary(uniqueKeysWithValues: result.droppedReasons.map { ($0.reason, $0.count) })
        #expect(reasons.filter { $0.key.hasPrefix("not in phenotypes") }.values.first ?? 0 == expected["not_in_phenotypes"] as! Int)
        #expect(reasons.filter { $0.key.hasPrefix("not in cohort") }.values.first ?? 0 == expected["not_in_cohort"] as! Int)
        for (column, count) in expected["missing"] as! [String: Int] { #expect(reasons["missing \(column)"] == count, "missing \(column)") }
        expectClose(result.exposureMean, expected["exposure_mean"], tolerance: 1e-12, "exposure mean")
        expectClose(result.exposureSD, expected["exposure_sd"], tolerance: 1e-12, "exposure SD")
        #expect(result.model.converged)

        let lrt = expected["lrt"] as! [String: Any]
        if model == "mixed" {
            // lme4 stops its optimiser and its inner PIRLS a little short of the Laplace optimum, and takes
            // the Hessian by differences with step 1e-4: its β are good to ~1e-5 and its SEs to ~5e-4
            // (its own optimisers disagree by that much; see Fixtures/README.md). So: lme4 to 1e-4 for β,
            // the variance and the log-likelihood, 1e-3 for SEs; and the exact Laplace optimum, polished
            // by Newton to a gradient below 1e-11 by scripts/random_intercept_laplace.py, to 1e-6 for all.
            expectTerms(result, expected["terms"] as! [[String: Any]], linear: false, tolerance: 1e-4, seTolerance: 1e-3, "lme4")
            expectClose(result.model.groupVariance, expected["group_variance"], tolerance: 1e-4, "lme4 group variance")
            expectClose(result.model.loglik, expected["loglik"], tolerance: 1e-6, "lme4 log-likelihood")
            expectClose(result.exposureTest.statistic, lrt["statistic"], tolerance: 1e-4, "lme4 LRT statistic")
            let exact = expected["laplace_exact"] as! [String: Any]
            expectTerms(result, exact["terms"] as! [[String: Any]], linear: false, tolerance: 1e-6, seTolerance: 1e-6, "exact Laplace")
            expectClose(result.model.groupVariance, exact["group_variance"], tolerance: 1e-6, "exact group variance")
            expectClose(result.model.loglik, exact["loglik"], tolerance: 1e-9, "exact log-likelihood")
            let exactLRT = exact["lrt"] as! [String: Any]
            expectClose(result.exposureTest.statistic, exactLRT["statistic"], tolerance: 1e-6, "exact LRT statistic")
            expectClose(result.exposureTest.p, exactLRT["p"], tolerance: 1e-6, "exact LRT p")
        } else {
            expectTerms(result, expected["terms"] as! [[String: Any]], linear: model == "linear", tolerance: 1e-6, seTolerance: 1e-6, "statsmodels")
            expectClose(result.model.loglik, expected["loglik"], tolerance: 1e-9, "log-likelihood")
            expectClose(result.exposureTest.statistic, lrt["statistic"], tolerance: 1e-6, "LRT statistic")
            expectClose(result.exposureTest.p, lrt["p"], tolerance: 1e-6, "LRT p")
        }
        if model == "linear" {
            expectClose(result.model.residualVariance, expected["scale"], tolerance: 1e-9, "residual variance")
        }
    }
}
