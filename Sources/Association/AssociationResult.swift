import Foundation
import VolumeCore

/// The outcome of `imat associate`: what was fitted to what, on how many participants, and every
/// term's estimate; written as association.json (schema `imat.association/1`).
public struct AssociationResult: Sendable, Codable, Equatable {
    public static let schema = "imat.association/1"

    public struct Term: Sendable, Codable, Equatable {
        public var term: String
        public var beta: Double
        public var se: Double
        /// exp(beta) for logistic and mixed models; nil for linear regression.
        public var or: Double?
        /// The 95% confidence interval: of the odds ratio when there is one, else of beta.
        public var ciLow: Double
        public var ciHigh: Double
        public var p: Double

        enum CodingKeys: String, CodingKey {
            case term, beta, se, or, p
            case ciLow = "ci_low", ciHigh = "ci_high"
        }
    }

    public struct Model: Sendable, Codable, Equatable {
        public enum Kind: String, Sendable, Codable, Equatable {
            case logistic, mixedLogistic = "mixed logistic", linear
        }

        /// How the estimates are tested: Wald z (logistic models) or t (linear, on `degreesOfFreedom`).
        public enum Test: String, Sendable, Codable, Equatable {
            case waldZ = "wald z", t
        }

        public var type: Kind
        public var loglik: Double
        /// Newton iterations (logistic), profile-likelihood evaluations (mixed), 1 (linear, a direct solve).
        public var iterations: Int
        public var converged: Bool
        public var test: Test
        public var degreesOfFreedom: Double?
        public var residualVariance: Double?
        /// The random-intercept grouping column, its number of groups, and the intercept's variance and SD.
        public var group: String?
        public var groups: Int?
        public var groupVariance: Double?
        public var groupSD: Double?

        enum CodingKeys: String, CodingKey {
            case type, loglik, iterations, converged, test, group, groups
            case degreesOfFreedom = "degrees_of_freedom", residualVariance = "residual_variance"
            case groupVariance = "group_variance", groupSD = "group_sd"
        }
    }

    /// The likelihood-ratio test of the exposure: the model against the same model without it.
    public struct LikelihoodRatioTest: Sendable, Codable, Equatable {
        public var statistic: Double
        public var df: Int
        public var p: Double
    }

    public struct DropReason: Sendable, Codable, Equatable {
        public var reason: String
        public var count: Int
    }

    public var schema = Self.schema
    /// The imat version and source revision that fitted the models.
    public var imatVersion = IMATVersion.version
    public var sourceRevision = IMATVersion.sourceRevision
    public var outcome: String
    public var exposure: String
    public var muscle: String
    /// "2sd", "sd" or "unit".
    public var per: String
    public var exposureMean: Double
    public var exposureSD: Double
    public var n: Int
    /// Participants with outcome 1 (logistic models only).
    public var events: Int?
    public var dropped: Int
    public var droppedReasons: [DropReason]
    /// The reference level of each categorical covariate.
    public var referenceLevels: [String: String]
    public var terms: [Term]
    public var exposureTest: LikelihoodRatioTest
    public var model: Model

    enum CodingKeys: String, CodingKey {
        case schema, outcome, exposure, muscle, per, n, events, dropped, terms, model
        case imatVersion = "imat_version", sourceRevision = "source_revision"
        case exposureMean = "exposure_mean", exposureSD = "exposure_sd", droppedReasons = "dropped_reasons"
        case referenceLevels = "reference_levels", exposureTest = "exposure_test"
    }

    /// association.json: keys sorted so the file is the same byte for byte on every run.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// Logistic and mixed logistic models report odds ratios; linear regression reports slopes.
    var reportsOddsRatios: Bool { model.type != .linear }
}
