import Testing
import VolumeCore
@testable import Segmentation

/// The pieces of the fat–water swap check that are rewritten for speed, against their plain definitions.
@Suite struct FatWaterSwapGeometryTests {
    /// Selection finds the same order statistics as a sort, interpolation included, with ties and at the ends.
    @Test func quantileBySelectionIsTheSortedOne() {
        var random = SeededRandom(seed: 11)
        for count in [1, 2, 3, 10, 101, 1000] {
            for distinct in [1, 3, 1_000_000] {
                let values = (0..<count).map { _ in (random.uniform() * Double(distinct)).rounded(.down) / 7 }
                for q in [0, 0.1, 0.25, 0.5, 0.9, 1] {
                    var reordered = values
                    #expect(quantile(reordering: &reordered, q) == quantile(sorted: values.sorted(), q), "\(count) values, \(distinct) distinct, q \(q)")
                    #expect(reordered.sorted() == values.sorted())
                }
            }
        }
        var none: [Double] = []
        #expect(quantile(reordering: &none, 0.5).isNaN)
    }

    /// The two-pass 3-4 chamfer is exact for its metric in the open plane: 3·max(|Δx|, |Δy|) + min(|Δx|, |Δy|) to
    /// the nearest source; infinity without a source.
    @Test func chamferDistanceIsTheNearestSourceInTheThreeFourMetric() {
        var random = SeededRandom(seed: 5)
        let (nx, ny) = (23, 17)
        for density in [0.0, 0.002, 0.02, 0.3] {
            let source = (0..<(nx * ny)).map { _ in random.uniform() < density }
            let sources = source.indices.filter { source[$0] }
            let distance = FatWaterSwap.chamferDistance(to: source, nx: nx, ny: ny)
            for p in 0..<(nx * ny) {
                let expected = sources.map { q -> Int32 in
                    let (dx, dy) = (abs(p % nx - q % nx), abs(p / nx - q / nx))
                    return Int32(3 * max(dx, dy) + min(dx, dy))
                }.min() ?? FatWaterSwap.chamferInfinity
                #expect(distance[p] == expected, "pixel \(p), density \(density)")
            }
        }
    }

    /// Air reaches inwards from the border only: gas enclosed by the body stays out.
    @Test func airAroundIsWhatTheBorderReaches() {
        let (nx, ny) = (9, 7)
        // A ring of body around a pocket of gas at (4, 3), and a notch open to the border at (0…1, 3).
        var body = [Bool](repeating: false, count: nx * ny)
        for j in 1...5 { for i in 2...6 { body[j * nx + i] = true } }
        body[3 * nx + 4] = false
        let air = FatWaterSwap.airAround(body, nx: nx, ny: ny)
        #expect(!air[3 * nx + 4], "the enclosed pocket is not air")
        #expect(air[3 * nx + 0] && air[3 * nx + 1] && air[0] && air[nx * ny - 1])
        #expect(zip(air, body).allSatisfy { !($0 && $1) })
        #expect(air.filter { $0 }.count == nx * ny - 25)
    }
}
