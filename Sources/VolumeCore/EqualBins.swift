/// Equal-width bins over [min, max], counted by hand where a value is computed on the fly: bin `i`
/// covers `[origin + i·width, origin + (i+1)·width)` and the last bin also holds its upper edge (the
/// convention of NumPy and of `Histogram`); values outside are clamped to the end bins.
package struct EqualBins: Sendable {
    package let origin: Double
    package let count: Int
    private let scale: Double

    package init(origin: Double, width: Double, count: Int) {
        (self.origin, self.count, scale) = (origin, count, 1 / width)
    }

    @inline(__always)
    package func index(of value: Double) -> Int { min(max(Int((value - origin) * scale), 0), count - 1) }

    /// Per-chunk counts added in chunk order.
    package static func merged(_ parts: [[Int]]) -> [Int] {
        guard var total = parts.first else { return [] }
        for part in parts.dropFirst() { for b in total.indices { total[b] += part[b] } }
        return total
    }
}
