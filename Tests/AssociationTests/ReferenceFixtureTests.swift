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

    @Test(arguments: caseNames)
    func matchesTheReferenceTool(_ name: String) throws {
        let (result, expected, model) = try Self.run(name)
        // statsmodels converges to the maximum-likelihood estimate exactly; lme4's optimiser stops near it.
        let tolerance = model == "mixed" ? 1e-4 : 1e-6
        #expect(result.n == expected["n"] as! Int)
        #expect(result.events == expected["events"] as? Int)
        #expect(result.dropped == expected["dropped"] as! Int)
        let reasons = Dictionary(uniqueKeysWithValues: result.droppedReasons.map { ($0.reason, $0.count) })
        #expect(reasons.filter { $0.key.hasPrefix("not in phenotypes") }.values.first ?? 0 == expected["not_in_phenotypes"] as! Int)
        #expect(reasons.filter { $0.key.hasPrefix("not in cohort") }.values.first ?? 0 == expected["not_in_cohort"] as! Int)
        for (column, count) in expected["missing"] as! [String: Int] { #expect(reasons["missing \(column)"] == count, "missing \(column)") }
        expectClose(result.exposureMean, expected["exposure_mean"], tolerance: 1e-12, "exposure mean")
        expectClose(result.exposureSD, expected["exposure_sd"], tolerance: 1e-12, "exposure SD")

        let terms = expected["terms"] as! [[String: Any]]
        #expect(result.terms.map(\.term) == terms.map { $0["term"] as! String })
        for (actual, reference) in zip(result.terms, terms) {
            let term = actual.term
            expectClose(actual.beta, reference["beta"], tolerance: tolerance, "\(term) beta")
            expectClose(actual.se, reference["se"], tolerance: tolerance, "\(term) SE")
            expectClose(actual.p, reference["p"], tolerance: tolerance * 10, "\(term) p")
            if model == "linear" {
                #expect(actual.or == nil)
                expectClose(actual.ciLow, reference["ci_low"], tolerance: tolerance, "\(term) CI low")
                expectClose(actual.ciHigh, reference["ci_high"], tolerance: tolerance, "\(term) CI high")
            } else {
                expectClose(actual.or, reference["or"], tolerance: tolerance, "\(term) OR")
                expectClose(actual.ciLow, reference["or_ci_low"], tolerance: tolerance, "\(term) OR CI low")
                expectClose(actual.ciHigh, reference["or_ci_high"], tolerance: tolerance, "\(term) OR CI high")
            }
        }
        expectClose(result.model.loglik, expected["loglik"], tolerance: tolerance / 100, "log-likelihood")
        let lrt = expected["lrt"] as! [String: Any]
        expectClose(result.exposureTest.statistic, lrt["statistic"], tolerance: tolerance * 10, "LRT statistic")
        expectClose(result.exposureTest.p, lrt["p"], tolerance: tolerance * 10, "LRT p")
        if model == "mixed" {
            expectClose(result.model.groupVariance, expected["group_variance"], tolerance: tolerance, "group variance")
        }
        if model == "linear" {
            expectClose(result.model.residualVariance, expected["scale"], tolerance: tolerance, "residual variance")
        }
        #expect(result.model.converged)
    }
}
