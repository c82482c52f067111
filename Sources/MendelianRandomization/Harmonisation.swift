import Foundation

/// One instrument after harmonisation: the exposure's alleles, both studies' effects on the exposure's effect
/// allele, and what was done to the outcome's row to get there.
public struct Instrument: Sendable, Codable, Equatable {
    public var snp: String
    public var effectAllele: String
    public var otherAllele: String
    /// The SNP's effect on the exposure (β_X, SE) and on the outcome (β_Y, SE), both per effect allele.
    public var exposureBeta: Double
    public var exposureSE: Double
    public var outcomeBeta: Double
    public var outcomeSE: Double
    public var exposureEAF: Double?
    public var outcomeEAF: Double?
    public var exposureP: Double
    public var outcomeP: Double?
    public var exposureN: Double?
    public var outcomeN: Double?
    /// "as given", "alleles swapped", "strand flipped", "strand flipped, alleles swapped", and for palindromic
    /// SNPs "palindromic, …" with how the frequencies aligned it.
    public var alignment: String

    enum CodingKeys: String, CodingKey {
        case snp, alignment
        case effectAllele = "effect_allele", otherAllele = "other_allele"
        case exposureBeta = "beta_exposure", exposureSE = "se_exposure", outcomeBeta = "beta_outcome", outcomeSE = "se_outcome"
        case exposureEAF = "eaf_exposure", outcomeEAF = "eaf_outcome", exposureP = "p_exposure", outcomeP = "p_outcome"
        case exposureN = "n_exposure", outcomeN = "n_outcome"
    }
}

/// A SNP that passed the p-value threshold but is not used, and why.
public struct DroppedSNP: Sendable, Codable, Equatable {
    public var snp: String
    public var reason: String
}

/// A SNP given on several rows of one file: the first row is used, as TwoSampleMR's format_data does.
public struct DuplicateRows: Sendable, Codable, Equatable {
    public var snp: String
    public var file: String
    public var keptLine: Int
    public var ignoredLines: [Int]

    enum CodingKeys: String, CodingKey { case snp, file, keptLine = "kept_line", ignoredLines = "ignored_lines" }
}

/// Exposure and outcome statistics brought onto the same effect allele, as TwoSampleMR's harmonise_data
/// does with its default action 2.
public struct HarmonisedData: Sendable {
    /// Sorted by SNP ID (as TwoSampleMR's merge sorts them).
    public var instruments: [Instrument]
    public var dropped: [DroppedSNP]
    public var duplicates: [DuplicateRows]
    /// Exposure SNPs at or above the p-value threshold (not instruments).
    public var notSignificant: Int
    public var pThreshold: Double

    /// TwoSampleMR's tolerance: a palindromic SNP whose EAF lies strictly between 0.5 ∓ 0.08 in either study is
    /// ambiguous. The bounds are computed as R computes them (0.5 − 0.08 is not exactly 0.42).
    static let palindromeTolerance = 0.08

