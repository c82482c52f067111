import Testing
@testable import Segmentation

@Suite struct ThresholdTests {
    static func exact(_ counts: [Int], from first: Int = 0) -> Histogram {
        Histogram(counts: counts, origin: Double(first) - 0.5, binWidth: 1, isExact: true)
    }

    /// Values 0…3 with counts 2, 1, 1, 2. Between-class variance w₀w₁(μ₀−μ₁)² for a split after value
    /// 0: 2·4·(9/4)² = 40.5; after 1: 3·3·(7/3)² = 49; after 2: 4·2·(9/4)² = 40.5 → split after 1.
    @Test func otsuMatchesTheHandComputedSplit() {
        #expect(Otsu.threshold(Self.exact([2, 1, 1, 2])) == 1.5)
    }

    @Test func otsuKeepsTheLowestOfTiedSplitsAndHandlesOneBin() {
        // Splits after 1, 2 or 3 separate {0,1} from {4,5} equally.
        #expect(Otsu.threshold(Self.exact([4, 4, 0, 0, 2, 2])) == 1.5)
        #expect(Otsu.threshold(Self.exact([7])) == 0.5)
    }

    /// Brute force: every way of cutting the bins into K non-empty runs, minimum within-class SS.
    static func bruteForce(_ h: Histogram, classes: Int) -> (cost: Double, starts: [Int]) {
        let cost = SegmentCost(h)
        var best = (Double.infinity, [Int]())
        func search(_ starts: [Int]) {
            if starts.count == classes - 1 {
                let bounds = [0] + starts + [h.binCount]
                let total = (0..<classes).reduce(0.0) { $0 + cost.sumOfSquares(bounds[$1], bounds[$1 + 1] - 1) }
                if total < best.0 { best = (total, starts) }
                return
            }
            for s in ((starts.last ?? 0) + 1)..<h.binCount { search(starts + [s]) }
        }
        search([])
        return best
    }

    @Test func multiOtsuEqualsBruteForce() throws {
        var random = SeededRandom(seed: 11)
        for trial in 0..<6 {
            let counts = (0..<24).map { _ in Int(random.uniform() * 50) + 1 }
            let h = Self.exact(counts, from: 10 * trial)
            for k in 2...4 {
                let starts = try Otsu.partition(h, classes: k)
                let brute = Self.bruteForce(h, classes: k)
                #expect(starts == brute.starts, "trial \(trial), \(k) classes")
            }
            #expect(try Otsu.thresholds(h, classes: 2) == [Otsu.threshold(h)])
        }
    }

    @Test func multiOtsuRejectsMoreClassesThanBins() {
        #expect(throws: SegmentationError.self) { try Otsu.thresholds(Self.exact([1, 1]), classes: 3) }
    }

    @Test func threeSeparatedGroupsGetThresholdsBetweenThem() throws {
        var counts = [Int](repeating: 0, count: 30)
        for v in [2, 3, 4] { counts[v] = 10 }
        for v in [14, 15] { counts[v] = 10 }
        for v in [26, 27] { counts[v] = 10 }
        let t = try Otsu.thresholds(Self.exact(counts), classes: 3)
        #expect(t.count == 2)
        #expect(t[0] > 4 && t[0] < 14 && t[1] > 15 && t[1] < 26)
    }
}
