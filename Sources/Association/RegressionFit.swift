import MatrixAlgebra

/// A fitted regression: its coefficients on the scale of the linear predictor, their covariance, and
/// how the fit went.
struct RegressionFit: Sendable {
    var coefficients: [Double]
    var covariance: Matrix
    var logLikelihood: Double
    var iterations: Int
    var converged: Bool
    /// Residual degrees of freedom for t-based tests (linear regression); nil means z-based (Wald).
    var degreesOfFreedom: Double? = nil
    /// The residual variance of a linear regression.
    var residualVariance: Double? = nil
    /// The variance of the random intercept of a mixed model, and the number of groups.
    var groupVariance: Double? = nil
    var groupCount: Int? = nil

    var standardErrors: [Double] { covariance.diagonal.map { $0.squareRoot() } }
}
