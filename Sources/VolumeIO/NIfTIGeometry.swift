import VolumeCore
/// The NIfTI ways of turning a header into a voxel-to-scanner affine, and an affine back into a qform.
enum NIfTIGeometry {
    /// The affine a header describes, chosen as nifti1.h orders the methods: the sform when
    /// sform_code > 0, else the qform when qform_code > 0, else nibabel's fallback for a header
    /// with no transform (`shapeZoomAffine`).
    static func affine(of header: NIfTIHeader, dimensions: Dimensions, spacing: SIMD3<Double>) -> Affine {
        if header.sformCode > 0 { return Affine(rows: header.sformRows) }
        if header.qformCode > 0 {
            return quaternionAffine(header.quaternion, offset: header.quaternionOffset, spacing: spacing,
                                    qfac: header.pixdim[0] < 0 ? -1 : 1)
        }
        return shapeZoomAffine(dimensions: dimensions, spacing: spacing)
    }

    /// The qform affine: rotation R from the unit quaternion (a, b, c, d), with a ≥ 0 recovered from
    /// b, c, d, times diag(dx, dy, qfac·dz), plus the offset. qfac is pixdim[0], where 0 counts as 1.
    ///
    /// Reference: nifti1.h, "METHOD 2" of the header comment, and nifti1_io.c
    /// `nifti_quatern_to_mat44`, which also renormalises (b, c, d) when 1 − b² − c² − d² is tiny.
    static func quaternionAffine(_ bcd: SIMD3<Double>, offset: SIMD3<Double>, spacing: SIMD3<Double>, qfac: Double) -> Affine {
        var (b, c, d) = (bcd.x, bcd.y, bcd.z)
        let aSquared = 1 - (b * b + c * c + d * d)
        var a = 0.0
        if aSquared < 1e-7 {
            // A 180° rotation: (b, c, d) should be a unit vector; rounding left it slightly off.
            let norm = (b * b + c * c + d * d).squareRoot()
            if norm > 0 { (b, c, d) = (b / norm, c / norm, d / norm) }
        } else {
            a = aSquared.squareRoot()
        }
        let rotation: [[Double]] = [
            [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
            [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
            [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - b * b - c * c],
        ]
        let scale = [spacing.x, spacing.y, spacing.z * qfac]
        return Affine(rows: (0..<3).map { r in (0..<3).map { rotation[r][$0] * scale[$0] } + [offset[r]] })
    }

    /// The qform that best represents `affine`: quaternion (b, c, d) and qfac (−1 for a left-handed grid),
    /// using the rotation nearest to the affine's column-normalised linear part so that shears are dropped.
    /// Nil when the linear part is singular and no rotation describes it.
    ///
    /// Reference: nifti1_io.c `nifti_mat44_to_quatern` and nibabel `Nifti1Header.set_qform` (normalise the
    /// columns, flip the third when the determinant is negative, take the orthogonal polar factor).
    static func quaternion(of affine: Affine) -> (bcd: SIMD3<Double>, qfac: Double)? {
        var columns = (0..<3).map { c in SIMD3((0..<3).map { affine.rows[$0][c] }) }
        for c in 0..<3 {
            let norm = (columns[c] * columns[c]).sum().squareRoot()
            guard norm > 0, norm.isFinite else { return nil }
            columns[c] /= norm
        }
        let qfac: Double = determinant(columns) < 0 ? -1 : 1
        columns[2] *= qfac
        guard let rotation = nearestRotation(columns) else { return nil }
        return (quaternion(ofRotation: rotation), qfac)
    }

    /// The orthogonal polar factor of a non-singular 3×3 matrix (given as columns): the rotation nearest to it
    /// in the Frobenius norm. Nil if the matrix is singular or the iteration does not settle.
    ///
    /// Reference: N. J. Higham, "Computing the polar decomposition — with applications", SIAM J. Sci. Stat.
    /// Comput. 7 (1986): the Newton iteration X ← (X + X⁻ᵀ) / 2, quadratically convergent.
    static func nearestRotation(_ columns: [SIMD3<Double>]) -> [SIMD3<Double>]? {
        var x = columns
        for _ in 0..<100 {
            let det = determinant(x)
            guard det.isNormal else { return nil }
            // The columns of X⁻ᵀ are the cross products of pairs of columns of X over det X.
            let inverseTranspose = [cross(x[1], x[2]) / det, cross(x[2], x[0]) / det, cross(x[0], x[1]) / det]
            let next = (0..<3).map { (x[$0] + inverseTranspose[$0]) / 2 }
            let change = (0..<3).map { ((next[$0] - x[$0]) * (next[$0] - x[$0])).sum() }.reduce(0, +)
            x = next
            if change < 1e-28 { return x }
        }
        return nil
    }

    /// The unit quaternion (b, c, d part, with a ≥ 0) of a proper rotation given as columns, computed from
    /// its largest diagonal combination for accuracy near 180°.
    ///
    /// Reference: S. W. Shepperd, "Quaternion from rotation matrix", J. Guidance and Control 1 (1978).
    static func quaternion(ofRotation columns: [SIMD3<Double>]) -> SIMD3<Double> {
        func r(_ row: Int, _ column: Int) -> Double { columns[column][row] }
        let trace = r(0, 0) + r(1, 1) + r(2, 2)
        var q: SIMD4<Double>  // (a, b, c, d)
        if trace >= r(0, 0), trace >= r(1, 1), trace >= r(2, 2) {
            let a = 0.5 * (1 + trace).squareRoot()
            q = SIMD4(a, (r(2, 1) - r(1, 2)) / (4 * a), (r(0, 2) - r(2, 0)) / (4 * a), (r(1, 0) - r(0, 1)) / (4 * a))
        } else if r(0, 0) >= r(1, 1), r(0, 0) >= r(2, 2) {
            let b = 0.5 * (1 + r(0, 0) - r(1, 1) - r(2, 2)).squareRoot()
            q = SIMD4((r(2, 1) - r(1, 2)) / (4 * b), b, (r(0, 1) + r(1, 0)) / (4 * b), (r(0, 2) + r(2, 0)) / (4 * b))
        } else if r(1, 1) >= r(2, 2) {
            let c = 0.5 * (1 + r(1, 1) - r(0, 0) - r(2, 2)).squareRoot()
            q = SIMD4((r(0, 2) - r(2, 0)) / (4 * c), (r(0, 1) + r(1, 0)) / (4 * c), c, (r(1, 2) + r(2, 1)) / (4 * c))
        } else {
            let d = 0.5 * (1 + r(2, 2) - r(0, 0) - r(1, 1)).squareRoot()
            q = SIMD4((r(1, 0) - r(0, 1)) / (4 * d), (r(0, 2) + r(2, 0)) / (4 * d), (r(1, 2) + r(2, 1)) / (4 * d), d)
        }
        // The file keeps only b, c, d and rebuilds a as +√(1 − b² − c² − d²), so a must not be negative.
        if q.x < 0 { q = -q }
        return SIMD3(q.y, q.z, q.w)
    }

    /// nibabel's affine for a header without sform or qform (`shape_zoom_affine` with the x flip that
    /// Analyze images assume): voxel sizes on the diagonal, x negated, the grid's centre at the origin.
    static func shapeZoomAffine(dimensions: Dimensions, spacing: SIMD3<Double>) -> Affine {
        let size = SIMD3(Double(dimensions.x), Double(dimensions.y), Double(dimensions.z))
        let zooms = SIMD3(-spacing.x, spacing.y, spacing.z)
        return Affine.diagonal(zooms, origin: -(size - 1) / 2 * zooms)
    }

    private static func determinant(_ columns: [SIMD3<Double>]) -> Double {
        (columns[0] * cross(columns[1], columns[2])).sum()
    }
}
