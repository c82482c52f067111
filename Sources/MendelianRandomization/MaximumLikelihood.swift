import Foundation

/// The maximum-likelihood estimate of Burgess et al. (2013) at its exact optimum. The model has K + 1
/// parameters, the SNPs' true effects ξ_j on the exposure and the causal effect θ, and minus the log-likelihood
///   f(ξ, θ) = ½Σ(β_Xj − ξ_j)²/σ_Xj² + ½Σ(β_Yj − θξ_j)²/σ_Yj².
/// Given θ each ξ_j has a closed form, which leaves the profile f(θ) = ½Q(θ) with
///   Q(θ) = Σ(β_Yj − θβ_Xj)²/(σ_Yj² + θ²σ_Xj²),
/// a function of one variable whose global minimum is found here; TwoSampleMR's mr_two_sample_ml and
/// MendelianRandomization's mr_maxlik run Nelder–Mead over all K + 1 parameters instead and stop short of it
/// for realistic K. The SE is the exact inverse Hessian of f at the optimum, [H⁻¹]_θθ, from its Schur
/// complement (H is an arrow matrix: diagonal in ξ plus the θ row), which equals 1/(½Q″) of the profile.
enum MaximumLikelihood {
    struct Fit: Sendable {
        var theta: Double
        /// The SNPs' fitted true exposure effects ξ_j(θ).
        var xi: [Double]
        /// Q at the optimum (twice minus the log-likelihood, up to a constant), the packages' heterogeneity Q.
        var Q: Double
        /// [H⁻¹]_θθ of the full K + 1-parameter f.
        var variance: Double
    }

    static func profileQ(_ e: SNPEffects, _ theta: Double) -> Double {
        var q = 0.0
        for j in 0..<e.count {
            let r = e.by[j] - theta * e.bx[j]
            q += r * r / (e.sy[j] * e.sy[j] + theta * theta * e.sx[j] * e.sx[j])
        }
        return q
    }

    /// Q′(θ) and Q″(θ), analytically.
    static func profileDerivatives(_ e: SNPEffects, _ theta: Double) -> (first: Double, second: Double) {
        var d1 = 0.0, d2 = 0.0
        for j in 0..<e.count {
            let sx2 = e.sx[j] * e.sx[j], v = e.sy[j] * e.sy[j] + theta * theta * sx2, r = e.by[j] - theta * e.bx[j]
            d1 += -2 * e.bx[j] * r / v - 2 * theta * sx2 * r * r / (v * v)
            d2 += 2 * e.bx[j] * e.bx[j] / v + 8 * theta * sx2 * e.bx[j] * r / (v * v) - 2 * sx2 * r * r / (v * v)
                + 8 * theta * theta * sx2 * sx2 * r * r / (v * v * v)
        }
        return (d1, d2)
    }

    /// The global minimum of Q: Q is evaluated at every SNP's Wald ratio (each term's zero, so no narrow well is
    /// missed), the IVW estimate and 2001 points tan(φ) spread over the whole line; each local minimum of those
    /// values is refined by golden-section search in its bracket and Newton steps on Q′, and the lowest kept.
    static func fit(_ e: SNPEffects) -> Fit {
        var candidates = e.ratios + [InverseVarianceWeighted.fit(e).b]
        candidates += (0...2000).map { tan(-1.5 + 3 * Double($0) / 2000) }
        candidates = candidates.filter(\.isFinite).sorted()
        let values = candidates.map { profileQ(e, $0) }
        var best = (theta: candidates[values.indices.min { values[$0] < values[$1] }!], q: values.min()!)
        for i in 1..<(candidates.count - 1) where values[i] <= values[i - 1] && values[i] <= values[i + 1] {
            let theta = polish(e, low: candidates[i - 1], high: candidates[i + 1])
            let q = profileQ(e, theta)
            if q < best.q { best = (theta, q) }
        }
        let theta = best.theta
        var xi = [Double](repeating: 0, count: e.count)
        var hThetaTheta = 0.0, schur = 0.0
        for j in 0..<e.count {
            let px = 1 / (e.sx[j] * e.sx[j]), py = 1 / (e.sy[j] * e.sy[j])
            let d = px + theta * theta * py
            xi[j] = (e.bx[j] * px + theta * e.by[j] * py) / d
            let cross = (2 * theta * xi[j] - e.by[j]) * py
            hThetaTheta += xi[j] * xi[j] * py
            schur += cross * cross / d
        }
        return Fit(theta: theta, xi: xi, Q: best.q, variance: 1 / (hThetaTheta - schur))
    }

    /// Golden-section search to the bracket's floating-point resolution, then Newton on Q′ while |Q′| shrinks
    /// (near the optimum Q itself is too flat to tell the last steps apart).
    private static func polish(_ e: SNPEffects, low: Double, high: Double) -> Double {
        let ratio = (5.0.squareRoot() - 1) / 2
        var (a, b) = (low, high)
        var c = b - ratio * (b - a), d = a + ratio * (b - a)
        var fc = profileQ(e, c), fd = profileQ(e, d)
        for _ in 0..<200 where abs(b - a) > 1e-15 * max(1, abs(a) + abs(b)) {
            if fc < fd { (b, d, fd) = (d, c, fc); c = b - ratio * (b - a); fc = profileQ(e, c) }
            else { (a, c, fc) = (c, d, fd); d = a + ratio * (b - a); fd = profileQ(e, d) }
        }
        var theta = (a + b) / 2
        var (d1, d2) = profileDerivatives(e, theta)
        for _ in 0..<50 where d2 > 0 && d1 != 0 {
            let next = theta - d1 / d2
            let (n1, n2) = profileDerivatives(e, next)
            guard abs(n1) < abs(d1), next >= low, next <= high else { break }
            (theta, d1, d2) = (next, n1, n2)
        }
        return theta
    }

    /// TwoSampleMR: SE = √[H⁻¹]_θθ; MendelianRandomization (K ≥ 4): × √max(1, Q/(K − 1)). Normal p. Needs 2 SNPs.
    static func estimate(_ e: SNPEffects, convention: Convention) -> (MethodEstimate, Fit?) {
        guard e.count >= 2 else { return (.notEstimable("needs at least 2 SNPs", snps: e.count), nil) }
        let fit = fit(e)
        let scale = convention.maximumLikelihoodIsRandomEffects(snps: e.count) ? max(1, fit.Q / Double(e.count - 1)) : 1
        return (MethodEstimate(b: fit.theta, se: (fit.variance * scale).squareRoot(), snps: e.count), fit)
    }
}
