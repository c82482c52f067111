import Foundation

/// A 4×4 affine (last row 0 0 0 1) mapping voxel indices to scanner millimetres, NIfTI convention (RAS+).
public struct Affine: Hashable, Sendable, CustomStringConvertible {
    /// The top three rows, row-major: rows[r][c] for c in 0...3.
    public var rows: [[Double]]

    public init(rows: [[Double]]) {
        precondition(rows.count == 3 && rows.allSatisfy { $0.count == 4 }, "an affine needs 3 rows of 4")
        self.rows = rows
    }

    public static func diagonal(_ d: SIMD3<Double>, origin: SIMD3<Double> = .zero) -> Affine {
        Affine(rows: [[d.x, 0, 0, origin.x], [0, d.y, 0, origin.y], [0, 0, d.z, origin.z]])
    }

    /// The affine given to an image that carries no geometry of its own (a PNG slice folder):
    /// axial slices as a viewer shows them, columns from patient right to left, rows from anterior
    /// to posterior, slices from inferior to superior, so the orientation code is LPS.
    public static func sliceStack(spacing: SIMD3<Double>) -> Affine {
        diagonal(SIMD3(-spacing.x, -spacing.y, spacing.z))
    }

    /// Scanner position of voxel (i, j, k).
    public func apply(_ i: Double, _ j: Double, _ k: Double) -> SIMD3<Double> {
        SIMD3((0..<3).map { r in rows[r][0] * i + rows[r][1] * j + rows[r][2] * k + rows[r][3] })
    }

    /// Length of each voxel axis in mm (the column norms of the linear part).
    public var columnNorms: SIMD3<Double> {
        SIMD3((0..<3).map { c in (0..<3).map { rows[$0][c] * rows[$0][c] }.reduce(0, +).squareRoot() })
    }

    /// Orientation code such as "RAS" or "LPS": for each voxel axis, the anatomical direction it
    /// points to most, chosen as nibabel's aff2axcodes does (greedy on the largest absolute entry).
    public var orientationCode: String {
        // Decide the axes that align best with a world axis first, so oblique grids get consistent letters.
        let norms = columnNorms
        func alignment(_ c: Int) -> Double { (0..<3).map { abs(rows[$0][c]) }.max()! / max(norms[c], .leastNonzeroMagnitude) }
        let order = (0..<3).sorted { alignment($0) == alignment($1) ? $0 < $1 : alignment($0) > alignment($1) }
        let positive: [Character] = ["R", "A", "S"], negative: [Character] = ["L", "P", "I"]
        var letters = [Character](repeating: "?", count: 3)
        var usedRows = Set<Int>()
        for c in order {
            let free = (0..<3).filter { !usedRows.contains($0) }
            guard let r = free.max(by: { abs(rows[$0][c]) < abs(rows[$1][c]) }), rows[r][c] != 0 else { continue }
            usedRows.insert(r)
            letters[c] = rows[r][c] > 0 ? positive[r] : negative[r]
        }
        return String(letters)
    }

    public func isClose(to other: Affine, tolerance: Double) -> Bool {
        zip(rows.joined(), other.rows.joined()).allSatisfy { abs($0 - $1) <= tolerance }
    }

    public var description: String {
        rows.map { $0.map { String(format: "%.4g", $0) }.joined(separator: " ") }.joined(separator: "; ")
    }
}
