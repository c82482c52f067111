import Foundation
import MatrixAlgebra
import VolumeCore

/// Monomials x^a·y^b·z^c (a + b + c ≤ degree) in coordinates scaled to −1…1 over a mask's bounding box,
/// with the weighted least-squares fit and evaluation done row by row: within an x-row y and z are
/// fixed, so the normal equations need only the row's moments Σw·x^p (p ≤ 2·degree), which makes a fit
/// cost O(voxels·degree + rows·terms²) rather than O(voxels·terms²).
struct PolynomialBasis {
    let terms: [(x: Int, y: Int, z: Int)]
    let degree: Int
    let mask: MaskRuns
    private let low: SIMD3<Double>
    private let high: SIMD3<Double>

    init(degree: Int, mask: MaskRuns) throws {
        var terms: [(x: Int, y: Int, z: Int)] = []
        for total in 0...degree {
            for c in 0...total { for b in 0...(total - c) { terms.append((total - b - c, b, c)) } }
        }
        self.terms = terms
        self.degree = degree
        self.mask = mask
        var lo = SIMD3<Double>(repeating: .infinity), hi = SIMD3<Double>(repeating: -.infinity)
        for run in mask.runs {
            lo = pointwiseMin(lo, SIMD3(Double(run.start), Double(run.j), Double(run.k)))
            hi = pointwiseMax(hi, SIMD3(Double(run.end - 1), Double(run.j), Double(run.k)))
        }
        guard lo.x.isFinite else { throw SegmentationError.emptyMask("the bias-field mask") }
        low = lo
        high = hi
    }

    private var dimensions: Dimensions { mask.dimensions }

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

    /// The polynomial along the x-row (j, k) as coefficients of 1, x, x², … (x scaled).
    @inline(__always)
    private func rowPolynomial(_ coefficients: [Double], j: Int, k: Int) -> [Double] {
        var row = [Double](repeating: 0, count: degree + 1)
        let yz = rowFactors(j: j, k: k)
        for (t, term) in terms.enumerated() { row[term.x] += coefficients[t] * yz[t] }
        return row
    }

    @inline(__always)
    private func value(of row: [Double], at i: Int) -> Double {
        let u = scaled(i, axis: 0)
        var value = 0.0
        for p in stride(from: degree, through: 0, by: -1) { value = value * u + row[p] }
        return value
    }

    /// Least-squares coefficients of the residuals `sample(n) = (weight, residual)` over the mask
    /// voxels (`n` is the compact position). Moments are gathered per x-row and turned into normal
    /// equations when the row ends.
    func fit(workers: Int, _ sample: (Int) -> (Double, Double)) -> [Double]? {
        let n = terms.count, moments = 2 * degree + 1
        let parts = Parallel.map(mask.slabs.count, workers: workers) { s -> ([Double], [Double]) in
            var a = [Double](repeating: 0, count: n * n), b = [Double](repeating: 0, count: n)
            var mx = [Double](repeating: 0, count: moments), rx = [Double](repeating: 0, count: degree + 1)
            func flush(j: Int, k: Int) {
                guard mx[0] > 0 else { return }
                let yz = rowFactors(j: j, k: k)
                for t in 0..<n {
                    b[t] += yz[t] * rx[terms[t].x]
                    for t2 in t..<n { a[t * n + t2] += yz[t] * yz[t2] * mx[terms[t].x + terms[t2].x] }
                }
                for p in 0..<moments { mx[p] = 0 }
                for p in 0...degree { rx[p] = 0 }
            }
            let runs = mask.slabs[s]
            for r in runs {
                let run = mask.runs[r]
                for i in Int(run.start)..<Int(run.end) {
                    let (w, residual) = sample(run.offset + i - Int(run.start))
                    guard w > 0 else { continue }
                    let u = scaled(i, axis: 0)
                    var power = w
                    for p in 0..<moments {
                        mx[p] += power
                        if p <= degree { rx[p] += power * residual }
                        power *= u
                    }
                }
                let next = r + 1 < runs.upperBound ? mask.runs[r + 1] : nil
                if next?.j != run.j || next?.k != run.k { flush(j: Int(run.j), k: Int(run.k)) }
            }
            return (a, b)
        }
        var a = [Double](repeating: 0, count: n * n), b = [Double](repeating: 0, count: n)
        for (pa, pb) in parts {
            for t in 0..<(n * n) { a[t] += pa[t] }
            for t in 0..<n { b[t] += pb[t] }
        }
        for t in 0..<n { for t2 in 0..<t { a[t * n + t2] = a[t2 * n + t] } }
        // A ridge of 1e-12·max diagonal keeps a rank-deficient design (e.g. a flat mask) solvable.
        let ridge = 1e-12 * (0..<n).map { a[$0 * n + $0] }.max()!
        for t in 0..<n { a[t * n + t] += ridge }
        guard let factor = LinearAlgebra.cholesky(Matrix(rows: n, columns: n, values: a)) else { return nil }
        return LinearAlgebra.solve(cholesky: factor, b)
    }

