import Foundation

/// Realistic summary statistics for one exposure and one outcome, seeded, for tests, benchmarks and demos:
/// true instruments (some pleiotropic) among null SNPs, and the quirks real files have, each at known SNPs so
/// that what harmonisation must do is known (`expectedFate`).
public struct MRSimulation: Sendable {
    public var seed: UInt64
    /// SNPs with a true effect on the exposure, and SNPs without.
    public var instruments = 100
    public var nullSNPs = 50
    public var causalEffect = 0.3
    /// The share of instruments with a direct (pleiotropic) effect on the outcome, mean 0.004, SD 0.006.
    public var pleiotropicShare = 0.2
    public var exposureN = 250_000.0
    public var outcomeN = 380_000.0
    /// Swapped and reverse-strand outcome rows, palindromic and ambiguous SNPs, incompatible alleles, missing
    /// frequencies, duplicated exposure rows and SNPs missing from the outcome.
    public var quirks = true

    public init(seed: UInt64) { self.seed = seed }

    public struct Tables: Sendable {
        /// Tab-separated, columns SNP effect_allele other_allele eaf beta se pval n.
        public var exposure: String
        /// Tab-separated with other names: rsid ea oa af b standard_error p samplesize.
        public var outcome: String
        /// What harmonisation must make of each exposure SNP with p < 5e-8: "used: <alignment>" or the start of
        /// the drop reason.
        public var expectedFate: [String: String]
    }

    private enum Quirk { case none, swapped, flipped, flippedAndSwapped, incompatible, outcomeEAFMissing, duplicated, absent, palindromeReversed, palindromeAmbiguous }

    public func tables() -> Tables {
        var draws = NormalDraws(seed: seed, replicate: UInt64.max)
        let plainPairs = [("A", "G"), ("G", "A"), ("C", "T"), ("T", "C"), ("A", "C"), ("C", "A"), ("G", "T"), ("T", "G")]
        let palindromicPairs = [("A", "T"), ("T", "A"), ("C", "G"), ("G", "C")]
        let complement: [Character: String] = ["A": "T", "C": "G", "G": "C", "T": "A"]
        func flip(_ allele: String) -> String { allele.map { complement[$0]! }.joined() }
        func cell(_ x: Double) -> String { String(format: "%.8g", x) }

        var exposure = ["SNP\teffect_allele\tother_allele\teaf\tbeta\tse\tpval\tn"]
        var outcome = ["rsid\tea\toa\taf\tb\tstandard_error\tp\tsamplesize"]
        var lateExposure: [String] = []
        var fate: [String: String] = [:]
        let total = instruments + nullSNPs
        for j in 0..<total {
            let isInstrument = j < instruments
            let quirk: Quirk = !quirks || !isInstrument ? .none : [Quirk.none, .swapped, .flipped, .flippedAndSwapped, .none, .palindromeReversed,
                                                                    .palindromeAmbiguous, .none, .swapped, .none, .incompatible, .outcomeEAFMissing,
                                                                    .duplicated, .absent, .none, .none][j % 16]
            let palindromic = quirk == .palindromeReversed || quirk == .palindromeAmbiguous
            let pair = palindromic ? palindromicPairs[j % 4] : plainPairs[Int(draws.uniform() * 8)]
            let (ea, oa) = pair
            var eaf = 0.05 + 0.9 * draws.uniform()
            if quirk == .palindromeAmbiguous { eaf = 0.44 + 0.12 * draws.uniform() }
            if quirk == .palindromeReversed { eaf = 0.05 + 0.3 * draws.uniform() }
            let sx = 1 / (2 * eaf * (1 - eaf) * exposureN).squareRoot(), sy = 1 / (2 * eaf * (1 - eaf) * outcomeN).squareRoot()
            let truth = isInstrument ? (draws.uniform() < 0.5 ? -1.0 : 1.0) * (0.025 + 0.02 * abs(draws.normal())) : 0
            let pleiotropy = isInstrument && draws.uniform() < pleiotropicShare ? 0.004 + 0.006 * draws.normal() : 0
            let bx = truth + sx * draws.normal(), by = causalEffect * truth + pleiotropy + sy * draws.normal()
            let outcomeEAF = min(0.99, max(0.01, eaf + 0.01 * draws.normal()))
            let px = erfc(abs(bx / sx) / 2.0.squareRoot()), py = erfc(abs(by / sy) / 2.0.squareRoot())
            let snp = "rs\(100_000 + 37 * j)"
            exposure.append([snp, ea, oa, cell(eaf), cell(bx), cell(sx), cell(px), "\(Int(exposureN))"].joined(separator: "\t"))

            var (yEA, yOA, yBeta, yEAF) = (ea, oa, by, outcomeEAF)
            var alignment = "as given"
            switch quirk {
            case .swapped: (yEA, yOA, yBeta, yEAF) = (oa, ea, -by, 1 - outcomeEAF); alignment = "alleles swapped"
            case .flipped: (yEA, yOA) = (flip(ea), flip(oa)); alignment = "strand flipped"
            case .flippedAndSwapped: (yEA, yOA, yBeta, yEAF) = (flip(oa), flip(ea), -by, 1 - outcomeEAF); alignment = "strand flipped, alleles swapped"
            case .palindromeReversed: (yEA, yOA) = (flip(ea), flip(oa)); alignment = "alleles swapped, palindromic: reverse strand by frequency"
            case .palindromeAmbiguous: alignment = "palindromic with intermediate allele frequency"
            case .incompatible: yOA = ["A", "C", "G", "T"].first { $0 != ea && $0 != oa }!; alignment = "incompatible alleles"
            case .duplicated: lateExposure.append([snp, ea, oa, cell(eaf), cell(-bx), cell(sx), cell(px), "\(Int(exposureN))"].joined(separator: "\t"))
            case .outcomeEAFMissing, .absent, .none: break
            }
            if quirk != .absent {
                outcome.append([snp, yEA, yOA, quirk == .outcomeEAFMissing ? "NA" : cell(yEAF), cell(yBeta), cell(sy), cell(py), "\(Int(outcomeN))"].joined(separator: "\t"))
            }
            guard px < 5e-8 else { continue }
            switch quirk {
            case .absent: fate[snp] = "not in the outcome"
            case .incompatible, .palindromeAmbiguous: fate[snp] = alignment
            default: fate[snp] = "used: " + alignment
            }
        }
        // Outcome rows in reverse order; duplicates of exposure rows after the originals.
        let outcomeRows = [outcome[0]] + outcome.dropFirst().reversed()
        return Tables(exposure: (exposure + lateExposure).joined(separator: "\n") + "\n",
                      outcome: outcomeRows.joined(separator: "\n") + "\n", expectedFate: fate)
    }
}
