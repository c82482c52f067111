import CMixtureKernels
import Testing

/// The EM's C kernels run whichever build (AVX-512, AVX2, baseline) the machine picks; all must give the bits of
/// the order the header states, which is written out here in Swift, so the fits are the same on every machine.
@Suite struct MixtureKernelTests {
    /// A likelihood-like grid-major matrix and a prior with some weights exactly 0 (as SQUAREM leaves them).
    static func data(cells: Int, grid: Int) -> (likelihood: [Double], prior: [Double]) {
        var state: UInt64 = 12345
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        let likelihood = (0..<(cells * grid)).map { _ in next() * next() }
        let prior = (0..<grid).map { j in j % 6 == 0 ? 0 : next() }
        return (likelihood, prior)
    }

    @Test(arguments: [1, 7, 8, 9, 1893])
    func normsAreTheStatedSums(cells: Int) {
        let grid = 51
        let (likelihood, prior) = Self.data(cells: cells, grid: grid)
        var norms = [Double](repeating: .nan, count: cells)
        imat_mixture_norms(likelihood, cells, grid, prior, &norms)
        var expected = [Double](repeating: 0, count: cells)
        for j in 0..<grid where prior[j] != 0 {
            for c in 0..<cells { expected[c] += prior[j] * likelihood[j * cells + c] }
        }
        #expect(norms.map(\.bitPattern) == expected.map(\.bitPattern))
    }

    @Test(arguments: [0, 5, 8, 13, 1893])
    func dotIsTheStatedLaneOrder(count: Int) {
        let (a, _) = Self.data(cells: count, grid: 1)
        let b = a.reversed().map { $0 + 0.25 }
        var lanes = [Double](repeating: 0, count: 8)
        let whole = count / 8 * 8
        for i in 0..<whole { lanes[i % 8] += a[i] * b[i] }
        var expected = lanes.reduce(0, +)
        for i in whole..<count { expected += a[i] * b[i] }
        #expect(imat_mixture_dot(a, b, count).bitPattern == expected.bitPattern)
    }
}
