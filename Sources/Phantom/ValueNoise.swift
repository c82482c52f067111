/// A smooth random field in [-1, 1]: lattice value noise. Random values sit on the integer lattice
/// (picked through a shuffled permutation table, as in Perlin, "An image synthesizer", SIGGRAPH 1985)
/// and are blended trilinearly with Perlin's quintic fade 6t⁵ − 15t⁴ + 10t³ ("Improving noise", SIGGRAPH 2002),
/// so the field and its first two derivatives are continuous. The lattice repeats every 256 cells.
struct ValueNoise: Sendable {
    private let lattice: [Double]
    private let permutation: [Int]

    init(_ stream: inout RandomStream) {
        lattice = (0..<256).map { _ in 2 * stream.uniform() - 1 }
        var table = Array(0..<256)
        for n in stride(from: 255, to: 0, by: -1) { table.swapAt(n, stream.index(below: n + 1)) }
        permutation = table + table
    }

    /// The field at (x, y, z), in lattice cells.
    @inline(__always)
    func value(_ x: Double, _ y: Double, _ z: Double) -> Double {
        let fx = x.rounded(.down), fy = y.rounded(.down), fz = z.rounded(.down)
        let ix = Int(fx) & 255, iy = Int(fy) & 255, iz = Int(fz) & 255
        let tx = Self.fade(x - fx), ty = Self.fade(y - fy), tz = Self.fade(z - fz)
        let x0 = permutation[ix], x1 = permutation[ix + 1]
        let y00 = permutation[x0 + iy], y01 = permutation[x0 + iy + 1]
        let y10 = permutation[x1 + iy], y11 = permutation[x1 + iy + 1]
        func corner(_ yIndex: Int, _ dz: Int) -> Double { lattice[permutation[yIndex + iz + dz]] }
        func lerp(_ a: Double, _ b: Double, _ t: Double) -> Double { a + t * (b - a) }
        let near = lerp(lerp(corner(y00, 0), corner(y10, 0), tx), lerp(corner(y01, 0), corner(y11, 0), tx), ty)
        let far = lerp(lerp(corner(y00, 1), corner(y10, 1), tx), lerp(corner(y01, 1), corner(y11, 1), tx), ty)
        return lerp(near, far, tz)
    }

    @inline(__always)
    private static func fade(_ t: Double) -> Double { t * t * t * (t * (t * 6 - 15) + 10) }
}
