import Foundation
import MatrixAlgebra
import VolumeCore

/// Logistic regression with a random intercept per group, fitted like lme4's `glmer(..., nAGQ = 1)`: the
/// Laplace approximation to the marginal likelihood (`LaplaceObjective`) is maximised over the fixed
/// effects β and the random-intercept standard deviation σ. σ is found on the profile likelihood
/// (Brent's minimiser, then secant steps on the profile's derivative for full precision); β by Newton
/// steps at each σ.
enum MixedLogisticRegression {
    static func fit(_ x: Matrix, outcome y: [Double], groups: [String], start: RegressionFit) throws -> RegressionFit {
        let levels = Set(groups).sorted()
        guard levels.count >= 2 else {
            throw IMATError(data: "a random intercept needs at least two groups; every complete case is in group \(levels.first ?? "")")
        }
        // Rows ordered by group (stably), so each group is a contiguous range.
        let index = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, $0) })
        let order = groups.indices.sorted { (index[groups[$0]]!, $0) < (index[groups[$1]]!, $1) }
        var ordered = Matrix(zeros: x.rows, x.columns)
        for j in 0..<x.columns { for (i, source) in order.enumerated() { ordered[i, j] = x[source, j] } }
        var ranges: [Range<Int>] = []
        var begin = 0
        for i in 1...order.count where i == order.count || groups[order[i]] != groups[order[i - 1]] {
            ranges.append(begin..<i)
            begin = i
        }
        let objective = LaplaceObjective(x: ordered, y: order.map { y[$0] }, groupRanges: ranges)
        var state = ProfileState(beta: start.coefficients, modes: [Double](repeating: 0, count: ranges.count))

        var evaluations = 0
        func profile(_ sigma: Double) -> Double {
            evaluations += 1
            return -maximizeOverBeta(objective, sigma: sigma, state: &state)
        }
        // Bracket the maximum in σ: the profile likelihood rises from σ = 0 and falls for large σ.
        var upper = 1.0
        var previous = profile(0.5)
        while upper < 64 {
            let value = profile(upper)
            if value > previous { break }
            previous = value
            upper *= 2
        }
        var sigma = brentMinimum(in: 0...upper, tolerance: 1e-5, profile)
        // Polish σ on the profile's derivative (∂ℓ/∂σ at β̂(σ), by the envelope theorem).
        if sigma > 1e-6 {
            func slope(_ s: Double) -> Double {
                _ = maximizeOverBeta(objective, sigma: s, state: &state)
                evaluations += 1
                return objective.evaluate(beta: state.beta, sigma: s, modes: &state.modes).gradientSigma
            }
            var a = sigma, b = sigma * (1 + 1e-4)
            var slopeA = slope(a), slopeB = slope(b)
            for _ in 0..<30 where slopeB != slopeA {
                let next = b - slopeB * (b - a) / (slopeB - slopeA)
                guard next > sigma / 2 && next < sigma * 2 else { break }
                (a, slopeA) = (b, slopeB)
                b = next
                slopeB = slope(b)
                if abs(b - a) <= 1e-13 * b { break }
            }
            if abs(b - sigma) < sigma / 2 { sigma = b }
        }
        // A σ Brent could not tell from 0 is the boundary fit lme4 calls singular: plain logistic regression.
        if sigma < 1e-6 { sigma = 0 }
        let logLikelihood = maximizeOverBeta(objective, sigma: sigma, state: &state)
        let covariance = try fixedEffectCovariance(objective, beta: state.beta, sigma: sigma, modes: state.modes)
        return RegressionFit(coefficients: state.beta, covariance: covariance, logLikelihood: logLikelihood,
                             iterations: evaluations, converged: state.converged,
                             groupVariance: sigma * sigma, groupCount: ranges.count)
    }

    private struct ProfileState {
        var beta: [Double]
        var modes: [Double]
        var converged = true
    }

    /// Maximises the Laplace log-likelihood over β at fixed σ by Newton steps with step halving,
    /// starting from the last β; returns the maximum.
    private static func maximizeOverBeta(_ objective: LaplaceObjective, sigma: Double, state: inout ProfileState) -> Double {
        var evaluation = objective.evaluate(beta: state.beta, sigma: sigma, modes: &state.modes, wantNewtonMatrix: true)
        for _ in 0..<100 {
            guard let matrix = evaluation.newtonMatrix, let factor = LinearAlgebra.cholesky(matrix) else { break }
            var step = LinearAlgebra.solve(cholesky: factor, evaluation.gradientBeta)
            var halvings = 0
            while true {
                var modes = state.modes
                let candidate = zip(state.beta, step).map(+)
                let next = objective.evaluate(beta: candidate, sigma: sigma, modes: &modes, wantNewtonMatrix: true)
                if next.logLikelihood >= evaluation.logLikelihood - 1e-12 * abs(evaluation.logLikelihood) || halvings == 30 {
                    state.beta = candidate
                    state.modes = modes
                    evaluation = next
                    break
                }
                step = step.map { $0 / 2 }
                halvings += 1
            }
            if step.map(abs).max() ?? 0 <= 1e-11 * (1 + (state.beta.map(abs).max() ?? 0)) { return evaluation.logLikelihood }
        }
        state.converged = false
        return evaluation.logLikelihood
    }

    /// The fixed effects' covariance as lme4's `vcov` gives it for nAGQ = 1: from the Hessian of the
    /// deviance −2ℓ in (σ, β) (here by central differences of the analytic gradient), inverted whole and
    /// its β block taken, so the uncertainty in σ is carried into the fixed effects. At σ = 0 only β varies.
    private static func fixedEffectCovariance(_ objective: LaplaceObjective, beta: [Double], sigma: Double, modes: [Double]) throws -> Matrix {
        let parameters = (sigma > 0 ? [sigma] : []) + beta
        let first = sigma > 0 ? 1 : 0
        let count = parameters.count
        func gradient(_ theta: [Double]) -> [Double] {
            var modes = modes
            let e = objective.evaluate(beta: Array(theta.dropFirst(first)), sigma: first == 1 ? theta[0] : 0, modes: &modes)
            return ((first == 1 ? [e.gradientSigma] : []) + e.gradientBeta).map { -2 * $0 }
        }
        var hessian = Matrix(zeros: count, count)
        for k in 0..<count {
            let h = 1e-5 * max(1, abs(parameters[k]))
            var plus = parameters, minus = parameters
            plus[k] += h
            minus[k] -= h
            let (gPlus, gMinus) = (gradient(plus), gradient(minus))
            for r in 0..<count { hessian[r, k] = (gPlus[r] - gMinus[r]) / (2 * h) }
        }
        for r in 0..<count { for c in 0..<r { let m = (hessian[r, c] + hessian[c, r]) / 2; hessian[r, c] = m; hessian[c, r] = m } }
        // The deviance Hessian is twice the information: invert H/2.
        hessian.values = hessian.values.map { $0 / 2 }
        guard let factor = LinearAlgebra.cholesky(hessian) else {
            throw IMATError(data: "the mixed model's information matrix is not positive definite at the fit (is the random-intercept variance at its boundary of 0?)")
        }
        let inverse = LinearAlgebra.inverse(cholesky: factor)
        var covariance = Matrix(zeros: beta.count, beta.count)
        for r in 0..<beta.count { for c in 0..<beta.count { covariance[r, c] = inverse[first + r, first + c] } }
        return covariance
    }
}

