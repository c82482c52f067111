import Foundation
import VolumeIO

/// Monomials x^a·y^b·z^c (a + b + c ≤ degree) in coordinates scaled to −1…1 over a mask's bounding box,
/// with the weighted least-squares fit and evaluation done row by row: within an x-row y and z are
/// fixed, so the normal equations need only the row's moments Σw·x^p (p ≤ 2·degree), which makes a fit
/// cost O(voxels·degree + rows·terms²) rather than O(voxels·terms²).
struct PolynomialBasis {
    let terms: [(x: Int, y: Int, z: Int)]
    let degree: Int
    let dimensions: Dimensions
    let labels: [UInt16]
    let selection: LabelSelection
    private let low: SIMD3<Double>
    private let high: SIMD3<Double>

    init(degree: Int, dimensions: Dimensions, labels: [UInt16], selection: LabelSelection, workers: Int) throws {
        var terms: [(x: Int, y: Int, z: Int)] = []
        for total in 0...degree {
            for c in 0...total { for b in 0...(total - c) { terms.append((total - b - c, b, c)) } }
        }
        self.terms = terms
        self.degree = degree
        self.dimensions = dimensions
        self.labels = labels
        self.selection = selection
        let boxes = Chunks.map(labels.count, workers: workers) { range -> (SIMD3<Double>, SIMD3<Double>) in
            var lo = SIMD3<Double>(repeating: .infinity), hi = SIMD3<Double>(repeating: -.infinity)
            for i in range where selection.contains(labels[i]) {
                let p = SIMD3<Double>(Double(i % dimensions.x), Double((i / dimensions.x) % dimensions.y), Double(i / dimensions.sliceVoxelCount))
                lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p)
            }
            return (lo, hi)
        }
        let lo = boxes.map(\.0).reduce(SIMD3(repeating: .infinity), pointwiseMin)
        let hi = boxes.map(\.1).reduce(SIMD3(repeating: -.infinity), pointwiseMax)
        guard lo.x.isFinite else { throw SegmentationError.emptyMask("the bias-field mask") }
        low = lo
        high = hi
    }

    /// Coordinate along one axis scaled to −1…1 over the box (clamped outside it; 0 for a flat box).
    @inline(__always)
    private func scaled(_ index: Int, axis: Int) -> Double {
        let span = high[axis] - low[axis]
        guard span > 0 else { return 0 }
        return 2 * (min(max(Double(index), low[axis]), high[axis]) - low[axis]) / span - 1
    }

    /// y^b·z^c of every term for the x-row (j, k), from running products rather than pow, which was
    /// a third of the bias correction's time.
    @inline(__always)
    private func rowFactors(j: Int, k: Int) -> [Double] {
        let v = scaled(j, axis: 1), z = scaled(k, axis: 2)
        var vPowers = [Double](repeating: 1, count: degree + 1), zPowers = vPowers
        for p in stride(from: 1, through: degree, by: 1) { vPowers[p] = vPowers[p - 1] * v; zPowers[p] = zPowers[p - 1] * z }
        return terms.map { vPowers[$0.y] * zPowers[$0.z] }
    }

    private var slabs: [Range<Int>] { Parallel.ranges(dimensions.z, chunkSize: 4) }

    /// Least-squares coefficients of the residuals `sample(i) = (weight, residual)` over the mask.
    func fit(workers: Int, _ sample: (Int) -> (Double, Double)) -> [Double]? {
        let n = terms.count, moments = 2 * degree + 1
        let parts = Parallel.map(slabs.count, workers: workers) { s -> ([Double], [Double]) in
            var a = [Double](repeating: 0, count: n * n), b = [Double](repeating: 0, count: n)
            var mx = [Double](repeating: 0, count: moments), rx = [Double](repeating: 0, count: degree + 1)
            for k in slabs[s] {
                for j in 0..<dimensions.y {
                    for p in 0..<moments { mx[p] = 0 }
                    for p in 0...degree { rx[p] = 0 }
                    let rowStart = dimensions.index(0, j, k)
                    for i in 0..<dimensions.x where selection.contains(labels[rowStart + i]) {
                        let (w, r) = sample(rowStart + i)
                        guard w > 0 else { continue }
                        let u = scaled(i, axis: 0)
                        var power = w
                        for p in 0..<moments {
                            mx[p] += power
                            if p <= degree { rx[p] += power * r }
                            power *= u
                        }
                    }
                    guard mx[0] > 0 else { continue }
                    let yz = rowFactors(j: j, k: k)
                    for t in 0..<n {
                        b[t] += yz[t] * rx[terms[t].x]
                        for t2 in t..<n { a[t * n + t2] += yz[t] * yz[t2] * mx[terms[t].x + terms[t2].x] }
                    }
                }
            }
            return (a, b)
        }
        var a = [Double](repeating: 0, count: n * n), b = [Double](repeating: 0, count: n)
        for (pa, pb) in parts {
            for t in 0..<(n * n) { a[t] += pa[t] }
            for t in 0..<n { b[t] += pb[t] }
        }
        for t in 0..<n { for t2 in 0..<t { a[t * n + t2] = a[t2 * n + t] } }
        return solveSymmetricPositiveDefinite(a, b)
    }

    /// Calls `body(i, value)` for every mask voxel (or every voxel) with the polynomial's value there,
    /// slab by slab in parallel; returns each slab's result in order.
    private func evaluate<T>(_ coefficients: [Double], everywhere: Bool, workers: Int,
                             _ start: T, _ body: (inout T, Int, Double) -> Void) -> [T] {
        Parallel.map(slabs.count, workers: workers) { s -> T in
            var state = start
            var row = [Double](repeating: 0, count: degree + 1)
            for k in slabs[s] {
                for j in 0..<dimensions.y {
                    for p in 0...degree { row[p] = 0 }
                    let yz = rowFactors(j: j, k: k)
                    for (t, term) in terms.enumerated() { row[term.x] += coefficients[t] * yz[t] }
                    let rowStart = dimensions.index(0, j, k)
                    for i in 0..<dimensions.x where everywhere || selection.contains(labels[rowStart + i]) {
                        let u = scaled(i, axis: 0)
                        var value = 0.0
                        for p in stride(from: degree, through: 0, by: -1) { value = value * u + row[p] }
                        body(&state, rowStart + i, value)
                    }
                }
            }
            return state
        }
    }

    /// The mean of the polynomial over the mask voxels.
    func meanOverMask(_ coefficients: [Double], workers: Int) -> Double {
        let parts = evaluate(coefficients, everywhere: false, workers: workers, (0.0, 0.0)) { state, _, value in
            state.0 += value; state.1 += 1
        }
        let total = parts.reduce((0.0, 0.0)) { ($0.0 + $1.0, $0.1 + $1.1) }
        return total.1 > 0 ? total.0 / total.1 : 0
    }

    /// The smallest and largest value of the polynomial over the mask voxels.
    func range(_ coefficients: [Double], workers: Int) -> ClosedRange<Double> {
        let parts = evaluate(coefficients, everywhere: false, workers: workers, (Double.infinity, -Double.infinity)) { state, _, value in
            state = (min(state.0, value), max(state.1, value))
        }
        let lo = parts.map(\.0).min() ?? 0, hi = parts.map(\.1).max() ?? 0
        return lo <= hi ? lo...hi : 0...0
    }

    /// `image / exp(polynomial)` at every voxel, or only at the mask voxels (others keep their value).
    func divide(_ image: [Float], byExpOf coefficients: [Double], everywhere: Bool, workers: Int) -> [Float] {
        var out = image
        out.withUnsafeMutableBufferPointer { buffer in
            let shared = UnsafeSendableBuffer(buffer)
            _ = evaluate(coefficients, everywhere: everywhere, workers: workers, ()) { _, i, value in
                shared.base[i] = Float(Double(image[i]) * exp(-value))
            }
        }
        return out
    }
}
