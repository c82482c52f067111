import Foundation
import Testing
@testable import MendelianRandomization

/// The mode estimators' density against R's on 300 sets of ratios (Fixtures/expected.json, `mode_grid`): the
/// same grid point of density()'s 512 as R 4.4 (old.coords = FALSE) picks, in every set.
@Suite struct ModeGridTests {
    @Test func theHighestDensityIsAtRsGridPoint() throws {
        let cases = ReferenceFixtureTests.expected["mode_grid"] as! [[String: Any]]
        #expect(cases.count == 300)
        var mismatches: [String] = []
        var olderGridDiffers = 0
        for (i, c) in cases.enumerated() {
            let ratios = c["ratio"] as! [Double], se = c["se"] as! [Double]
            let precision = se.map { 1 / ($0 * $0) }, total = precision.reduce(0, +)
            let h = try #require(ModeEstimators.bandwidth(ratios, floor: 1e-8))
            let mode = ModeEstimators.densityModes(ratios, weightSets: [precision.map { $0 / total }], bandwidth: h)[0]
            let expected = c["estimate"] as! Double
            if abs(mode - expected) > 1e-12 * max(1, abs(expected)) { mismatches.append("case \(i): \(mode) against \(expected)") }
            if c["estimate_r42"] as! Double != expected { olderGridDiffers += 1 }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        // R before 4.4 spaces the kernel 1022/1023 of the bins' spacing, which moves the mode in a few sets.
        #expect(olderGridDiffers == 4)
    }
}
