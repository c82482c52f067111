import StatisticalDistributions

/// MR-Egger (Bowden, Davey Smith & Burgess 2015): with every SNP oriented so that β_X > 0, the weighted
/// regression of β_Y on β_X with an intercept, weights 1/σ_Y², as TwoSampleMR's mr_egger_regression fits
/// lm(b_out ~ b_exp, weights = 1/se_out^2); here in closed form on centred sums.
enum EggerRegression {
    struct Fit {
        var slope: Double
        var intercept: Double
        /// lm's standard errors, σ·√(1/Sxx) and σ·√(1/W + x̄²/Sxx), with σ the residual SE.
        var slopeSE: Double
        var interceptSE: Double
        /// Rücker's Q′: Σ(β_Y − a − bβ_X)²/σ_Y², on K − 2 df.
        var Q: Double
        var snps: Int

        var residualSE: Double { (Q / Double(snps - 2)).squareRoot() }
    }

    /// nil when the oriented |β_X| are all equal (slope and intercept cannot be told apart). Needs 3 SNPs.
    static func fit(_ e: SNPEffects) -> Fit? {
        let k = e.count
        // sign0: a zero β_X counts as positive.
        let x = e.bx.map(abs), y = (0..<k).map { e.bx[$0] < 0 ? -e.by[$0] : e.by[$0] }
        let w = e.sy.map { 1 / ($0 * $0) }
        var sw = 0.0, swx = 0.0, swy = 0.0
        for j in 0..<k { sw += w[j]; swx += w[j] * x[j]; swy += w[j] * y[j] }
        let meanX = swx / sw, meanY = swy / sw
        var sxx = 0.0, sxy = 0.0
        for j in 0..<k {
            sxx += w[j] * (x[j] - meanX) * (x[j] - meanX)
            sxy += w[j] * (x[j] - meanX) * (y[j] - meanY)
        }
        guard sxx > 0 else { return nil }
        let slope = sxy / sxx, intercept = meanY - slope * meanX
        var q = 0.0
        for j in 0..<k {
            let residual = y[j] - intercept - slope * x[j]
            q += w[j] * residual * residual
        }
        let sigma = (q / Double(k - 2)).squareRoot()
        return Fit(slope: slope, intercept: intercept, slopeSE: sigma * (1 / sxx).squareRoot(),
                   interceptSE: sigma * (1 / sw + meanX * meanX / sxx).squareRoot(), Q: q, snps: k)
    }

    /// The slope as the causal estimate, both SEs divided by min(1, σ) (both packages), tested on t with
    /// K − 2 df (TwoSampleMR) or the normal (MendelianRandomization).
    static func estimate(_ e: SNPEffects, convention: Convention) -> (MethodEstimate, EggerIntercept?, Fit?) {
        guard e.count >= 3 else { return (.notEstimable("needs at least 3 SNPs", snps: e.count), nil, nil) }
        guard let fit = fit(e) else {
            return (.notEstimable("the SNPs' |β_X| are all equal, so slope and intercept cannot be told apart", snps: e.count), nil, nil)
        }
        let scale = min(1, fit.residualSE)
        let df: Double? = convention.eggerUsesT ? Double(fit.snps - 2) : nil
        let slope = MethodEstimate(b: fit.slope, se: fit.slopeSE / scale, snps: fit.snps, tDegreesOfFreedom: df)
        let interceptSE = fit.interceptSE / scale
        let z = fit.intercept / interceptSE
        let p = df.map { StudentT.twoSidedP(z, degreesOfFreedom: $0) } ?? StandardNormal.twoSidedP(z)
        return (slope, EggerIntercept(b: fit.intercept, se: interceptSE, p: p), fit)
    }

    /// I²_GX (Bowden et al. 2016), the NOME check for MR-Egger: max(0, (Q − (K − 1))/Q) of the SNPs' |β_X| with
    /// SEs σ_X (TwoSampleMR's Isq), or of |β_X|/σ_Y with SEs σ_X/σ_Y (mr_egger's I.sq).
    static func isqGX(_ e: SNPEffects, convention: Convention) -> Double {
        let scale = convention.isqScalesByOutcomeSE ? e.sy : Array(repeating: 1, count: e.count)
        let y = (0..<e.count).map { abs(e.bx[$0]) / scale[$0] }
        let w = (0..<e.count).map { scale[$0] * scale[$0] / (e.sx[$0] * e.sx[$0]) }
        let mean = zip(y, w).reduce(0) { $0 + $1.0 * $1.1 } / w.reduce(0, +)
        let q = zip(y, w).reduce(0) { $0 + $1.1 * ($1.0 - mean) * ($1.0 - mean) }
        return max(0, (q - Double(e.count - 1)) / q)
    }
}

/// MR-Egger's intercept: the test of directional pleiotropy.
public struct EggerIntercept: Sendable, Codable, Equatable {
    public var b: Double
    public var se: Double
    public var p: Double
}
