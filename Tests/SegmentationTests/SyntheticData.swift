import Foundation
import Segmentation
import VolumeCore

/// A deterministic random source (SplitMix64) with normal and Rician draws.
struct SeededRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Standard normal by Box–Muller.
    mutating func normal() -> Double {
        let u = max(uniform(), 1e-300), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// |A + n₁ + i·n₂| with n ~ N(0, σ²).
    mutating func rician(_ amplitude: Double, sigma: Double) -> Double {
        let a = amplitude + sigma * normal(), b = sigma * normal()
        return (a * a + b * b).squareRoot()
    }
}

/// A small phantom with known truth: a body of fat in air, four elliptic muscles (labels 44–47) with
/// fat streaks, partial volumes from 3×3×3 supersampling, a smooth multiplicative bias field, Rician
/// noise, integer-valued (UInt16-like) images.
struct SyntheticMuscles {
    let dimensions: Dimensions
    var labels: [UInt16]
    var trueFatFraction: [Double]
    var t1: [Float]
    var water: [Float]
    var fat: [Float]
    var bias: [Double]

    static let leanSignal = 1000.0
    static let fatSignal = 3000.0
    static let muscleLabels: [UInt16] = [44, 45, 46, 47]

    /// - Parameters: `fatShares`: wanted fat share of each muscle; `biasAmplitude`: the field is
    ///   exp(amplitude·g) with g a smooth function in −1…1; `streakScale`: streak width in voxels.
    init(dimensions d: Dimensions, fatShares: [Double] = [0.04, 0.12, 0.2, 0.3], snr: Double = 20, biasAmplitude: Double = 0.18,
         streakScale: Double = 1.5, seed: UInt64 = 1) {
        dimensions = d
        var random = SeededRandom(seed: seed)
        let centres: [(Double, Double)] = [(0.35, 0.68), (0.65, 0.68), (0.38, 0.35), (0.62, 0.35)]
        let radii = (Double(d.x) * 0.12, Double(d.y) * 0.13)
        // Streak field: a sum of random plane waves, mostly varying in-plane (streaks run along z).
        let waves: [(SIMD3<Double>, Double)] = (0..<10).map { _ in
            let angle = 2 * Double.pi * random.uniform()
            let k = (0.6 + 0.8 * random.uniform()) / streakScale
            return (SIMD3(k * cos(angle), k * sin(angle), 0.15 * k * (random.uniform() - 0.5)), 2 * .pi * random.uniform())
        }
        func streak(_ p: SIMD3<Double>) -> Double { waves.reduce(0) { $0 + cos(($1.0 * p).sum() + $1.1) } }
        func muscle(_ x: Double, _ y: Double) -> Int? {
            for (m, c) in centres.enumerated() {
                let dx = (x - c.0 * Double(d.x)) / radii.0, dy = (y - c.1 * Double(d.y)) / radii.1
                if dx * dx + dy * dy <= 1 { return m }
            }
            return nil
        }
        func inBody(_ x: Double, _ y: Double) -> Bool {
            let dx = (x - 0.5 * Double(d.x)) / (0.47 * Double(d.x)), dy = (y - 0.5 * Double(d.y)) / (0.45 * Double(d.y))
            return dx * dx + dy * dy <= 1
        }
        let offsets: [Double] = [-1.0 / 3, 0, 1.0 / 3]
        // Per-muscle streak thresholds reaching the wanted fat shares (quantiles of the field).
        var samples = [[Double]](repeating: [], count: 4)
        for k in stride(from: 0, to: d.z, by: 2) { for j in 0..<d.y { for i in 0..<d.x {
            if let m = muscle(Double(i), Double(j)) { samples[m].append(streak(SIMD3(Double(i), Double(j), Double(k)))) }
        } } }
        let cut = (0..<4).map { m -> Double in
            let sorted = samples[m].sorted()
            return sorted.isEmpty ? .infinity : sorted[min(sorted.count - 1, Int(Double(sorted.count) * (1 - fatShares[m])))]
        }
        let n = d.voxelCount
        labels = [UInt16](repeating: 0, count: n)
        trueFatFraction = [Double](repeating: 0, count: n)
        t1 = [Float](repeating: 0, count: n); water = t1; fat = t1
        bias = [Double](repeating: 1, count: n)
        let sigma = Self.leanSignal / snr
        for k in 0..<d.z { for j in 0..<d.y { for i in 0..<d.x {
            let index = d.index(i, j, k)
            let (x, y, z) = (Double(i), Double(j), Double(k))
            if let m = muscle(x, y) { labels[index] = Self.muscleLabels[m] }
            var fatParts = 0.0, tissueParts = 0.0
            for ox in offsets { for oy in offsets { for oz in offsets {
                let (sx, sy) = (x + ox, y + oy)
                guard inBody(sx, sy) else { continue }
                tissueParts += 1
                if let m = muscle(sx, sy) {
                    if streak(SIMD3(sx, sy, z + oz)) > cut[m] { fatParts += 1 }
                } else {
                    fatParts += 1
                }
            } } }
            let u = 2 * x / Double(d.x) - 1, v = 2 * y / Double(d.y) - 1, w = 2 * z / Double(d.z) - 1
            let field = exp(biasAmplitude * (0.6 * sin(1.3 * u + 0.4) + 0.5 * v * v - 0.25 + 0.3 * u * w))
            bias[index] = field
            let ff = tissueParts > 0 ? fatParts / tissueParts : 0
            trueFatFraction[index] = ff
            let presence = tissueParts / 27
            let signal = field * presence * ((1 - ff) * Self.leanSignal + ff * Self.fatSignal)
            t1[index] = Float(random.rician(signal, sigma: sigma).rounded())
            water[index] = Float(random.rician(field * presence * (1 - ff) * Self.leanSignal, sigma: sigma).rounded())
            fat[index] = Float(random.rician(field * presence * ff * Self.leanSignal, sigma: sigma).rounded())
        } } }
    }

    /// Truth per label: mean fat fraction and share of voxels more than half fat.
    func truth(_ label: UInt16) -> (mean: Double, hard: Double) {
        var sum = 0.0, above = 0.0, count = 0.0
        for i in labels.indices where labels[i] == label {
            sum += trueFatFraction[i]; count += 1
            if trueFatFraction[i] > 0.5 { above += 1 }
        }
        return (sum / count, above / count)
    }

    var images: TissueImages { TissueImages(dimensions: dimensions, image: t1, water: water, fat: fat, labels: labels) }
}