    /// Instruments are the exposure's SNPs (the first row of each) with p < `pThreshold`; each is matched to
    /// the outcome's first row of the same SNP and aligned:
    /// 1. outcome alleles the other way round are swapped (β_Y negated, EAF → 1 − EAF);
    /// 2. SNPs that are not palindromic and still do not match are read on the other strand, then swapped if need be;
    /// 3. alleles that still do not match are incompatible and dropped;
    /// 4. palindromic SNPs (A/T, C/G) are aligned by frequency (the outcome's β_Y negated when one EAF is below
    ///    0.5 and the other above) and dropped as ambiguous when either EAF lies in (0.42, 0.58), a missing EAF
    ///    counting as 0.5;
    /// 5. insertions and deletions coded I/D in one file are matched to the other's longer/shorter allele.
    /// No LD clumping: the exposure's instruments should be clumped already.
    public static func harmonise(exposure: SummaryStatistics, outcome: SummaryStatistics, pThreshold: Double) -> HarmonisedData {
        let (exposureRows, exposureDuplicates) = firstRows(exposure)
        let (outcomeRows, outcomeDuplicates) = firstRows(outcome)
        var candidates: [SummaryStatistics.Variant] = []
        var notSignificant = 0
        for row in exposureRows.values {
            if let p = row.p, p < pThreshold { candidates.append(row) } else { notSignificant += 1 }
        }
        candidates.sort { $0.snp < $1.snp }
        var instruments: [Instrument] = []
        var dropped: [DroppedSNP] = []
        for x in candidates {
            guard let y = outcomeRows[x.snp] else {
                dropped.append(DroppedSNP(snp: x.snp, reason: "not in the outcome"))
                continue
            }
            switch align(x, y) {
            case .dropped(let reason): dropped.append(DroppedSNP(snp: x.snp, reason: reason))
            case .aligned(let instrument): instruments.append(instrument)
            }
        }
        let used = Set(candidates.map(\.snp))
        let duplicates = (exposureDuplicates.map { ($0, exposure.path) } + outcomeDuplicates.map { ($0, outcome.path) })
            .filter { used.contains($0.0.snp) }
            .map { DuplicateRows(snp: $0.0.snp, file: $0.1, keptLine: $0.0.keptLine, ignoredLines: $0.0.ignoredLines) }
            .sorted { ($0.snp, $0.file) < ($1.snp, $1.file) }
        return HarmonisedData(instruments: instruments, dropped: dropped, duplicates: duplicates,
                              notSignificant: notSignificant, pThreshold: pThreshold)
    }

    private static func firstRows(_ statistics: SummaryStatistics) -> ([String: SummaryStatistics.Variant], [DuplicateRows]) {
        var first: [String: SummaryStatistics.Variant] = [:]
        var later: [String: [Int]] = [:]
        for variant in statistics.variants {
            if first[variant.snp] == nil { first[variant.snp] = variant } else { later[variant.snp, default: []].append(variant.line) }
        }
        let duplicates = later.map { DuplicateRows(snp: $0.key, file: statistics.path, keptLine: first[$0.key]!.line, ignoredLines: $0.value) }
        return (first, duplicates)
    }

    private enum Alignment {
        case aligned(Instrument)
        case dropped(String)
    }

