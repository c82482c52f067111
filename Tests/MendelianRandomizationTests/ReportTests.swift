import Foundation
import Testing
@testable import MendelianRandomization

/// mr.html with what breaks forest plots elsewhere (TwoSampleMR #308, #475): hundreds of SNPs, a weak SNP whose
/// interval spans far beyond the others, methods without an estimate, and names that need escaping.
@Suite struct ReportTests {
    static func result() throws -> MRResult {
        var exposure = ["SNP\teffect_allele\tother_allele\teaf\tbeta\tse\tpval\tn"], outcome = exposure
        for j in 0..<300 {
            let bx = 0.02 + 0.0001 * Double(j % 50), by = 0.3 * bx + 0.001 * Double(j % 7 - 3)
            exposure.append("rs\(j)\tA\tG\t0.3\t\(bx)\t0.002\t1e-20\t100000")
            outcome.append("rs\(j)\tA\tG\t0.3\t\(by)\t0.003\t0.01\t100000")
        }
        // A weak instrument (its Wald ratio's SE is 2000 times the others'), named like markup, and a wild ratio.
        exposure.append("rs<b>x</b>\tC\tT\t0.2\t0.00001\t0.000001\t1e-20\t100000")
        outcome.append("rs<b>x</b>\tC\tT\t0.2\t0.000003\t0.003\t0.5\t100000")
        exposure.append("rs999\tC\tT\t0.2\t0.02\t0.002\t1e-20\t100000")
        outcome.append("rs999\tC\tT\t0.2\t20\t3\t0.5\t100000")
        return try MRAnalysis.run(exposure: try SummaryStatistics(text: exposure.joined(separator: "\n"), path: "x.tsv"),
                                  outcome: try SummaryStatistics(text: outcome.joined(separator: "\n"), path: "y.tsv"),
                                  settings: { var s = MRSettings(); s.bootstrapReplicates = 20; return s }(), version: "test", names: ("x<y", "z"))
    }

    @Test func manyRowsAndHugeIntervalsStayOnThePlot() throws {
        let r = try Self.result()
        #expect(r.snps.used.count == 302)
        let forest = MRPlots.intervals(r.singleSNP.map { MRPlots.IntervalRow(label: $0.snp, estimate: $0.estimate, emphasised: false) }
                                       + [MRPlots.IntervalRow(label: "All: IVW", estimate: r.methods.ivw, emphasised: true),
                                          MRPlots.IntervalRow(label: "All: nothing", estimate: .notEstimable("needs at least 3 SNPs", snps: 2), emphasised: true)],
                                       title: "forest")
        // 304 rows of 11 px: the plot grows with its rows instead of overlapping them.
        let height = Double(forest.split(separator: "height=\"")[1].prefix { $0 != "\"" })!
        #expect(height >= 304 * 11)
        // Intervals leave the axis on both sides (arrows with tips 6 px beyond its ends, 210 and 610), the wild
        // ratio (1000) lies off it, and the axis still spans the other SNPs' ratios (about 0.15 to 0.45), not 1000.
        #expect(forest.contains("<polygon points=\"204.0,") && forest.contains("<polygon points=\"616.0,"))
        #expect(forest.contains("1000 (706 to 1294), off the axis"))
        let ticks = forest.components(separatedBy: "fill=\"#5a6475\">").dropFirst().compactMap { Double($0.prefix { $0 != "<" }) }
        #expect(!ticks.isEmpty && ticks.max()! < 2)
        #expect(forest.contains("not estimable: needs at least 3 SNPs"))
        for text in [forest, MRPlots.scatter(r), MRPlots.funnel(r)] {
            #expect(!text.lowercased().contains("nan") && !text.contains("inf\""))
        }
        let html = MRReport.html(r)
        #expect(html.contains("rs&lt;b&gt;x&lt;/b&gt;") && !html.contains("rs<b>x</b>"))
        #expect(html.contains("x&lt;y"))
    }
}
