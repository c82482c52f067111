import VolumeCore
/// What to relate to what: the command line of `imat associate`, as a value.
public struct AssociationRequest: Sendable, Equatable {
    public enum Model: String, Sendable, CaseIterable {
        /// A 0/1 outcome (yes/no, true/false): logistic regression, or a mixed logistic model with a group.
        case logistic
        /// A continuous outcome such as a pain score: ordinary least squares.
        case linear
    }

    /// The unit one odds ratio (or slope) refers to.
    public enum ExposureScale: String, Sendable, CaseIterable {
        /// Per two sample standard deviations of the centred exposure, as the NAKO analysis reports.
        case twoSD = "2sd"
        /// Per one sample standard deviation of the centred exposure.
        case sd
        /// Per unit of the exposure as it is in the file.
        case unit

        var label: String {
            switch self {
            case .twoSD: "per 2 SD"
            case .sd: "per SD"
            case .unit: "per unit"
            }
        }
    }

    public var outcome: String
    public var exposure: String
    /// The cohort rows used: one muscle, or `total`.
    public var muscle = "total"
    public var covariates: [String] = []
    /// Covariates to expand into indicator columns, each `name` or `name:reference-level`.
    public var categorical: [String] = []
    public var per = ExposureScale.twoSD
    /// A grouping column for a random intercept (logistic only), such as the study site.
    public var group: String? = nil
    public var idColumn = "participant"
    /// Participants whose cohort row carries any of these flags (its `qc` column) are left out, counted by the
    /// first of them they carry, in this order.
    public var excludeQC: [QualityFlag] = []
    public var model = Model.logistic

    public init(outcome: String, exposure: String) {
        self.outcome = outcome
        self.exposure = exposure
    }

    /// The reference level the user named for each categorical covariate (nil: the first in sorted order).
    func categoricalReferences() throws -> [String: String?] {
        var references: [String: String?] = [:]
        for entry in categorical {
            let parts = entry.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let name = parts[0]
            guard covariates.contains(name) else {
                throw IMATError(data: "--categorical names \"\(name)\", which is not among the covariates (\(covariates.joined(separator: ", ")))")
            }
            guard !references.keys.contains(name) else { throw IMATError(data: "--categorical names \"\(name)\" twice") }
            references[name] = parts.count == 2 ? parts[1] : nil
        }
        return references
    }
}
