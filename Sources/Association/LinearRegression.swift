import Foundation
import MatrixAlgebra
import VolumeCore

/// Ordinary least squares by Householder QR (LAPACK dgeqrf), with the classical covariance
/// σ̂²(XᵀX)⁻¹, σ̂² = RSS/(n − p), and t tests on n − p degrees of freedom (as statsmodels OLS and R lm).
enum LinearRegression {
    static func fit(_ x: Matrix, outcome y: [Double]) throws -> RegressionFit {
        let (beta, inverse) = LinearAlgebra.leastSquares(x, y)
        let fitted = LinearAlgebra.multiply(x, beta)
        let rss = zip(y, fitted).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        guard rss > 0 else { throw IMATError(data: "the covariates fit the outcome exactly (no residual variance); check the outcome column") }
        let n = Double(x.rows), df = Double(x.rows - x.columns)
        let residualVariance = rss / df
        var covariance = inverse
        covariance.values = inverse.values.map { $0 * residualVariance }
        // The Gaussian log-likelihood at the maximum-likelihood variance RSS/n.
        let logLikelihood = -n / 2 * (log(2 * Double.pi) + log(rss / n) + 1)
        return RegressionFit(coefficients: beta, covariance: covariance, logLikelihood: logLikelihood, iterations: 1,
                             converged: true, degreesOfFreedom: df, residualVariance: residualVariance)
    }
}
