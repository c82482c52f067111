import CLapack

/// The few BLAS and LAPACK calls the regressions and the bias-field fit need, with Swift types and
/// checked results.
package enum LinearAlgebra {
    /// OpenBLAS may split a product or a factorisation across threads in an order that changes the last bits of the
    /// result; the matrices here are small (p ≤ a few dozen), so one thread costs nothing and keeps
    /// every fit byte-identical from run to run and machine load to machine load.
    private static let singleThreaded: Void = openblas_set_num_threads(1)

    /// `a · x` for an n×p matrix and a p-vector.
    package static func multiply(_ a: Matrix, _ x: [Double]) -> [Double] {
        _ = singleThreaded
        var y = [Double](repeating: 0, count: a.rows)
        cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(a.rows), Int32(a.columns), 1, a.values, Int32(a.rows), x, 1, 0, &y, 1)
        return y
    }

    /// `aᵀ · x` for an n×p matrix and an n-vector.
    package static func multiplyTransposed(_ a: Matrix, _ x: [Double]) -> [Double] {
        _ = singleThreaded
        var y = [Double](repeating: 0, count: a.columns)
        cblas_dgemv(CblasColMajor, CblasTrans, Int32(a.rows), Int32(a.columns), 1, a.values, Int32(a.rows), x, 1, 0, &y, 1)
        return y
    }

    /// `aᵀ·diag(w)·a`, the weighted cross-product of IRLS, as a full symmetric p×p matrix (dsyrk on √w·a).
    package static func weightedCrossProduct(_ a: Matrix, weights: [Double]) -> Matrix {
        _ = singleThreaded
        var scaled = a.values
        let roots = weights.map { $0.squareRoot() }
        for j in 0..<a.columns {
            let offset = j * a.rows
            for i in 0..<a.rows { scaled[offset + i] *= roots[i] }
        }
        var product = Matrix(zeros: a.columns, a.columns)
        cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, Int32(a.columns), Int32(a.rows), 1, scaled, Int32(a.rows), 0,
                    &product.values, Int32(a.columns))
        return symmetrizedFromLower(product)
    }

    /// The lower Cholesky factor of a symmetric positive-definite matrix, or nil when it is not
    /// numerically positive definite.
    package static func cholesky(_ s: Matrix) -> Matrix? {
        _ = singleThreaded
        var factor = s
        let info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, lower, Int32(s.rows), &factor.values, Int32(s.rows))
        return info == 0 ? factor : nil
    }

    /// Solves `s·x = b` given the Cholesky factor of `s`.
    package static func solve(cholesky factor: Matrix, _ b: [Double]) -> [Double] {
        var x = b
        let info = LAPACKE_dpotrs(LAPACK_COL_MAJOR, lower, Int32(factor.rows), 1, factor.values, Int32(factor.rows), &x, Int32(factor.rows))
        precondition(info == 0, "dpotrs rejected its arguments (\(info))")
        return x
    }

    /// `s⁻¹` given the Cholesky factor of `s`.
    package static func inverse(cholesky factor: Matrix) -> Matrix {
        var inverse = factor
        let info = LAPACKE_dpotri(LAPACK_COL_MAJOR, lower, Int32(factor.rows), &inverse.values, Int32(factor.rows))
        precondition(info == 0, "dpotri failed on a positive-definite factor (\(info))")
        return symmetrizedFromLower(inverse)
    }

    /// Columns of `a` that are linear combinations of the others, by QR with column pivoting (dgeqp3)
    /// on the columns scaled to unit length: a column is dependent when its pivot's |Rₖₖ| falls below
    /// `tolerance`·|R₁₁|. Returns their indices, or [] when `a` has full column rank.
    package static func dependentColumns(_ a: Matrix, tolerance: Double = 1e-10) -> [Int] {
        var scaled = a
        for j in 0..<a.columns {
            let norm = a.column(j).reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0 else { continue }
            for i in 0..<a.rows { scaled[i, j] /= norm }
        }
        var pivots = [Int32](repeating: 0, count: a.columns)
        var tau = [Double](repeating: 0, count: min(a.rows, a.columns))
        let info = LAPACKE_dgeqp3(LAPACK_COL_MAJOR, Int32(a.rows), Int32(a.columns), &scaled.values, Int32(a.rows), &pivots, &tau)
        precondition(info == 0, "dgeqp3 rejected its arguments (\(info))")
        let r = scaled.diagonal.map(abs)
        guard let largest = r.first, largest > 0 else { return Array(0..<a.columns) }
        let rank = r.prefix { $0 > tolerance * largest }.count
        return pivots[rank...].map { Int($0) - 1 }.sorted()
    }

    /// Least squares `min ‖a·x − b‖` by Householder QR (dgeqrf), with `(aᵀa)⁻¹` from the triangular
    /// factor; `a` must have full column rank.
    package static func leastSquares(_ a: Matrix, _ b: [Double]) -> (solution: [Double], inverseCrossProduct: Matrix) {
        _ = singleThreaded
        let n = Int32(a.rows), p = Int32(a.columns)
        var qr = a
        var tau = [Double](repeating: 0, count: a.columns)
        var info = LAPACKE_dgeqrf(LAPACK_COL_MAJOR, n, p, &qr.values, n, &tau)
        precondition(info == 0, "dgeqrf rejected its arguments (\(info))")
        var qtb = b
        info = LAPACKE_dormqr(LAPACK_COL_MAJOR, left, transposed, n, 1, p, qr.values, n, tau, &qtb, n)
        precondition(info == 0, "dormqr rejected its arguments (\(info))")
        // R (upper) is the Cholesky factor of aᵀa up to row signs, which dtrtrs and dpotri do not mind.
        var r = Matrix(zeros: a.columns, a.columns)
        for j in 0..<a.columns { for i in 0...j { r[i, j] = qr[i, j] } }
        var x = Array(qtb.prefix(a.columns))
        info = LAPACKE_dtrtrs(LAPACK_COL_MAJOR, upper, notTransposed, nonUnitDiagonal, p, 1, r.values, p, &x, p)
        precondition(info == 0, "dtrtrs met a singular R (\(info)); the design was checked for full rank")
        info = LAPACKE_dpotri(LAPACK_COL_MAJOR, upper, p, &r.values, p)
        precondition(info == 0, "dpotri met a singular R (\(info))")
        for j in 0..<a.columns { for i in (j + 1)..<a.columns { r[i, j] = r[j, i] } }
        return (x, r)
    }

    private static func symmetrizedFromLower(_ m: Matrix) -> Matrix {
        var full = m
        for j in 0..<m.columns { for i in 0..<j { full[i, j] = m[j, i] } }
        return full
    }

    private static let lower = CChar(UInt8(ascii: "L"))
    private static let upper = CChar(UInt8(ascii: "U"))
    private static let left = CChar(UInt8(ascii: "L"))
    private static let transposed = CChar(UInt8(ascii: "T"))
    private static let notTransposed = CChar(UInt8(ascii: "N"))
    private static let nonUnitDiagonal = CChar(UInt8(ascii: "N"))
}
