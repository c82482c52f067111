import Foundation
import StatisticalDistributions
import Tabular
import VolumeCore

/// One GWAS's summary statistics as read from a file: per variant its ID, alleles, effect-allele frequency,
/// effect, standard error, p-value and sample size, with the line it came from.
public struct SummaryStatistics: Sendable {
    public struct Variant: Sendable, Equatable {
        /// As TwoSampleMR's format_data keeps it: lower case, without blanks.
        public var snp: String
        /// Upper case; nil when the field is empty or NA.
        public var effectAllele: String?
        public var otherAllele: String?
        /// nil when missing, and (as TwoSampleMR) when 0 or 1.
        public var eaf: Double?
        public var beta: Double?
        public var se: Double?
        /// As given, or 2Φ(−|β/SE|) when the file has none (TwoSampleMR infers it the same way).
        public var p: Double?
        public var n: Double?
        /// The 1-based line of the file.
        public var line: Int
    }

    /// The file the statistics came from, for every message.
    public var path: String
    /// Every row in file order (duplicates included; harmonisation keeps the first of each SNP).
    public var variants: [Variant]
    /// True when the file has no p-value column and all were inferred from β and SE.
    public var pInferred: Bool
    public var hasSampleSize: Bool

    /// Reads tab- or comma-separated text (the separator is the header's: a tab if it has one).
    public init(text: String, path: String, columns: ColumnMapping = ColumnMapping()) throws {
        self.path = path
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r" }
        let separator: Unicode.Scalar = firstLine.contains("\t") ? "\t" : ","
        let table: CSVTable
        do {
            table = try CSVTable(parsing: text, separator: separator)
        } catch let error as CSV.ParseError {
            throw IMATError(path, "\(error)")
        }
        let index = try columns.locate(in: table.header, path: path)
        pInferred = index[.pval] == nil
        hasSampleSize = index[.n] != nil
        var variants: [Variant] = []
        variants.reserveCapacity(table.rows.count)
        for (row, line) in zip(table.rows, table.lines) {
            func field(_ column: Column) -> String? {
                guard let i = index[column] else { return nil }
                let text = row[i].trimmingBlanks
                return isMissingValue(text) ? nil : text
            }
            func number(_ column: Column, valid: (Double) -> Bool, rule: String) throws -> Double? {
                guard let text = field(column) else { return nil }
                guard let value = Double(text), value.isFinite else {
                    throw IMATError(path, "line \(line): \(column.rawValue) is \"\(text)\", not a number")
                }
                guard valid(value) else { throw IMATError(path, "line \(line): \(column.rawValue) is \(text); \(rule)") }
                return value
            }
            guard let snp = field(.snp)?.lowercased().filter({ !$0.isWhitespace }), !snp.isEmpty else {
                throw IMATError(path, "line \(line): the SNP ID is missing")
            }
            let beta = try number(.beta, valid: { _ in true }, rule: "")
            let se = try number(.se, valid: { $0 > 0 }, rule: "a standard error must be above 0")
            var eaf = try number(.eaf, valid: { $0 >= 0 && $0 <= 1 }, rule: "an allele frequency lies between 0 and 1")
            if eaf == 0 || eaf == 1 { eaf = nil }
            var p = try number(.pval, valid: { $0 >= 0 && $0 <= 1 }, rule: "a p-value lies between 0 and 1")
            if p == nil, let beta, let se { p = StandardNormal.twoSidedP(beta / se) }
            let n = try number(.n, valid: { $0 > 3 }, rule: "a sample size must be above 3")
            variants.append(Variant(snp: snp, effectAllele: field(.effectAllele)?.uppercased(), otherAllele: field(.otherAllele)?.uppercased(),
                                    eaf: eaf, beta: beta, se: se, p: p, n: n, line: line))
        }
        guard !variants.isEmpty else { throw IMATError(path, "has a header but no rows") }
        self.variants = variants
    }
}

/// Which header names hold which quantity: common names and aliases, in any case, or the user's own
/// (`snp=ID,beta=BETA`).
public struct ColumnMapping: Sendable, Equatable {
    /// The user's names by quantity; the rest are found by their aliases.
    public var explicit: [Column: String] = [:]

    public init() {}

    /// Parses `snp=ID,beta=BETA,...`; keys are the quantities' names (`Column.rawValue`) or aliases.
    public init(parsing text: String, option: String) throws {
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[1].isEmpty, let column = Column.named(parts[0]) else {
                throw IMATError(argument: option, "\"\(item)\" is not name=COLUMN with name one of \(Column.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            explicit[column] = parts[1]
        }
    }

    func locate(in header: [String], path: String) throws -> [Column: Int] {
        let lowered = header.map { $0.lowercased() }
        var index: [Column: Int] = [:]
        for column in Column.allCases {
            if let name = explicit[column] {
                guard let i = lowered.firstIndex(of: name.lowercased()) else {
                    throw IMATError(path, "has no column \"\(name)\" (given for \(column.rawValue); columns: \(header.joined(separator: ", ")))")
                }
                index[column] = i
                continue
            }
            let claimed = Set(explicit.values.map { $0.lowercased() })
            let candidates = lowered.indices.filter { column.aliases.contains(lowered[$0]) && !claimed.contains(lowered[$0]) }
            if candidates.count > 1 {
                throw IMATError(path, "columns \(candidates.map { header[$0] }.joined(separator: " and ")) could both be \(column.rawValue); name one with \(column.rawValue)=COLUMN")
            }
            index[column] = candidates.first
        }
        let missing = Column.required.filter { index[$0] == nil }
        guard missing.isEmpty else {
            throw IMATError(path, "has no \(missing.map(\.rawValue).joined(separator: ", ")) column (columns: \(header.joined(separator: ", "))); name it with \(missing[0].rawValue)=COLUMN")
        }
        return index
    }
}

/// The quantities of a summary-statistics row.
public enum Column: String, CaseIterable, Sendable {
    case snp, effectAllele = "effect_allele", otherAllele = "other_allele", eaf, beta, se, pval, n

    static let required: [Column] = [.snp, .effectAllele, .otherAllele, .beta, .se]

    /// Header names understood without a mapping (compared in lower case).
    var aliases: Set<String> {
        switch self {
        case .snp: ["snp", "rsid", "rs_id", "rs", "variant_id", "snpid", "snp_id", "markername", "marker"]
        case .effectAllele: ["effect_allele", "ea", "a1", "allele1", "tested_allele", "alt"]
        case .otherAllele: ["other_allele", "oa", "a2", "allele2", "non_effect_allele", "nea", "ref"]
        case .eaf: ["eaf", "af", "freq", "frq", "freq1", "effect_allele_freq", "effect_allele_frequency", "a1_freq"]
        case .beta: ["beta", "b", "effect", "est", "estimate"]
        case .se: ["se", "standard_error", "stderr", "se_beta", "sebeta"]
        case .pval: ["pval", "p", "p_value", "pvalue", "p.value", "p-value", "p_val"]
        case .n: ["n", "samplesize", "sample_size", "n_total", "total_n"]
        }
    }

    static func named(_ name: String) -> Column? {
        let lowered = name.lowercased()
        return allCases.first { $0.rawValue == lowered || $0.aliases.contains(lowered) }
    }
}
