/// The inverse-variance weighted estimate: the regression of β_Y on β_X through the origin with weights 1/σ_Y²,
/// which TwoSampleMR fits as lm(b_out ~ -1 + b_exp, weights = 1/se_out^2) (mr_ivw, mr_ivw_fe; Burgess et al.
/// 2013), here in closed form.
enum InverseVarianceWeighted {
    struct Fit {
        var b: Double
        /// The fixed-effect SE, 1/√Σ(β_X²/σ_Y²).
        var fixedSE: Double
        /// Cochran's Q, Σ(β_Y − bβ_X)²/σ_Y², which is the residual variance σ² times K − 1.
        var Q: Double
        var snps: Int

        /// The residual standard error σ of the weighted regression.
        var residualSE: Double { (Q / Double(snps - 1)).squareRoot() }
    }

    /// Needs at least 2 SNPs.
    static func fit(_ e: SNPEffects) -> Fit {
        var sxy = 0.0, sxx = 0.0
        for j in 0..<e.count {
            let w = 1 / (e.sy[j] * e.sy[j])
            sxy += w * e.bx[j] * e.by[j]
            sxx += w * e.bx[j] * e.bx[j]
        }
        let b = sxy / sxx
        var q = 0.0
        for j in 0..<e.count {
            let residual = e.by[j] - b * e.bx[j]
            q += residual * residual / (e.sy[j] * e.sy[j])
        }
        return Fit(b: b, fixedSE: 1 / sxx.squareRoot(), Q: q, snps: e.count)
    }

    /// Multiplicative random effects (the SE scaled by the residual SE when it exceeds 1, as mr_ivw's
    /// `se / min(1, sigma)` on lm's SE) or fixed effects (mr_ivw_fe); normal p-values.
    static func estimate(_ e: SNPEffects, randomEffects: Bool) -> MethodEstimate {
        guard e.count >= 2 else { return .notEstimable("needs at least 2 SNPs (the single SNP's Wald ratio is under single_snp)", snps: e.count) }
        return estimate(fit(e), randomEffects: randomEffects)
    }

    static func estimate(_ fit: Fit, randomEffects: Bool) -> MethodEstimate {
        let se = randomEffects ? fit.fixedSE * max(1, fit.residualSE) : fit.fixedSE
        return MethodEstimate(b: fit.b, se: se, snps: fit.snps)
    }

    /// Cochran's Q of the IVW fit on K − 1 df.
    static func heterogeneity(_ fit: Fit) -> HeterogeneityTest { HeterogeneityTest(Q: fit.Q, df: fit.snps - 1) }

    /// One SNP's Wald ratio β_Y/β_X with TwoSampleMR's first-order SE σ_Y/|β_X| (mr_wald_ratio).
    static func waldRatio(bx: Double, by: Double, sy: Double) -> MethodEstimate {
        MethodEstimate(b: by / bx, se: sy / abs(bx), snps: 1)
    }
}
