/// The bootstrap's random numbers: xoshiro256** (Blackman & Vigna 2018) seeded through SplitMix64, with
/// normal deviates by Marsaglia's polar method. Only IEEE-754 arithmetic and square roots are used (the
/// logarithm is computed here too), so a stream is the same bit for bit on every machine.
struct NormalDraws {
    private var state: (UInt64, UInt64, UInt64, UInt64)
    private var spare: Double?

    /// The stream of bootstrap replicate `replicate` under `seed`: each replicate has its own stream, so
    /// results do not depend on how replicates are split among threads, nor on other analyses in a batch.
    init(seed: UInt64, replicate: UInt64) {
        var mixer = seed ^ (replicate &* 0x9E37_79B9_7F4A_7C15)
        func next() -> UInt64 {
            // SplitMix64 (Steele, Lea & Flood 2014), the seeding xoshiro's authors recommend.
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (next(), next(), next(), next())
    }

    /// Uniform on [0, 1) with 53 random bits.
    mutating func uniform() -> Double {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotateLeft(state.3, 45)
        return Double(result >> 11) * 0x1p-53
    }

    /// A standard normal deviate (the polar method yields two; the second is kept for the next call).
    mutating func normal() -> Double {
        if let value = spare { spare = nil; return value }
        while true {
            let u = 2 * uniform() - 1, v = 2 * uniform() - 1
            let s = u * u + v * v
            guard s < 1 && s > 0 else { continue }
            let factor = (-2 * naturalLog(s) / s).squareRoot()
            spare = v * factor
            return u * factor
        }
    }

    /// N(mean, sd²).
    mutating func normal(mean: Double, sd: Double) -> Double { mean + sd * normal() }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

/// ln x for 0 < x < 1 in plain arithmetic, so the normal draws never depend on a platform's libm: x = m·2ᵉ
/// with m in [√½, √2), ln m = 2 atanh((m − 1)/(m + 1)) by its series (|z| ≤ 0.172, 14 terms reach 1e-17),
/// plus e·ln 2 in two parts. Accurate to a few units in the last place, which is all a deviate needs.
func naturalLog(_ x: Double) -> Double {
    precondition(x > 0 && x.isFinite)
    var m = x.significand  // [1, 2)
    var e = Double(x.exponent)
    if m > 2.0.squareRoot() { m /= 2; e += 1 }
    let z = (m - 1) / (m + 1), z2 = z * z
    var series = 0.0
    for k in stride(from: 27, through: 3, by: -2) { series = (series + 1 / Double(k)) * z2 }
    let lnTwoHigh = 0.693_147_180_369_123_816_490, lnTwoLow = 1.908_214_929_270_587_700_02e-10
    return e * lnTwoHigh + (e * lnTwoLow + 2 * z * (1 + series))
}