/// Brent's method for the minimum of a function on an interval, with golden-section steps where the
/// parabolic ones are not trusted (Brent, *Algorithms for Minimization without Derivatives*, 1973, ch. 5).
func brentMinimum(in interval: ClosedRange<Double>, tolerance: Double, _ f: (Double) -> Double) -> Double {
    let golden = (3 - 5.0.squareRoot()) / 2
    var a = interval.lowerBound, b = interval.upperBound
    var x = a + golden * (b - a), w = x, v = x
    var fx = f(x), fw = fx, fv = fx
    var d = 0.0, e = 0.0
    for _ in 0..<200 {
        let middle = (a + b) / 2
        let tol1 = tolerance * abs(x) + 1e-10, tol2 = 2 * tol1
        if abs(x - middle) <= tol2 - (b - a) / 2 { break }
        var useGolden = true
        if abs(e) > tol1 {
            var r = (x - w) * (fx - fv)
            var q = (x - v) * (fx - fw)
            var p = (x - v) * q - (x - w) * r
            q = 2 * (q - r)
            if q > 0 { p = -p } else { q = -q }
            r = e
            e = d
            if abs(p) < abs(0.5 * q * r) && p > q * (a - x) && p < q * (b - x) {
                d = p / q
                let u = x + d
                if u - a < tol2 || b - u < tol2 { d = x < middle ? tol1 : -tol1 }
                useGolden = false
            }
        }
        if useGolden {
            e = (x < middle ? b : a) - x
            d = golden * e
        }
        let u = abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1)
        let fu = f(u)
        if fu <= fx {
            if u < x { b = x } else { a = x }
            (v, fv) = (w, fw)
            (w, fw) = (x, fx)
            (x, fx) = (u, fu)
        } else {
            if u < x { a = u } else { b = u }
            if fu <= fw || w == x {
                (v, fv) = (w, fw)
                (w, fw) = (u, fu)
            } else if fu <= fv || v == x || v == w {
                (v, fv) = (u, fu)
            }
        }
    }
    return x
}
