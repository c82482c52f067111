import Foundation
import StatisticalDistributions
import MatrixAlgebra
import VolumeCore

/// The complete cases of a request and their design matrix, checked and ready to fit (`AssociationAnalysis.prepare`).
public struct PreparedAnalysis: Sendable {
    let request: AssociationRequest
    let sample: AnalysisSample
    let design: DesignMatrix
}

/// `imat associate` as a function: `run` prepares (join, complete cases, design) and fits (the model, and the
/// model without the exposure for its likelihood-ratio test); the two stages are public for timing them apart.
public enum AssociationAnalysis {
    public static func run(_ request: AssociationRequest, cohort: SourceTable, phenotypes: SourceTable) throws -> AssociationResult {
        try fit(prepare(request, cohort: cohort, phenotypes: phenotypes))
    }

    public static func prepare(_ request: AssociationRequest, cohort: SourceTable, phenotypes: SourceTable) throws -> PreparedAnalysis {
        if request.group != nil && request.model == .linear {
            throw IMATError(data: "--random-intercept is available for logistic models only")
        }
        let sample = try AnalysisSample.join(cohort: cohort, phenotypes: phenotypes, request: request)
        let design = try DesignMatrix(sample: sample, request: request)
        if request.model == .logistic { try checkLevelsVary(sample, request: request) }
        return PreparedAnalysis(request: request, sample: sample, design: design)
    }

    public static func fit(_ prepared: PreparedAnalysis) throws -> AssociationResult {
        let (request, sample, design) = (prepared.request, prepared.sample, prepared.design)
        let full = try fit(design.matrix, sample: sample, request: request, terms: design.terms)
        let reduced = try fit(design.matrix.removingColumn(design.exposureColumn), sample: sample, request: request,
                              terms: design.terms.enumerated().filter { $0.offset != design.exposureColumn }.map(\.element))
        let statistic = max(0, 2 * (full.logLikelihood - reduced.logLikelihood))

        let standardErrors = full.standardErrors
        let critical = full.degreesOfFreedom.map { StudentT.upperQuantile(0.025, degreesOfFreedom: $0) } ?? StandardNormal.upperQuantile(0.025)
        let isLogistic = request.model == .logistic
        let terms = design.terms.indices.map { j -> AssociationResult.Term in
            let beta = full.coefficients[j], se = standardErrors[j]
            let p = full.degreesOfFreedom.map { StudentT.twoSidedP(beta / se, degreesOfFreedom: $0) } ?? StandardNormal.twoSidedP(beta / se)
            let low = beta - critical * se, high = beta + critical * se
            return AssociationResult.Term(term: design.terms[j], beta: beta, se: se, or: isLogistic ? exp(beta) : nil,
                                          ciLow: isLogistic ? exp(low) : low, ciHigh: isLogistic ? exp(high) : high, p: p)
        }
        let model = AssociationResult.Model(
            type: request.group != nil ? .mixedLogistic : (request.model == .linear ? .linear : .logistic), loglik: full.logLikelihood,
            iterations: full.iterations, converged: full.converged, test: full.degreesOfFreedom == nil ? .waldZ : .t,
            degreesOfFreedom: full.degreesOfFreedom, residualVariance: full.residualVariance, group: request.group,
            groups: full.groupCount, groupVariance: full.groupVariance, groupSD: full.groupVariance.map { $0.squareRoot() })
        return AssociationResult(
            outcome: request.outcome, exposure: request.exposure, muscle: request.muscle, per: request.per.rawValue,
            exposureMean: design.exposureMean, exposureSD: design.exposureSD, n: sample.ids.count,
            events: isLogistic ? Int(sample.outcome.reduce(0, +)) : nil, dropped: sample.droppedCount,
            droppedReasons: sample.dropped.map { .init(reason: $0.reason, count: $0.count) },
            referenceLevels: design.references, terms: terms,
            exposureTest: .init(statistic: statistic, df: 1, p: ChiSquared.upperTail(statistic, degreesOfFreedom: 1)), model: model)
    }

    private static func fit(_ x: Matrix, sample: AnalysisSample, request: AssociationRequest, terms: [String]) throws -> RegressionFit {
        switch request.model {
        case .linear:
            return try LinearRegression.fit(x, outcome: sample.outcome)
        case .logistic:
            let logistic = try LogisticRegression.fit(x, outcome: sample.outcome, terms: terms)
            guard let groups = sample.groups else { return logistic }
            return try MixedLogisticRegression.fit(x, outcome: sample.outcome, groups: groups, start: logistic)
        }
    }

    /// A level of a categorical covariate in which every participant has the same outcome separates the
    /// outcome perfectly; say so in the covariate's own words before the fit runs away.
    private static func checkLevelsVary(_ sample: AnalysisSample, request: AssociationRequest) throws {
        let outcome = sample.outcome
        guard Set(outcome).count == 2 else { return }  // a constant outcome gets its own message from the fit
        for (name, covariate) in zip(request.covariates, sample.covariates) {
            guard case .categorical(let values) = covariate else { continue }
            var counts: [String: (n: Int, events: Int)] = [:]
            for (level, y) in zip(values, outcome) {
                counts[level, default: (0, 0)].n += 1
                counts[level, default: (0, 0)].events += Int(y)
            }
            for (level, count) in counts.sorted(by: { $0.key < $1.key }) where count.events == 0 || count.events == count.n {
                throw IMATError(data: "perfect separation: every participant with \(name)=\(level) (\(count.n)) has \(request.outcome) = \(count.events == 0 ? 0 : 1); merge that level with another or leave \(name) out")
            }
        }
    }
}
