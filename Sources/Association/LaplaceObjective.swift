import Foundation
import MatrixAlgebra

/// The Laplace approximation to the log-likelihood of a logistic model with a random intercept per
/// group — log L(β, σ) ≈ Σⱼ [ Σᵢ log p(yᵢ | ηᵢ) − ûⱼ²/2 − ½ log(1 + σ² Σᵢ wᵢ) ], ηᵢ = xᵢβ + σûⱼ — where
/// ûⱼ is the mode of group j's spherical random effect and wᵢ = pᵢ(1 − pᵢ) at that mode. This is the
/// objective lme4's glmer maximises with nAGQ = 1 (Bates et al., J Stat Softw 2015;67(1), §5; and the
/// lme4 vignette "PIRLS" on the Laplace deviance Σ d(y, μ) + ‖u‖² + log|L|²).
struct LaplaceObjective {
    let x: Matrix
    let y: [Double]
    /// Rows of each group, contiguous after the rows were ordered by group.
    let groupRanges: [Range<Int>]

    struct Evaluation {
        var logLikelihood: Double
        var gradientBeta: [Double]
        var gradientSigma: Double
        /// −∂²/∂β² of the joint log-density with the modes profiled out, Xᵀ W X − Σⱼ σ² cⱼcⱼᵀ/Hⱼ: the
        /// Newton matrix for β (it omits only the small curvature of the log-determinant term).
        var newtonMatrix: Matrix?
    }

    /// Evaluates at (β, σ), updating the random-effect modes in place (they warm-start the next call).
    func evaluate(beta: [Double], sigma: Double, modes: inout [Double], wantNewtonMatrix: Bool = false) -> Evaluation {
        let fixed = LinearAlgebra.multiply(x, beta)
        var eta = fixed
        var logLikelihood = 0.0
        var gradientSigma = 0.0
        // Per-row weights whose Xᵀ-product gives the β gradient (see `gradientWeight` below).
        var gradientWeight = [Double](repeating: 0, count: y.count)
        var w = [Double](repeating: 0, count: y.count)
        var probability = [Double](repeating: 0, count: y.count)
        var groupScale = [Double](repeating: 0, count: groupRanges.count)
        for (j, rows) in groupRanges.enumerated() {
            let u = mode(rows: rows, fixed: fixed, sigma: sigma, start: modes[j])
            modes[j] = u
            var sumW = 0.0, sumA = 0.0, sumResidual = 0.0
            for i in rows {
                eta[i] = fixed[i] + sigma * u
                let p = logistic(eta[i])
                probability[i] = p
                w[i] = p * (1 - p)
                sumW += w[i]
                sumA += w[i] * (1 - 2 * p)
                sumResidual += y[i] - p
                logLikelihood += y[i] * eta[i] - softplus(eta[i])
            }
            let h = 1 + sigma * sigma * sumW
            logLikelihood += -u * u / 2 - 0.5 * log(h)
            groupScale[j] = sigma * sigma / h
            let logDeterminantWeight = 0.5 * sigma * sigma / h, modeWeight = 0.5 * pow(sigma, 4) * sumA / (h * h)
            // d log H / dβ = (σ²/H) [Σ aᵢxᵢ + σ A dû/dβ] with dû/dβ = −σ Σ wᵢxᵢ / H, aᵢ = wᵢ(1 − 2pᵢ).
            for i in rows {
                let p = probability[i]
                let a = w[i] * (1 - 2 * p)
                gradientWeight[i] = (y[i] - p) - logDeterminantWeight * a + modeWeight * w[i]
            }
            // ∂/∂σ: Σ(y − p)·û − ½ (2σS + σ² A (û + σ dû/dσ)) / H, with dû/dσ = (Σ(y − p) − σSû) / H.
            let dModeDSigma = (sumResidual - sigma * sumW * u) / h
            gradientSigma += sumResidual * u - 0.5 * (2 * sigma * sumW + sigma * sigma * sumA * (u + sigma * dModeDSigma)) / h
        }
        let gradientBeta = LinearAlgebra.multiplyTransposed(x, gradientWeight)
        var newtonMatrix: Matrix? = nil
        if wantNewtonMatrix {
            var m = LinearAlgebra.weightedCrossProduct(x, weights: w)
            for (j, rows) in groupRanges.enumerated() where groupScale[j] > 0 {
                var c = [Double](repeating: 0, count: x.columns)
                for k in 0..<x.columns {
                    let offset = k * x.rows
                    for i in rows { c[k] += w[i] * x.values[offset + i] }
                }
                for a in 0..<x.columns { for b in 0..<x.columns { m[a, b] -= groupScale[j] * c[a] * c[b] } }
            }
            newtonMatrix = m
        }
        return Evaluation(logLikelihood: logLikelihood, gradientBeta: gradientBeta, gradientSigma: gradientSigma, newtonMatrix: newtonMatrix)
    }

    /// The mode û of σ Σᵢ (yᵢ − pᵢ(fixedᵢ + σu)) − u = 0, a decreasing function of u whose root lies in
    /// [σ(Σy − n), σΣy]: Newton's method kept inside that bracket.
    private func mode(rows: Range<Int>, fixed: [Double], sigma: Double, start: Double) -> Double {
        guard sigma > 0 else { return 0 }
        var sumY = 0.0
        for i in rows { sumY += y[i] }
        var low = sigma * (sumY - Double(rows.count)), high = sigma * sumY
        var u = min(max(start, low), high)
        for _ in 0..<100 {
            var residual = 0.0, sumW = 0.0
            for i in rows {
                let p = logistic(fixed[i] + sigma * u)
                residual += y[i] - p
                sumW += p * (1 - p)
            }
            let f = sigma * residual - u
            if f > 0 { low = u } else { high = u }
            var next = u + f / (1 + sigma * sigma * sumW)
            if !(next >= low && next <= high) { next = (low + high) / 2 }
            if abs(next - u) <= 1e-14 * (1 + abs(u)) { return next }
            u = next
        }
        return u
    }
}
