import Testing
@testable import Association

/// Quantiles and tail probabilities against scipy.stats 1.17 (values printed by norm.isf, t.isf, t.sf,
/// chi2.sf and special.betainc), to 1e-12 relative.
@Suite struct DistributionTests {
    func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool { abs(a - b) <= tolerance * abs(b) }

    @Test func normalAndStudentQuantiles() {
        #expect(close(StandardNormal.upperQuantile(0.025), 1.9599639845400545))
        #expect(close(StudentT.upperQuantile(0.025, degreesOfFreedom: 10), 2.2281388519862753))
        #expect(close(StudentT.upperQuantile(0.025, degreesOfFreedom: 3), 3.1824463052837086))
        #expect(close(StudentT.upperQuantile(0.025, degreesOfFreedom: 29990), 1.9600430897533851))
    }

    @Test func tailProbabilitiesKeepTheirRelativeAccuracyFarOut() {
        #expect(close(StudentT.twoSidedP(2.5, degreesOfFreedom: 7), 0.04099221858575289))
        #expect(close(StudentT.twoSidedP(40, degreesOfFreedom: 100), 2.462107602140071e-63, 1e-10))
        #expect(close(StandardNormal.twoSidedP(8), 1.244192114854348e-15))
        #expect(close(ChiSquaredOneDF.upperTail(3.84), 0.05004352124870519))
        #expect(close(ChiSquaredOneDF.upperTail(50), 1.537459794428033e-12))
    }

    @Test func incompleteBetaOnBothSidesOfTheSymmetrySwitch() {
        #expect(close(regularizedIncompleteBeta(0.3, a: 2.5, b: 0.5), 0.018927124071945658))
        #expect(close(regularizedIncompleteBeta(0.9999, a: 15000, b: 0.5), 0.08325937706226412, 1e-10))
        #expect(regularizedIncompleteBeta(0, a: 2, b: 3) == 0)
        #expect(regularizedIncompleteBeta(1, a: 2, b: 3) == 1)
    }
}
