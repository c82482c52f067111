import Testing
@testable import StatisticalDistributions

/// Quantiles and tail probabilities against scipy.stats 1.17 (norm.isf, t.isf, t.sf, special.betainc) and
/// R 4.2.2 (pchisq(x, df, lower.tail = FALSE)), to 1e-12 relative.
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
    }

    /// Both branches of the incomplete gamma (series below x = a + 1, continued fraction above), one and many
    /// degrees of freedom, and a far tail that 1 − cdf would round to zero.
    @Test func chiSquaredUpperTailOnBothSidesOfTheBranch() {
        #expect(close(ChiSquared.upperTail(3.84, degreesOfFreedom: 1), 5.0043521248705224e-02))
        #expect(close(ChiSquared.upperTail(50, degreesOfFreedom: 1), 1.5374597944280343e-12))
        #expect(close(ChiSquared.upperTail(326.0, degreesOfFreedom: 107), 5.6117202331344250e-24, 1e-10))
        #expect(close(ChiSquared.upperTail(1500, degreesOfFreedom: 107), 3.0448308409855472e-244, 1e-10))
        #expect(close(ChiSquared.upperTail(5, degreesOfFreedom: 10), 8.9117801891415127e-01))
        #expect(close(ChiSquared.upperTail(0.3, degreesOfFreedom: 4), 9.8981417288881657e-01))
        #expect(close(ChiSquared.upperTail(1e-8, degreesOfFreedom: 3), 9.9999999999973399e-01))
        #expect(ChiSquared.upperTail(0, degreesOfFreedom: 3) == 1)
    }

    @Test func incompleteBetaOnBothSidesOfTheSymmetrySwitch() {
        #expect(close(regularizedIncompleteBeta(0.3, a: 2.5, b: 0.5), 0.018927124071945658))
        #expect(close(regularizedIncompleteBeta(0.9999, a: 15000, b: 0.5), 0.08325937706226412, 1e-10))
        #expect(regularizedIncompleteBeta(0, a: 2, b: 3) == 0)
        #expect(regularizedIncompleteBeta(1, a: 2, b: 3) == 1)
    }
}
