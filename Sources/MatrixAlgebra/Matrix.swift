/// A dense matrix of doubles in column-major order, the layout BLAS and LAPACK work on.
package struct Matrix: Sendable, Equatable {
    package let rows: Int
    package let columns: Int
    package var values: [Double]

    package init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns)
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    package init(zeros rows: Int, _ columns: Int) {
        self.init(rows: rows, columns: columns, values: [Double](repeating: 0, count: rows * columns))
    }

    /// A matrix from its columns, each `rows` long.
    package init(columns: [[Double]], rows: Int) {
        self.init(rows: rows, columns: columns.count, values: columns.flatMap { $0 })
    }

    package subscript(row: Int, column: Int) -> Double {
        get { values[column * rows + row] }
        set { values[column * rows + row] = newValue }
    }

    package func column(_ j: Int) -> ArraySlice<Double> { values[(j * rows)..<((j + 1) * rows)] }

    /// The matrix without the given column.
    package func removingColumn(_ j: Int) -> Matrix {
        var kept = values
        kept.removeSubrange((j * rows)..<((j + 1) * rows))
        return Matrix(rows: rows, columns: columns - 1, values: kept)
    }

    package var diagonal: [Double] { (0..<min(rows, columns)).map { self[$0, $0] } }
}
