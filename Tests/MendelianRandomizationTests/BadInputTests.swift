import Foundation
import Testing
import VolumeCore
@testable import MendelianRandomization

/// Bad input is one message naming the file and the problem (with its line); too few SNPs for a method is that
/// method's "not estimable", never a crash.
@Suite struct BadInputTests {
    static let header = "SNP\teffect_allele\tother_allele\teaf\tbeta\tse\tpval\tn"

    func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let error as IMATError { return error.description } catch { return "unexpected \(error)" }
    }

    func statistics(_ rows: [String], header: String = header, path: String = "x.tsv") throws -> SummaryStatistics {
        try SummaryStatistics(text: ([header] + rows).joined(separator: "\n") + "\n", path: path)
    }

    @Test func aMissingColumnIsNamedWithTheColumnsThereAre() {
        let text = message { _ = try statistics(["rs1\tA\tG\t0.2\t0.1\t1e-20\t1000"], header: "SNP\teffect_allele\tother_allele\teaf\tbeta\tpval\tn") }
        #expect(text == "x.tsv: has no se column (columns: SNP, effect_allele, other_allele, eaf, beta, pval, n); name it with se=COLUMN")
    }

    @Test func aWordWhereANumberBelongsNamesTheLine() {
        let text = message { _ = try statistics(["rs1\tA\tG\t0.2\t0.1\t0.01\t1e-20\t1000", "rs2\tA\tG\t0.2\tlarge\t0.01\t1e-20\t1000"]) }
        #expect(text == "x.tsv: line 3: beta is \"large\", not a number")
    }

    @Test func aStandardErrorOfZeroOrBelowIsRefused() {
        #expect(message { _ = try statistics(["rs1\tA\tG\t0.2\t0.1\t0\t1e-20\t1000"]) } == "x.tsv: line 2: se is 0; a standard error must be above 0")
        #expect(message { _ = try statistics(["rs1\tA\tG\t0.2\t0.1\t-0.01\t1e-20\t1000"]) } == "x.tsv: line 2: se is -0.01; a standard error must be above 0")
        #expect(message { _ = try statistics(["rs1\tA\tG\t1.2\t0.1\t0.01\t1e-20\t1000"]) } == "x.tsv: line 2: eaf is 1.2; an allele frequency lies between 0 and 1")
    }

    @Test func twoColumnsThatCouldBeOneQuantityMustBeNamed() throws {
        let header = "SNP\trsid\teffect_allele\tother_allele\tbeta\tse"
        #expect(message { _ = try statistics(["rs1\trs1\tA\tG\t0.1\t0.01"], header: header) } == "x.tsv: columns SNP and rsid could both be snp; name one with snp=COLUMN")
        var mapping = ColumnMapping()
        mapping.explicit[.snp] = "rsid"
        let read = try SummaryStatistics(text: header + "\nrs1\tRS9\tA\tG\t0.1\t0.01\n", path: "x.tsv", columns: mapping)
        #expect(read.variants[0].snp == "rs9")
        #expect(message { _ = try ColumnMapping(parsing: "snp=ID,weight=W", option: "--exposure-columns") }?.hasPrefix("--exposure-columns: \"weight=W\" is not name=COLUMN") == true)
    }

    @Test func mappedColumnsAndAliasesAreReadInAnyCase() throws {
        let read = try statistics(["RS1\ta\tg\t0.3\t0.1\t0.01\t\t1000"], header: "MarkerName\tA1\tA2\tFreq\tB\tSE\tP\tN")
        let v = read.variants[0]
        #expect(v.snp == "rs1" && v.effectAllele == "A" && v.otherAllele == "G" && v.eaf == 0.3 && v.beta == 0.1 && v.n == 1000)
        // An empty p is inferred from β/SE as TwoSampleMR does: 2Φ(−10).
        #expect(abs(v.p! - 1.523970604832105e-23) < 1e-35)
    }

    @Test func noInstrumentAndNoSNPLeftAreEachOneClearMessage() throws {
        let exposure = try statistics(["rs1\tA\tG\t0.2\t0.1\t0.01\t1e-20\t1000", "rs2\tA\tC\t0.3\t0.05\t0.01\t1e-9\t1000"])
        let weak = try statistics(["rs1\tA\tG\t0.2\t0.01\t0.01\t0.3\t1000"])
        let outcome = try statistics(["rs1\tA\tT\t0.2\t0.1\t0.01\t1e-20\t1000", "rs2\tG\tC\t0.3\t0.05\t0.01\t1e-9\t1000"], path: "y.tsv")
        func run(_ x: SummaryStatistics, _ y: SummaryStatistics) throws {
            _ = try MRAnalysis.run(exposure: x, outcome: y, settings: MRSettings(), version: "test", names: ("x", "y"))
        }
        #expect(message { try run(weak, outcome) } == "x.tsv: no SNP has p < 5e-08 (smallest p: 0.3); lower the bar with --p-threshold")
        #expect(message { try run(exposure, outcome) } == "no SNP left after harmonising x.tsv with y.tsv: all 2 instruments were dropped (2 incompatible alleles)")
    }

    @Test func oneOrTwoSNPsLeaveTheOtherMethodsNotEstimable() throws {
        let one = try MRAnalysis.run(exposure: try statistics(["rs1\tA\tG\t0.2\t0.1\t0.01\t1e-20\t1000"]),
                                     outcome: try statistics(["rs1\tG\tA\t0.8\t-0.03\t0.01\t1e-3\t900"]),
                                     settings: MRSettings(), version: "test", names: ("x", "y"))
        #expect(one.singleSNP.count == 1)
        #expect(one.singleSNP[0].estimate.b == 0.3 && one.snps.used[0].alignment == "alleles swapped")
        #expect(one.methods.ivw.notEstimable?.hasPrefix("needs at least 2 SNPs") == true)
        #expect(one.methods.maximumLikelihood.notEstimable == "needs at least 2 SNPs")
        #expect(one.methods.egger.slope.notEstimable == "needs at least 3 SNPs" && one.methods.weightedMode.b == nil)
        #expect(one.heterogeneity.ivw == nil && one.leaveOneOut.isEmpty)
        #expect(try one.jsonData().count > 0)
    }

    @Test func missingSampleSizesLeaveSteigerNotEstimable() throws {
        let header = "SNP\teffect_allele\tother_allele\tbeta\tse"
        let r = try MRAnalysis.run(exposure: try statistics(["rs1\tA\tG\t0.1\t0.01", "rs2\tA\tC\t0.2\t0.01"], header: header),
                                   outcome: try statistics(["rs1\tA\tG\t0.03\t0.01", "rs2\tA\tC\t0.05\t0.01"], header: header),
                                   settings: MRSettings(), version: "test", names: ("x", "y"))
        #expect(r.steiger.test == nil && r.steiger.notEstimable?.contains("sample size") == true)
        #expect(r.methods.ivw.b != nil)
    }
}
