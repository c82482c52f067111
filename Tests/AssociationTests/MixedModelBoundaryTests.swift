import Testing
import Association

@Suite struct MixedModelBoundaryTests {
    @Test func aGroupWithoutEffectFitsAtTheBoundaryLikePlainLogistic() throws {
        var mixed = request()
        mixed.group = "site"
        let (cohort, phenotypes) = syntheticTables()
        let result = try AssociationAnalysis.run(mixed, cohort: cohort, phenotypes: phenotypes)
        let plain = try AssociationAnalysis.run(request(), cohort: cohort, phenotypes: phenotypes)
        // Sites here are unrelated to the outcome: the variance estimate sits at 0 (lme4: "singular fit"),
        // where the Laplace likelihood is the plain logistic one.
        #expect(result.model.groupVariance == 0)
        #expect(abs(result.model.loglik - plain.model.loglik) < 1e-9)
        for (a, b) in zip(result.terms, plain.terms) {
            #expect(abs(a.beta - b.beta) <= 1e-8 * max(1, abs(b.beta)), "\(a.term)")
            #expect(abs(a.se - b.se) <= 1e-6 * b.se, "\(a.term)")
        }
    }
}
