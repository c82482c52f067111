/// A smooth multiplicative intensity non-uniformity, as a receive coil's sensitivity makes: a random
/// polynomial of degree 3 in x, y, z (every monomial x^a·y^b·z^c with 1 ≤ a+b+c ≤ 3, coefficients
/// N(0, 1/degree²), positions in units of 150 mm from the body's centre), rescaled so that over the
/// body it spans exactly 1 − inu/2 … 1 + inu/2 (the BrainWeb convention: inu 0.4 gives 0.8 to 1.2).
struct BiasField: Sendable {
    private static let exponents: [(Int, Int, Int)] = (1...3).flatMap { degree in
        (0...degree).flatMap { a in (0...(degree - a)).map { b in (a, b, degree - a - b) } }
    }
    private static let unit = 1 / 150.0

    private let coefficients: [Double]
    private let centreV: Double
    private let centreZ: Double

    init(_ stream: inout RandomStream, centreV: Double, centreZ: Double) {
        coefficients = Self.exponents.map { e in stream.normal() / Double((e.0 + e.1 + e.2) * (e.0 + e.1 + e.2)) }
        self.centreV = centreV
        self.centreZ = centreZ
    }

    /// The polynomial before scaling, at anatomy coordinates (u, v, z) in mm.
    @inline(__always)
    func raw(u: Double, v: Double, z: Double) -> Double {
        let x = u * Self.unit, y = (v - centreV) * Self.unit, w = (z - centreZ) * Self.unit
        let xs = (1.0, x, x * x, x * x * x), ys = (1.0, y, y * y, y * y * y), ws = (1.0, w, w * w, w * w * w)
        func power(_ p: (Double, Double, Double, Double), _ n: Int) -> Double {
            switch n { case 0: p.0; case 1: p.1; case 2: p.2; default: p.3 }
        }
        var sum = 0.0
        for (n, e) in Self.exponents.enumerated() {
            sum += coefficients[n] * power(xs, e.0) * power(ys, e.1) * power(ws, e.2)
        }
        return sum
    }
}

/// A bias field scaled to its range over the body: value = 1 + inu·((raw − low)/(high − low) − ½).
struct ScaledBiasField: Sendable {
    let field: BiasField
    let low: Double
    let high: Double
    let inu: Double

    @inline(__always)
    func value(u: Double, v: Double, z: Double) -> Double {
        guard inu > 0, high > low else { return 1 }
        return 1 + inu * ((field.raw(u: u, v: v, z: z) - low) / (high - low) - 0.5)
    }
}
