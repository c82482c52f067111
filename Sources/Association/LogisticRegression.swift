import Foundation
import MatrixAlgebra
import VolumeCore

/// Maximum-likelihood logistic regression by iteratively reweighted least squares (Newton–Raphson on
/// the log-likelihood; McCullagh & Nelder, *Generalized Linear Models*, 2nd ed., §4.4), each step
/// solved by a Cholesky factorisation of Xᵀ W X (LAPACK dpotrf/dpotrs), the covariance its inverse.
enum LogisticRegression {
    /// Beyond this |η| a fitted probability differs from 0 or 1 by less than 1e-11: only separation
    /// drives a maximum-likelihood fit there.
    static let separationLinearPredictor = 25.0

    static func fit(_ x: Matrix, outcome y: [Double], terms: [String], maxIterations: Int = 100) throws -> RegressionFit {
        let meanY = y.reduce(0, +) / Double(y.count)
        guard meanY > 0 && meanY < 1 else {
            throw IMATError(data: "every one of the \(y.count) complete cases has outcome \(meanY == 0 ? 0 : 1); there is nothing to model")
        }
        var beta = [Double](repeating: 0, count: x.columns)
        beta[0] = log(meanY / (1 - meanY))
        var eta = LinearAlgebra.multiply(x, beta)
        var logLikelihood = bernoulliLogLikelihood(y, eta)
        var lastStep = [Double](repeating: 0, count: x.columns)
        for iteration in 1...maxIterations {
            let p = eta.map(logistic)
            let gradient = LinearAlgebra.multiplyTransposed(x, zip(y, p).map { $0 - $1 })
            let information = LinearAlgebra.weightedCrossProduct(x, weights: p.map { $0 * (1 - $0) })
            guard let factor = LinearAlgebra.cholesky(information) else {
                throw separationError(eta: eta, step: lastStep, x: x, terms: terms)
            }
            var step = LinearAlgebra.solve(cholesky: factor, gradient)
            // Newton on a concave function: halve the step until the likelihood does not fall.
            var candidate = zip(beta, step).map(+)
            var candidateEta = LinearAlgebra.multiply(x, candidate)
            var candidateLogLikelihood = bernoulliLogLikelihood(y, candidateEta)
            var halvings = 0
            while candidateLogLikelihood < logLikelihood - 1e-12 * abs(logLikelihood), halvings < 30 {
                step = step.map { $0 / 2 }
                candidate = zip(beta, step).map(+)
                candidateEta = LinearAlgebra.multiply(x, candidate)
                candidateLogLikelihood = bernoulliLogLikelihood(y, candidateEta)
                halvings += 1
            }
            beta = candidate
            eta = candidateEta
            logLikelihood = candidateLogLikelihood
            lastStep = step
            let largestBeta = beta.map(abs).max() ?? 0
            if step.map(abs).max() ?? 0 <= 1e-10 * (1 + largestBeta) {
                if eta.contains(where: { abs($0) > separationLinearPredictor }) {
                    throw separationError(eta: eta, step: lastStep, x: x, terms: terms)
                }
                let p = eta.map(logistic)
                let information = LinearAlgebra.weightedCrossProduct(x, weights: p.map { $0 * (1 - $0) })
                guard let factor = LinearAlgebra.cholesky(information) else {
                    throw separationError(eta: eta, step: lastStep, x: x, terms: terms)
                }
                return RegressionFit(coefficients: beta, covariance: LinearAlgebra.inverse(cholesky: factor),
                                     logLikelihood: logLikelihood, iterations: iteration, converged: true)
            }
        }
        if eta.contains(where: { abs($0) > separationLinearPredictor }) {
            throw separationError(eta: eta, step: lastStep, x: x, terms: terms)
        }
        throw IMATError(data: "the logistic regression did not converge in \(maxIterations) iterations")
    }

    /// Names the terms whose coefficients were still running away (largest last steps, measured on the
    /// scale of each column) and how many participants are fitted with probability 0 or 1.
    private static func separationError(eta: [Double], step: [Double], x: Matrix, terms: [String]) -> IMATError {
        let extreme = eta.filter { abs($0) > separationLinearPredictor }.count
        let movement = (0..<x.columns).map { j in
            abs(step[j]) * (x.column(j).reduce(0) { $0 + $1 * $1 } / Double(x.rows)).squareRoot()
        }
        let largest = movement.max() ?? 0
        let running = (1..<x.columns).filter { largest > 0 && movement[$0] >= 0.1 * largest }.map { terms[$0] }
        let which = running.isEmpty ? "" : "; the coefficients of \(running.joined(separator: ", ")) grow without bound"
        return IMATError(data: "perfect separation: the model predicts the outcome of \(extreme) participant\(extreme == 1 ? "" : "s") exactly (probability 0 or 1)\(which). Drop or merge the term that separates the outcome")
    }
}

/// 1 / (1 + e^−η), without overflow for large |η|.
func logistic(_ eta: Double) -> Double {
    eta >= 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta))
}

/// log(1 + e^η), without overflow.
func softplus(_ eta: Double) -> Double {
    eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta))
}

/// Σ yᵢηᵢ − log(1 + e^ηᵢ): the Bernoulli log-likelihood at linear predictors η.
func bernoulliLogLikelihood(_ y: [Double], _ eta: [Double]) -> Double {
    var sum = 0.0
    for i in y.indices { sum += y[i] * eta[i] - softplus(eta[i]) }
    return sum
}
