import Foundation
import VolumeCore

/// Magnitude-image noise: the Rician distribution of |signal + complex Gaussian noise|.
///
/// Reference: H. Gudbjartsson, S. Patz, "The Rician distribution of noisy MRI data", Magn. Reson. Med.
/// 34:910–914, 1995: M = |A + n₁ + i·n₂| with n₁, n₂ ~ N(0, σ²); E[M²] = A² + 2σ²; where A = 0 (air) M
/// is Rayleigh distributed with mode σ.
public enum RicianNoise {
    /// σ of a Dixon pair, measured in the air around the body: the voxels outside every label where
    /// neither image holds signal.
    ///
    /// Every tissue is bright in one of the two images, while lean tissue is dark in the fat image and fat
    /// dark in the water image: taking air from each image alone counts those as noise and reads σ high
    /// (2–5 % on real lumbar scans), which lowers every corrected fat fraction. So air is where both values
    /// are low. Candidates are the voxels outside every label with both values finite and above 0 (exact
    /// zeros are zero-filling, not noise). A first σ comes from the candidates below Otsu's threshold on
    /// W + F (256 bins over their range, scikit-image's convention); then, until it settles, σ is the
    /// maximum-likelihood Rayleigh fit to the water and fat values of the voxels where both lie below
    /// `airCutoff`·σ, with the truncation accounted for (J. Sijbers et al., "Automatic estimation of the
    /// noise variance from the histogram of a magnetic resonance image", Phys. Med. Biol. 52:1335–1348, 2007).
    /// Returns nil when fewer than 100 air voxels exist (no noise to measure); else σ and the number of
    /// values (water and fat together) of the last fit.
    public static func airSigma(water: ImageValues, fat: ImageValues, labels: [UInt16],
                                workers: Int = Parallel.defaultWorkers) throws -> (sigma: Double, values: Int)? {
        for (name, image) in [("water image", water), ("fat image", fat)] where image.count != labels.count {
            throw SegmentationError.sizeMismatch(what: name, expected: labels.count, actual: image.count)
        }
        // Passes over the volume, a chunk at a time, rather than a copy of the air: it is most of the image.
        func overCandidates<T>(_ start: T, _ visit: (inout T, Float, Float) -> Void) -> [T] {
            Chunks.map(labels.count, workers: workers) { range -> T in
                var state = start
                let (w, f) = (water.values(range), fat.values(range))
                labels.withUnsafeBufferPointer { l in
                    for n in 0..<range.count where l[range.lowerBound + n] == 0 && w[n] > 0 && f[n] > 0 && w[n].isFinite && f[n].isFinite {
                        visit(&state, w[n], f[n])
                    }
                }
                return state
            }
        }
        let extents = overCandidates((count: 0, low: Float.infinity, high: -Float.infinity, lowestWater: Float.infinity, lowestFat: Float.infinity)) { e, w, f in
            e = (e.count + 1, min(e.low, w + f), max(e.high, w + f), min(e.lowestWater, w), min(e.lowestFat, f))
        }
        let count = extents.reduce(0) { $0 + $1.count }
        guard count >= 100 else { return nil }
        // Is every value a whole multiple of the image's smallest one? Judged per image: real exports pair a water
        // map of integers with a fat map of floats on a lattice (MyoSegmenTUM's: multiples of 1.549), or continuous.
        let lowest = (water: Double(extents.map(\.lowestWater).min()!), fat: Double(extents.map(\.lowestFat).min()!))
        func offLattice(_ value: Float, _ step: Double) -> Bool { let k = Double(value) / step; return abs(k - k.rounded()) > 0.01 }
        let off = overCandidates((water: false, fat: false)) { off, w, f in
            off = (off.water || offLattice(w, lowest.water), off.fat || offLattice(f, lowest.fat))
        }
        let quanta = (water: off.contains { $0.water } ? nil : lowest.water, fat: off.contains { $0.fat } ? nil : lowest.fat)
        let low = Double(extents.map(\.low).min()!), high = Double(extents.map(\.high).max()!)
        var airLimit = high + 1
        if high > low {
            // 256 equal bins over [min, max], as `Histogram` with `.count(256)`, without storing W + F.
            let width = (high - low) / 256, binning = EqualBins(origin: low, width: width, count: 256)
            let parts = overCandidates([Int](repeating: 0, count: binning.count)) { counts, w, f in
                counts[binning.index(of: Double(w + f))] += 1
            }
            airLimit = Otsu.threshold(Histogram(counts: EqualBins.merged(parts), origin: low, binWidth: width, isExact: false))
        }
        // A first σ from everything below Otsu's threshold on W + F: too high, since faint tissue falls there too.
        let first = overCandidates((n: 0.0, squares: 0.0)) { s, w, f in
            if Double(w + f) < airLimit { s = (s.n + 2, s.squares + Double(w) * Double(w) + Double(f) * Double(f)) }
        }
        let firstCount = first.reduce(0) { $0 + $1.n }
        guard firstCount >= 200 else { return nil }
        var sigma = (first.reduce(0) { $0 + $1.squares } / (2 * firstCount)).squareRoot(), used = 0
        // Then air is where both values lie below the cutoff: for noise alone the two are independent, so each
        // value is Rayleigh truncated at the cutoff, while any tissue is bright in at least one of the images.
        // A value on a lattice stands for the interval of values that round to it, so a quantised image's cutoff
        // falls midway between two lattice points: the truncation the fit assumes is then the one the data
        // have. (At a cutoff on the lattice a whole value moved in and out as σ crossed it, and the iteration
        // cycled without settling.)
        func cutoffs(_ sigma: Double) -> (water: Double, fat: Double) {
            let c = Self.airCutoff * sigma
            func midway(_ q: Double?) -> Double { q.map { (c / $0).rounded(.down) * $0 + $0 / 2 } ?? c }
            return (midway(quanta.water), midway(quanta.fat))
        }
        // Two integer images: a pair is in the fit when max(w, f) is below the common cutoff, so the counts and
        // Σ(w² + f²) per value of max(w, f) below a generous bound give every fit's sums, exactly (integer sums
        // in Double), in a table of a few hundred entries instead of a copy of the air (most of the image).
        let bound = 2 * Self.airCutoff * sigma
        let table: (counts: [Double], squares: [Double])? = quanta.water == 1 && quanta.fat == 1 && bound < 65_536 ? {
            let size = Int(bound) + 1
            let parts = overCandidates((counts: [Double](repeating: 0, count: size), squares: [Double](repeating: 0, count: size))) { t, w, f in
                let key = Int(max(w, f))
                if key < size { t.counts[key] += 2; t.squares[key] += Double(w) * Double(w) + Double(f) * Double(f) }
            }
            return parts.dropFirst().reduce(into: parts[0]) { total, part in
                for k in 0..<size { total.counts[k] += part.counts[k]; total.squares[k] += part.squares[k] }
            }
        }() : nil
        for _ in 0..<20 {
            let cutoff = cutoffs(sigma)
            var n = 0.0, squares = 0.0
            if let table, cutoff.water <= Double(table.counts.count) {
                for key in 0..<Int(cutoff.water.rounded(.up)) { n += table.counts[key]; squares += table.squares[key] }
            } else {
                let sums = overCandidates((n: 0.0, squares: 0.0)) { s, w, f in
                    let (w, f) = (Double(w), Double(f))
                    if w < cutoff.water && f < cutoff.fat { s = (s.n + 2, s.squares + w * w + f * f) }
                }
                (n, squares) = (sums.reduce(0) { $0 + $1.n }, sums.reduce(0) { $0 + $1.squares })
            }
            guard n >= 200 else { return nil }
            let next = truncatedRayleighSigma(count: n, sumOfSquares: squares, cutoffs: cutoff)
            let settled = abs(next - sigma) <= 1e-6 * sigma
            (sigma, used) = (next, Int(n))
            if settled { break }
        }
        return (sigma, used)
    }

