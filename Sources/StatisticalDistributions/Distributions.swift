import Foundation

/// The standard normal distribution: Wald tests, their intervals, and the normal draws' reference.
public enum StandardNormal {
    /// P(|Z| ≥ |z|), computed with erfc so that tiny p-values keep their relative accuracy.
    public static func twoSidedP(_ z: Double) -> Double { erfc(abs(z) / 2.0.squareRoot()) }

    /// The z with P(Z > z) = `tail`, for 0 < tail < 0.5.
    public static func upperQuantile(_ tail: Double) -> Double {
        invertUpperTail(tail, upperTail: { erfc($0 / 2.0.squareRoot()) / 2 },
                        density: { exp(-$0 * $0 / 2) / (2 * Double.pi).squareRoot() })
    }
}

/// Student's t distribution, for the tests and intervals of linear regression.
public enum StudentT {
    /// P(|T| ≥ |t|) with `df` degrees of freedom: I_{df/(df+t²)}(df/2, 1/2).
    public static func twoSidedP(_ t: Double, degreesOfFreedom df: Double) -> Double {
        regularizedIncompleteBeta(df / (df + t * t), a: df / 2, b: 0.5)
    }

    /// The t with P(T > t) = `tail`, for 0 < tail < 0.5.
    public static func upperQuantile(_ tail: Double, degreesOfFreedom df: Double) -> Double {
        let logNormalizer = lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * log(df * Double.pi)
        return invertUpperTail(tail, upperTail: { twoSidedP($0, degreesOfFreedom: df) / 2 },
                               density: { exp(logNormalizer - (df + 1) / 2 * log1p($0 * $0 / df)) })
    }
}

/// The χ² distribution: likelihood-ratio tests and heterogeneity statistics (Cochran's Q on K − 1 df).
public enum ChiSquared {
    /// P(X ≥ x) with `df` degrees of freedom: the regularized upper incomplete gamma Q(df/2, x/2), computed
    /// directly (not as 1 − P) where it is small, so far tails keep their relative accuracy.
    public static func upperTail(_ x: Double, degreesOfFreedom df: Double) -> Double {
        x <= 0 ? 1 : regularizedUpperGamma(df / 2, x / 2)
    }
}

/// Solves upperTail(x) = target for x > 0 by Newton's method on a decreasing tail, kept inside a
/// shrinking bracket so that a poor step falls back to bisection.
private func invertUpperTail(_ target: Double, upperTail: (Double) -> Double, density: (Double) -> Double) -> Double {
    precondition(target > 0 && target < 0.5)
    var low = 0.0, high = 1.0
    while upperTail(high) > target { low = high; high *= 2 }
    var x = (low + high) / 2
    for _ in 0..<200 {
        let excess = upperTail(x) - target
        if excess > 0 { low = x } else { high = x }
        var next = x + excess / density(x)
        if !(next > low && next < high) { next = (low + high) / 2 }
        if abs(next - x) <= 1e-15 * x { return next }
        x = next
    }
    return x
}

/// The regularized upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a), as Numerical Recipes §6.2
/// (`gammq`): the series for P(a, x) below x = a + 1, where Q = 1 − P is not small, and the continued
/// fraction for Q itself (modified Lentz) above it.
func regularizedUpperGamma(_ a: Double, _ x: Double) -> Double {
    if x <= 0 { return 1 }
    let logFront = a * log(x) - x - lgamma(a)
    if x < a + 1 {
        var term = 1 / a, sum = term, denominator = a
        for _ in 0..<100_000 {
            denominator += 1
            term *= x / denominator
            sum += term
            if abs(term) < abs(sum) * 1e-17 { break }
        }
        return max(0, 1 - sum * exp(logFront))
    }
    let tiny = 1e-300
    var b = x + 1 - a
    var c = 1 / tiny
    var d = 1 / b
    var fraction = d
    for i in 1...100_000 {
        let an = -Double(i) * (Double(i) - a)
        b += 2
        d = an * d + b; if abs(d) < tiny { d = tiny }
        c = b + an / c; if abs(c) < tiny { c = tiny }
        d = 1 / d
        let step = d * c
        fraction *= step
        if abs(step - 1) < 1e-16 { break }
    }
    return exp(logFront) * fraction
}

/// The regularized incomplete beta function I_x(a, b), by the continued fraction of Numerical Recipes
/// §6.4 (modified Lentz), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where it converges faster.
func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
    if x < (a + 1) / (a + b + 2) {
        return exp(logFront) * betaContinuedFraction(x, a: a, b: b) / a
    }
    return 1 - exp(logFront) * betaContinuedFraction(1 - x, a: b, b: a) / b
}

private func betaContinuedFraction(_ x: Double, a: Double, b: Double) -> Double {
    let tiny = 1e-300
    var c = 1.0
    var d = 1 - (a + b) * x / (a + 1)
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var fraction = d
    for m in 1...100_000 {
        let m = Double(m)
        let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        d = 1 + even * d; if abs(d) < tiny { d = tiny }
        c = 1 + even / c; if abs(c) < tiny { c = tiny }
        d = 1 / d
        fraction *= d * c
        let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1 + odd * d; if abs(d) < tiny { d = tiny }
        c = 1 + odd / c; if abs(c) < tiny { c = tiny }
        d = 1 / d
        let step = d * c
        fraction *= step
        if abs(step - 1) < 1e-16 { break }
    }
    return fraction
}
