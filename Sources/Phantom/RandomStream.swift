/// A deterministic stream of pseudo-random numbers: SplitMix64 (Steele, Lea & Flood, "Fast splittable
/// pseudorandom number generators", OOPSLA 2014; constants as in Vigna's reference splitmix64.c).
///
/// A stream is keyed by a path of integers (seed, participant, purpose, slice), so every slice draws its own
/// numbers on whatever thread renders it and the result never depends on the order slices run in. Only
/// integer arithmetic, IEEE-754 basic operations and `squareRoot` are used (see `PortableMath.log`), so the
/// draws are bit-identical on every machine.
public struct RandomStream {
    private var state: UInt64

    public init(_ key: [UInt64]) {
        var h: UInt64 = 0x6A09_E667_F3BC_C909
        for part in key { h = Self.mix(h ^ Self.mix(part &+ 0x9E37_79B9_7F4A_7C15)) }
        state = h
    }

    /// The SplitMix64 output function (a bijective 64-bit finaliser).
    static func mix(_ input: UInt64) -> UInt64 {
        var z = input
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// Uniform in [0, 1) with 53 random bits.
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * uniform()
    }

    /// Uniform integer in 0..<count.
    public mutating func index(below count: Int) -> Int { Int(next() % UInt64(count)) }

    /// Two independent standard normal numbers by Marsaglia's polar method
    /// (Marsaglia & Bray, "A convenient method for generating normal variables", SIAM Review 1964).
    @inline(__always)
    public mutating func normalPair() -> (Double, Double) {
        while true {
            let a = 2 * uniform() - 1, b = 2 * uniform() - 1
            let s = a * a + b * b
            if s >= 1 || s == 0 { continue }
            let factor = (-2 * PortableMath.log(s) / s).squareRoot()
            return (a * factor, b * factor)
        }
    }

    mutating func normal(mean: Double = 0, sd: Double = 1) -> Double { mean + sd * normalPair().0 }
}

/// Keys that separate the random streams of one participant, so that changing how one part draws
/// its numbers never shifts another part.
enum StreamPurpose: UInt64 {
    case traits = 1, anatomy, texture, biasField, t1Noise, waterNoise, fatNoise, phenotype, swap
}

extension RandomStream {
    init(seed: UInt64, participant: Int, purpose: StreamPurpose, slice: Int = 0) {
        self.init([seed, UInt64(truncatingIfNeeded: participant), purpose.rawValue, UInt64(truncatingIfNeeded: slice)])
    }
}

/// Transcendental functions from basic arithmetic only, so results do not depend on the platform's libm.
enum PortableMath {
    /// Natural logarithm of a positive finite number, accurate to a few ulp: x = m·2^e with m in
    /// [√½, √2), then ln m = 2·atanh(s), s = (m−1)/(m+1), by its odd power series to s¹⁹ (|s| ≤ 0.172,
    /// so the first term left out is below 10⁻¹⁶ of the result), evaluated by Horner's rule.
    static func log(_ x: Double) -> Double {
        precondition(x > 0 && x.isFinite, "log of \(x)")
        var m = x.significand
        var e = Double(x.exponent)
        if m > 1.4142135623730951 {
            m /= 2
            e += 1
        }
        let s = (m - 1) / (m + 1), s2 = s * s
        let series = 1 + s2 * (1.0 / 3 + s2 * (1.0 / 5 + s2 * (1.0 / 7 + s2 * (1.0 / 9 + s2 * (1.0 / 11
            + s2 * (1.0 / 13 + s2 * (1.0 / 15 + s2 * (1.0 / 17 + s2 * (1.0 / 19)))))))))
        return e * 0.6931471805599453 + 2 * s * series
    }

    /// e^x for |x| ≤ 700: x = k·ln 2 + r with |r| ≤ ln 2 / 2 (ln 2 split in a high and a low part as in
    /// Cody & Waite, so r stays exact for large k), e^r by its Taylor series (18 terms), times 2^k.
    static func exp(_ x: Double) -> Double {
        precondition(abs(x) <= 700, "exp of \(x)")
        let k = (x / 0.6931471805599453).rounded()
        let r = (x - k * 6.93147180369123816490e-01) - k * 1.90821492927058770002e-10
        var term = 1.0, sum = 1.0
        for n in 1...18 {
            term *= r / Double(n)
            sum += term
        }
        return sum * Double(sign: .plus, exponent: Int(k), significand: 1)
    }
}
