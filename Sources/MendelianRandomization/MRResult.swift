import Foundation
import Tabular
import VolumeCore

/// What `imat mr` found for one exposure → outcome pair, written as mr.json (schema `imat.mr/1`).
public struct MRResult: Sendable, Codable, Equatable {
    public static let schema = "imat.mr/1"

    public struct Provenance: Sendable, Codable, Equatable {
        public var imatVersion: String
        /// The git revision of the build (`IMATVersion.sourceRevision`).
        public var sourceRevision = IMATVersion.sourceRevision
        public var convention: Convention
        public var seed: UInt64
        public var bootstrapReplicates: Int
        public var pThreshold: Double
        public var exposureFile: String
        public var outcomeFile: String
        /// Which package's formula each method follows under this convention.
        public var methodConventions: [String: String]
        /// How the bootstrap draws and how SNPs were chosen, in words.
        public var notes: [String]

        enum CodingKeys: String, CodingKey {
            case convention, seed, notes
            case imatVersion = "imat_version", sourceRevision = "source_revision", bootstrapReplicates = "bootstrap_replicates", pThreshold = "p_threshold"
            case exposureFile = "exposure_file", outcomeFile = "outcome_file", methodConventions = "method_conventions"
        }
    }

    public struct SNPs: Sendable, Codable, Equatable {
        public var used: [Instrument]
        public var dropped: [DroppedSNP]
        public var duplicates: [DuplicateRows]
        /// Exposure SNPs at or above the p-value threshold.
        public var notSignificant: Int

        enum CodingKeys: String, CodingKey { case used, dropped, duplicates, notSignificant = "not_significant" }
    }

    /// MR-Egger's slope with its intercept (the test of directional pleiotropy) and I²_GX.
    public struct Egger: Sendable, Codable, Equatable {
        public var slope: MethodEstimate
        public var intercept: EggerIntercept?
        public var i2GX: Double?

        enum CodingKeys: String, CodingKey { case intercept, i2GX = "i2_gx" }

        init(slope: MethodEstimate, intercept: EggerIntercept?, i2GX: Double?) {
            (self.slope, self.intercept, self.i2GX) = (slope, intercept, i2GX)
        }

        public init(from decoder: Decoder) throws {
            slope = try MethodEstimate(from: decoder)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            intercept = try container.decodeIfPresent(EggerIntercept.self, forKey: .intercept)
            i2GX = try container.decodeIfPresent(Double.self, forKey: .i2GX)
        }

        public func encode(to encoder: Encoder) throws {
            try slope.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(intercept, forKey: .intercept)
            try container.encodeIfPresent(i2GX, forKey: .i2GX)
        }
    }

    public struct Methods: Sendable, Codable, Equatable {
        public var ivw: MethodEstimate
        public var ivwFixed: MethodEstimate
        public var egger: Egger
        public var weightedMedian: MethodEstimate
        public var simpleMedian: MethodEstimate
        public var penalisedWeightedMedian: MethodEstimate
        public var simpleMode: MethodEstimate
        public var weightedMode: MethodEstimate
        public var maximumLikelihood: MethodEstimate

        enum CodingKeys: String, CodingKey {
            case ivw, egger
            case ivwFixed = "ivw_fixed", weightedMedian = "weighted_median", simpleMedian = "simple_median"
            case penalisedWeightedMedian = "penalised_weighted_median", simpleMode = "simple_mode", weightedMode = "weighted_mode"
            case maximumLikelihood = "maximum_likelihood"
        }

        /// The methods in report order with their JSON names and labels.
        public var all: [(key: String, label: String, estimate: MethodEstimate)] {
            [("ivw", "IVW (multiplicative random effects)", ivw), ("ivw_fixed", "IVW (fixed effects)", ivwFixed),
             ("egger", "MR-Egger", egger.slope), ("weighted_median", "Weighted median", weightedMedian),
             ("simple_median", "Simple median", simpleMedian), ("penalised_weighted_median", "Penalised weighted median", penalisedWeightedMedian),
             ("simple_mode", "Simple mode", simpleMode), ("weighted_mode", "Weighted mode", weightedMode),
             ("maximum_likelihood", "Maximum likelihood", maximumLikelihood)]
        }
    }

