/// Solves A·x = b for a symmetric positive-definite A (row-major n×n) by Cholesky factorisation,
/// with a ridge of 1e-12·max diagonal so a rank-deficient design (e.g. a flat mask) stays solvable.
/// Reference: G. H. Golub, C. F. Van Loan, Matrix Computations, 4th ed., §4.2, 2013.
/// Returns nil when A is not positive definite even with the ridge.
func solveSymmetricPositiveDefinite(_ a: [Double], _ b: [Double]) -> [Double]? {
    let n = b.count
    var l = a
    let ridge = 1e-12 * (0..<n).map { a[$0 * n + $0] }.max()!
    for i in 0..<n { l[i * n + i] += ridge }
    for j in 0..<n {
        var d = l[j * n + j]
        for k in 0..<j { d -= l[j * n + k] * l[j * n + k] }
        guard d > 0 else { return nil }
        let root = d.squareRoot()
        l[j * n + j] = root
        for i in (j + 1)..<max(j + 1, n) {
            var s = l[i * n + j]
            for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
            l[i * n + j] = s / root
        }
    }
    var y = b
    for i in 0..<n {
        for k in 0..<i { y[i] -= l[i * n + k] * y[k] }
        y[i] /= l[i * n + i]
    }
    for i in stride(from: n - 1, through: 0, by: -1) {
        for k in (i + 1)..<max(i + 1, n) { y[i] -= l[k * n + i] * y[k] }
        y[i] /= l[i * n + i]
    }
    return y
}