    /// Calls `body(state, n, value)` for every voxel of `runs` (the mask's, or any other on the grid; compact
    /// position `n`) with the polynomial's value there, slab by slab in parallel; returns each slab's result in order.
    private func evaluateOverMask<T>(_ coefficients: [Double], runs: MaskRuns? = nil, workers: Int, _ start: T,
                                     _ body: (inout T, Int, Double) -> Void) -> [T] {
        let runs = runs ?? mask
        return Parallel.map(runs.slabs.count, workers: workers) { s -> T in
            var state = start
            var row: [Double] = [], rowAt = (j: Int32(-1), k: Int32(-1))
            for r in runs.slabs[s] {
                let run = runs.runs[r]
                if rowAt != (run.j, run.k) {
                    row = rowPolynomial(coefficients, j: Int(run.j), k: Int(run.k))
                    rowAt = (run.j, run.k)
                }
                for i in Int(run.start)..<Int(run.end) { body(&state, run.offset + i - Int(run.start), value(of: row, at: i)) }
            }
            return state
        }
    }

    /// The mean of the polynomial over the mask voxels.
    func meanOverMask(_ coefficients: [Double], workers: Int) -> Double {
        let parts = evaluateOverMask(coefficients, workers: workers, (0.0, 0.0)) { state, _, value in
            state.0 += value; state.1 += 1
        }
        let total = parts.reduce((0.0, 0.0)) { ($0.0 + $1.0, $0.1 + $1.1) }
        return total.1 > 0 ? total.0 / total.1 : 0
    }

    /// The smallest and largest value of the polynomial over the mask voxels.
    func range(_ coefficients: [Double], workers: Int) -> ClosedRange<Double> {
        let parts = evaluateOverMask(coefficients, workers: workers, (Double.infinity, -Double.infinity)) { state, _, value in
            state = (min(state.0, value), max(state.1, value))
        }
        let lo = parts.map(\.0).min() ?? 0, hi = parts.map(\.1).max() ?? 0
        return lo <= hi ? lo...hi : 0...0
    }

    /// `compact / exp(polynomial)` for the mask voxels in compact order.
    func divideMask(_ compact: [Float], byExpOf coefficients: [Double], workers: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: compact.count) { buffer, initialized in
            let shared = UnsafeSendableBuffer(buffer)
            _ = evaluateOverMask(coefficients, workers: workers, ()) { _, n, value in
                shared.base[n] = Float(Double(compact[n]) * exp(-value))
            }
            initialized = compact.count
        }
    }

    /// `image / exp(polynomial)` at every voxel. The field is constant outside the mask's box (its
    /// coordinates are clamped), so exp is taken once per box position and rows outside the box reuse
    /// the row they clamp to: an order of magnitude fewer exponentials than voxels.
    func divide(_ image: [Float], byExpOf coefficients: [Double], workers: Int) -> [Float] {
        let slabs = Parallel.ranges(dimensions.z, chunkSize: MaskRuns.slabThickness)
        let (first, last) = (Int(low.x), Int(high.x))
        return [Float](unsafeUninitializedCapacity: image.count) { buffer, initialized in
            let shared = UnsafeSendableBuffer(buffer)
            Parallel.forEach(slabs.count, workers: workers) { s in
                var factors = [Float](repeating: 0, count: dimensions.x), factorsAt = (j: -1, k: -1)
                for k in slabs[s] {
                    for j in 0..<dimensions.y {
                        let at = (j: clamped(j, axis: 1), k: clamped(k, axis: 2))
                        if at != factorsAt {
                            let row = rowPolynomial(coefficients, j: at.j, k: at.k)
                            for i in first...last { factors[i] = Float(exp(-value(of: row, at: i))) }
                            for i in 0..<first { factors[i] = factors[first] }
                            for i in (last + 1)..<dimensions.x { factors[i] = factors[last] }
                            factorsAt = at
                        }
                        let rowStart = dimensions.index(0, j, k)
                        for i in 0..<dimensions.x { shared.base[rowStart + i] = image[rowStart + i] * factors[i] }
                    }
                }
            }
            initialized = image.count
        }
    }

    /// `values / exp(polynomial)` for the image's values gathered at the voxels of `runs` (any mask on the grid,
    /// compact order): what `divide` gives there, without dividing the whole image.
    func divide(_ values: [Float], at runs: MaskRuns, byExpOf coefficients: [Double], workers: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: values.count) { buffer, initialized in
            let shared = UnsafeSendableBuffer(buffer)
            _ = evaluateOverMask(coefficients, runs: runs, workers: workers, ()) { _, n, value in
                shared.base[n] = values[n] * Float(exp(-value))
            }
            initialized = values.count
        }
    }

    /// `index` clamped to the mask's box along `axis`.
    @inline(__always)
    private func clamped(_ index: Int, axis: Int) -> Int { Int(min(max(Double(index), low[axis]), high[axis])) }
}