    public struct Heterogeneity: Sendable, Codable, Equatable {
        /// Cochran's Q about the IVW fit (K − 1 df).
        public var ivw: HeterogeneityTest?
        /// Rücker's Q′ about the MR-Egger fit (K − 2 df).
        public var egger: HeterogeneityTest?
        /// Q − Q′ (floored at 0, 1 df), as TwoSampleMR's mr_rucker.
        public var qDiff: HeterogeneityTest?
        /// 2 × minus the log-likelihood at the ML optimum (K − 1 df).
        public var maximumLikelihood: HeterogeneityTest?

        enum CodingKeys: String, CodingKey { case ivw, egger, qDiff = "q_diff", maximumLikelihood = "maximum_likelihood" }
    }

    /// One SNP's result: its Wald ratio, or IVW without it.
    public struct SNPEstimate: Sendable, Codable, Equatable {
        public var snp: String
        public var estimate: MethodEstimate

        enum CodingKeys: String, CodingKey { case snp }

        public init(from decoder: Decoder) throws {
            estimate = try MethodEstimate(from: decoder)
            snp = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .snp)
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(snp, forKey: .snp)
            try estimate.encode(to: encoder)
        }

        init(snp: String, estimate: MethodEstimate) { (self.snp, self.estimate) = (snp, estimate) }
    }

    public struct InstrumentStrength: Sendable, Codable, Equatable {
        /// Per SNP (used, in order) β_X²/σ_X².
        public var f: [Double]
        public var meanF: Double

        enum CodingKeys: String, CodingKey { case f, meanF = "mean_f" }
    }

    public struct Steiger: Sendable, Codable, Equatable {
        public var test: SteigerTest?
        public var notEstimable: String?

        enum CodingKeys: String, CodingKey { case notEstimable = "not_estimable" }

        init(_ result: Result<SteigerTest, NotEstimable>) {
            switch result {
            case .success(let test): (self.test, notEstimable) = (test, nil)
            case .failure(let failure): (test, notEstimable) = (nil, failure.reason)
            }
        }

        public init(from decoder: Decoder) throws {
            notEstimable = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .notEstimable)
            test = notEstimable == nil ? try SteigerTest(from: decoder) : nil
        }

        public func encode(to encoder: Encoder) throws {
            if let test { try test.encode(to: encoder) }
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(notEstimable, forKey: .notEstimable)
        }
    }

    public var schema = Self.schema
    public var exposure: String
    public var outcome: String
    public var provenance: Provenance
    public var snps: SNPs
    public var methods: Methods
    public var heterogeneity: Heterogeneity
    public var leaveOneOut: [SNPEstimate]
    public var singleSNP: [SNPEstimate]
    public var steiger: Steiger
    public var instrumentStrength: InstrumentStrength

    enum CodingKeys: String, CodingKey {
        case schema, exposure, outcome, provenance, snps, methods, heterogeneity, steiger
        case leaveOneOut = "leave_one_out", singleSNP = "single_snp", instrumentStrength = "instrument_strength"
    }

    /// mr.json: keys sorted so the file is the same byte for byte on every run.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// The files of one analysis, rendered: mr.json, mr.csv and mr.html.
    public func files() throws -> [(name: String, contents: Data)] {
        [("mr.json", try jsonData()), ("mr.csv", Data(csv().utf8)), ("mr.html", Data(MRReport.html(self).utf8))]
    }

    /// mr.csv: one row per method (MR-Egger's intercept on a row of its own).
    public func csv() -> String {
        func cell(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
        var rows = methods.all.map { method in
            [method.key, cell(method.estimate.b), cell(method.estimate.se), cell(method.estimate.ciLow), cell(method.estimate.ciHigh),
             cell(method.estimate.p), "\(method.estimate.nSNPs)", provenance.methodConventions[method.key] ?? "", method.estimate.notEstimable ?? ""]
        }
        if let intercept = methods.egger.intercept {
            rows.insert(["egger_intercept", cell(intercept.b), cell(intercept.se), "", "", cell(intercept.p), "\(methods.egger.slope.nSNPs)",
                         provenance.methodConventions["egger"] ?? "", ""], at: 3)
        }
        return CSV.document(header: ["method", "b", "se", "ci_low", "ci_high", "p", "n_snps", "convention", "not_estimable"], rows: rows)
    }
}