    /// TwoSampleMR's harmonise_22 for one SNP, and the checks format_data makes first.
    private static func align(_ x: SummaryStatistics.Variant, _ y: SummaryStatistics.Variant) -> Alignment {
        guard var a1 = x.effectAllele, var a2 = x.otherAllele, isAllele(a1), isAllele(a2) else {
            return .dropped("exposure alleles missing or not A/C/G/T (or D/I): \(x.effectAllele ?? "NA")/\(x.otherAllele ?? "NA")")
        }
        guard var b1 = y.effectAllele, var b2 = y.otherAllele, isAllele(b1), isAllele(b2) else {
            return .dropped("outcome alleles missing or not A/C/G/T (or D/I): \(y.effectAllele ?? "NA")/\(y.otherAllele ?? "NA") (both alleles are needed)")
        }
        var outcomeBeta = y.beta, outcomeEAF = y.eaf
        var steps: [String] = []
        let givenOutcome = "\(b1)/\(b2)"

        // Insertions and deletions: I/D in one file stand for the other file's longer and shorter allele.
        let isIndel = a1.count > 1 || a2.count > 1 || a1 == "D" || a1 == "I"
        var indelKept = true
        if isIndel {
            (b1, b2) = decodeInsertionDeletion(b1, b2, as: a1, a2)
            (a1, a2) = decodeInsertionDeletion(a1, a2, as: b1, b2)
            let coded: Set<String> = ["D", "I"]
            if (x.effectAllele!.count > 1 && x.effectAllele!.count == x.otherAllele!.count && coded.contains(y.effectAllele!))
                || (y.effectAllele!.count > 1 && y.effectAllele!.count == y.otherAllele!.count && coded.contains(x.effectAllele!))
                || a1 == a2 || b1 == b2 { indelKept = false }
        }

        func swapOutcome() {
            swap(&b1, &b2)
            outcomeBeta = outcomeBeta.map { -$0 }
            outcomeEAF = outcomeEAF.map { 1 - $0 }
        }
        if a1 == b2 && a2 == b1 { swapOutcome(); steps.append("alleles swapped") }
        let palindromic = isPalindromic(a1, a2)
        if !palindromic && !(a1 == b1 && a2 == b2) {
            b1 = complement(b1); b2 = complement(b2)
            steps.append("strand flipped")
            if !(a1 == b1 && a2 == b2) && a1 == b2 && a2 == b1 { swapOutcome(); steps.append("alleles swapped") }
        }
        guard a1 == b1 && a2 == b2 && indelKept else {
            return .dropped("incompatible alleles (exposure \(x.effectAllele!)/\(x.otherAllele!), outcome \(givenOutcome))")
        }
        if palindromic {
            let low = 0.5 - palindromeTolerance, high = 0.5 + palindromeTolerance
            let fx = x.eaf ?? 0.5, fy = outcomeEAF ?? 0.5
            if (fx > low && fx < high) || (fy > low && fy < high) {
                let shown = [x.eaf, y.eaf].map { $0.map { String(format: "%.4g", $0) } ?? "missing" }
                return .dropped("palindromic with intermediate allele frequency (EAF exposure \(shown[0]), outcome \(shown[1]); ambiguous in 0.42–0.58, missing counts as 0.5)")
            }
            if (fx < 0.5 && fy > 0.5) || (fx > 0.5 && fy < 0.5) {
                outcomeBeta = outcomeBeta.map { -$0 }
                outcomeEAF = outcomeEAF.map { 1 - $0 }
                steps.append("palindromic: reverse strand by frequency")
            } else {
                steps.append("palindromic: same strand by frequency")
            }
        }
        guard let bx = x.beta, let sx = x.se else { return .dropped("exposure β or SE missing") }
        guard let by = outcomeBeta, let sy = y.se else { return .dropped("outcome β or SE missing") }
        return .aligned(Instrument(snp: x.snp, effectAllele: a1, otherAllele: a2, exposureBeta: bx, exposureSE: sx,
                                   outcomeBeta: by, outcomeSE: sy, exposureEAF: x.eaf, outcomeEAF: outcomeEAF,
                                   exposureP: x.p ?? .nan, outcomeP: y.p, exposureN: x.n, outcomeN: y.n,
                                   alignment: steps.isEmpty ? "as given" : steps.joined(separator: ", ")))
    }

    /// A/C/G/T sequences, or D/I (TwoSampleMR's format_data excludes anything else).
    private static func isAllele(_ allele: String) -> Bool {
        allele == "D" || allele == "I" || (!allele.isEmpty && allele.allSatisfy { "ACGT".contains($0) })
    }

    private static func isPalindromic(_ a1: String, _ a2: String) -> Bool {
        (a1 == "A" && a2 == "T") || (a1 == "T" && a2 == "A") || (a1 == "G" && a2 == "C") || (a1 == "C" && a2 == "G")
    }

    private static func complement(_ allele: String) -> String {
        String(allele.map { ["A": "T", "C": "G", "G": "C", "T": "A"][$0] ?? $0 })
    }

    /// (I, D) or (D, I) read as the reference pair's longer and shorter allele; anything else unchanged.
    private static func decodeInsertionDeletion(_ first: String, _ second: String, as r1: String, _ r2: String) -> (String, String) {
        guard (first == "I" && second == "D") || (first == "D" && second == "I"), r1.count != r2.count else { return (first, second) }
        let (longer, shorter) = r1.count > r2.count ? (r1, r2) : (r2, r1)
        return first == "I" ? (longer, shorter) : (shorter, longer)
    }
}