    /// Air values are taken below this many σ in both images (86 % of the noise).
    static let airCutoff = 2.0

    /// Maximum-likelihood Rayleigh σ from `count` values (half water, half fat) with the given Σx², each image's
    /// values truncated at its own cutoff: maximises −2n·log σ − Σx²/(2σ²) − (n/2)·Σ_c log(1 − exp(−c²/(2σ²)))
    /// by golden-section search on log σ.
    static func truncatedRayleighSigma(count n: Double, sumOfSquares s2: Double, cutoffs: (water: Double, fat: Double)) -> Double {
        let untruncated = (s2 / (2 * n)).squareRoot()
        func logLikelihood(_ logSigma: Double) -> Double {
            let v = exp(2 * logSigma)
            let truncation = log(-expm1(-cutoffs.water * cutoffs.water / (2 * v))) + log(-expm1(-cutoffs.fat * cutoffs.fat / (2 * v)))
            return -n * 2 * logSigma - s2 / (2 * v) - n / 2 * truncation
        }
        var lo = log(untruncated) - 3, hi = log(untruncated) + 3
        let ratio = (5.0.squareRoot() - 1) / 2
        for _ in 0..<100 {
            let a = hi - ratio * (hi - lo), b = lo + ratio * (hi - lo)
            if logLikelihood(a) < logLikelihood(b) { lo = a } else { hi = b }
        }
        return exp((lo + hi) / 2)
    }

    /// The power-corrected magnitude √max(M² − 2σ², 0): unbiased for A² before the square root
    /// (Gudbjartsson & Patz 1995, eq. 8's second-moment form). Removes most of the noise floor at
    /// A = 0 (mean 1.25σ → 0.46σ) and almost nothing from high-SNR voxels.
    @inline(__always)
    public static func powerCorrected(_ magnitude: Double, sigma: Double) -> Double {
        max(magnitude * magnitude - 2 * sigma * sigma, 0).squareRoot()
    }

    /// log p(M | A, σ) of the Rice distribution.
    static func logDensity(_ m: Double, amplitude a: Double, sigma: Double) -> Double {
        let v = sigma * sigma
        return log(max(m, 1e-300) / v) - (m * m + a * a) / (2 * v) + logBesselI0(m * a / v)
    }

    /// log I₀(z) for z ≥ 0, by the polynomial approximations of M. Abramowitz, I. A. Stegun, Handbook of
    /// Mathematical Functions, 9.8.1 (z < 3.75) and 9.8.2 (z ≥ 3.75); relative error below 2e-7.
    static func logBesselI0(_ z: Double) -> Double {
        if z < 3.75 {
            let t = (z / 3.75) * (z / 3.75)
            return log(1 + t * (3.5156229 + t * (3.0899424 + t * (1.2067492 + t * (0.2659732 + t * (0.0360768 + t * 0.0045813))))))
        }
        let t = 3.75 / z
        let p = 0.39894228 + t * (0.01328592 + t * (0.00225319 + t * (-0.00157565 + t * (0.00916281
            + t * (-0.02057706 + t * (0.02635537 + t * (-0.01647633 + t * 0.00392377)))))))
        return z - 0.5 * log(z) + log(p)
    }
}
