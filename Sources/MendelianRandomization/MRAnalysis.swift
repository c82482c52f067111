import Foundation
import VolumeCore

/// How `imat mr` analyses a pair: which package's conventions, the bootstrap, the instruments' threshold.
public struct MRSettings: Sendable, Equatable {
    public var convention: Convention = .twoSampleMR
    public var bootstrapReplicates = 1000
    public static let defaultSeed: UInt64 = 20_261_130
    public var seed: UInt64 = defaultSeed
    /// Exposure SNPs with p below this are instruments (genome-wide significance by default).
    public var pThreshold = 5e-8
    /// Threads for the bootstrap replicates; results are the same for any value.
    public var workers = Parallel.defaultWorkers

    public init() {}
}

/// Two-sample MR of one exposure on one outcome: harmonisation, every estimator, heterogeneity, leave-one-out,
/// single-SNP ratios, the Steiger test and instrument strength.
public enum MRAnalysis {
    public static func run(exposure: SummaryStatistics, outcome: SummaryStatistics, settings: MRSettings, version: String,
                           names: (exposure: String, outcome: String)) throws -> MRResult {
        let data = HarmonisedData.harmonise(exposure: exposure, outcome: outcome, pThreshold: settings.pThreshold)
        guard !data.instruments.isEmpty else {
            let candidates = data.dropped.count
            if candidates == 0 {
                let smallest = exposure.variants.compactMap(\.p).min().map { String(format: "%.3g", $0) } ?? "none"
                throw IMATError(exposure.path, "no SNP has p < \(settings.pThreshold) (smallest p: \(smallest)); lower the bar with --p-threshold")
            }
            let reasons = Dictionary(grouping: data.dropped, by: { $0.reason.prefix { $0 != "(" }.trimmingCharacters(in: .whitespaces) })
                .map { "\($0.value.count) \($0.key)" }.sorted().joined(separator: ", ")
            throw IMATError(data: "no SNP left after harmonising \(exposure.path) with \(outcome.path): all \(candidates) instruments were dropped (\(reasons))")
        }
        let instruments = data.instruments
        let e = SNPEffects(instruments)
        let k = e.count
        let convention = settings.convention

        let ivwFit = k >= 2 ? InverseVarianceWeighted.fit(e) : nil
        let (egger, intercept, eggerFit) = EggerRegression.estimate(e, convention: convention)
        let (ml, mlFit) = MaximumLikelihood.estimate(e, convention: convention)
        let medianAndMode = k >= 3 ? robustEstimates(e, settings: settings) : nil
        let tooFew = MethodEstimate.notEstimable("needs at least 3 SNPs", snps: k)

        var heterogeneity = MRResult.Heterogeneity()
        heterogeneity.ivw = ivwFit.map(InverseVarianceWeighted.heterogeneity)
        heterogeneity.egger = eggerFit.map { HeterogeneityTest(Q: $0.Q, df: k - 2) }
        if let ivwFit, let eggerFit { heterogeneity.qDiff = HeterogeneityTest(Q: max(0, ivwFit.Q - eggerFit.Q), df: 1) }
        heterogeneity.maximumLikelihood = mlFit.map { HeterogeneityTest(Q: $0.Q, df: k - 1) }

        let methods = MRResult.Methods(
            ivw: InverseVarianceWeighted.estimate(e, randomEffects: convention.ivwIsRandomEffects(snps: k)),
            ivwFixed: InverseVarianceWeighted.estimate(e, randomEffects: false),
            egger: MRResult.Egger(slope: egger, intercept: intercept, i2GX: k >= 3 ? EggerRegression.isqGX(e, convention: convention) : nil),
            weightedMedian: medianAndMode?.weightedMedian ?? tooFew, simpleMedian: medianAndMode?.simpleMedian ?? tooFew,
            penalisedWeightedMedian: medianAndMode?.penalisedMedian ?? tooFew,
            simpleMode: medianAndMode?.simpleMode ?? tooFew, weightedMode: medianAndMode?.weightedMode ?? tooFew,
            maximumLikelihood: ml)

        // Leave-one-out with the convention's IVW, from 3 SNPs on (TwoSampleMR's mr_leaveoneout).
        let leaveOneOut = k >= 3 ? (0..<k).map { j in
            MRResult.SNPEstimate(snp: instruments[j].snp, estimate: InverseVarianceWeighted.estimate(e.leavingOut(j), randomEffects: convention.ivwIsRandomEffects(snps: k - 1)))
        } : []
        let singleSNP = (0..<k).map { j in
            MRResult.SNPEstimate(snp: instruments[j].snp, estimate: InverseVarianceWeighted.waldRatio(bx: e.bx[j], by: e.by[j], sy: e.sy[j]))
        }
        let f = (0..<k).map { (e.bx[$0] / e.sx[$0]) * (e.bx[$0] / e.sx[$0]) }

        let provenance = MRResult.Provenance(
            imatVersion: version, convention: convention, seed: settings.seed, bootstrapReplicates: settings.bootstrapReplicates,
            pThreshold: settings.pThreshold, exposureFile: exposure.path, outcomeFile: outcome.path,
            methodConventions: methodConventions(convention), notes: notes(settings, exposure: exposure))
        return MRResult(exposure: names.exposure, outcome: names.outcome, provenance: provenance,
                        snps: .init(used: instruments, dropped: data.dropped, duplicates: data.duplicates, notSignificant: data.notSignificant),
                        methods: methods, heterogeneity: heterogeneity, leaveOneOut: leaveOneOut, singleSNP: singleSNP,
                        steiger: MRResult.Steiger(SteigerTest.test(instruments)),
                        instrumentStrength: .init(f: f, meanF: f.reduce(0, +) / Double(k)))
    }

    private struct RobustEstimates {
        var simpleMedian, weightedMedian, penalisedMedian, simpleMode, weightedMode: MethodEstimate
    }

    /// The medians and modes with their bootstrap SEs (3 SNPs or more).
    private static func robustEstimates(_ e: SNPEffects, settings: MRSettings) -> RobustEstimates {
        let k = e.count, convention = settings.convention
        let ratios = e.ratios
        let medianWeights = MedianEstimators.weights(e, ratios: ratios, secondOrder: convention.medianWeightsAreSecondOrder)
        let medians = MedianEstimators.estimates(ratios, medianWeights)
        // The ratios' second-order SEs, the modes' weights 1/SE² (standardised) and their bootstrap SDs.
        let ratioSEs = e.ratioVariances.map { $0.squareRoot() }
        let precision = ratioSEs.map { 1 / ($0 * $0) }, total = precision.reduce(0, +)
        let modeWeights = [[Double](repeating: 1 / Double(k), count: k), precision.map { $0 / total }]
        let floor = convention.modeBandwidthFloor
        let modes = ModeEstimators.bandwidth(ratios, floor: floor).map { ModeEstimators.densityModes(ratios, weightSets: modeWeights, bandwidth: $0) }
        let se = Bootstrap(replicates: settings.bootstrapReplicates, seed: settings.seed, workers: settings.workers)
            .standardErrors(e, medianWeights: medianWeights, ratios: ratios, ratioSEs: ratioSEs, modeWeights: modeWeights, bandwidthFloor: floor)
        let modeDF: Double? = convention.modeUsesT ? Double(k - 1) : nil
        func mode(_ index: Int, _ se: Double?) -> MethodEstimate {
            guard let modes else { return .notEstimable("the bandwidth is 0: more than half the Wald ratios are equal", snps: k) }
            guard let se else { return .notEstimable("fewer than 2 bootstrap replicates had a positive bandwidth", snps: k) }
            return MethodEstimate(b: modes[index], se: se, snps: k, tDegreesOfFreedom: modeDF)
        }
        return RobustEstimates(simpleMedian: MethodEstimate(b: medians.simple, se: se.simpleMedian, snps: k),
                               weightedMedian: MethodEstimate(b: medians.weighted, se: se.weightedMedian, snps: k),
                               penalisedMedian: MethodEstimate(b: medians.penalised, se: se.penalisedMedian, snps: k),
                               simpleMode: mode(0, se.simpleMode), weightedMode: mode(1, se.weightedMode))
    }

    static func methodConventions(_ convention: Convention) -> [String: String] {
        switch convention {
        case .twoSampleMR:
            [
                "ivw": "TwoSampleMR mr_ivw: SE × max(1, residual SE), normal p",
                "ivw_fixed": "TwoSampleMR mr_ivw_fe: fixed-effect SE, normal p",
                "egger": "TwoSampleMR mr_egger_regression: SEs / min(1, residual SE), t on K − 2 df; I²_GX as TwoSampleMR's Isq(|β_X|, σ_X)",
                "weighted_median": "TwoSampleMR mr_weighted_median: second-order weights, bootstrap SD",
                "simple_median": "TwoSampleMR mr_simple_median: bootstrap SD",
                "penalised_weighted_median": "TwoSampleMR mr_penalised_weighted_median: second-order weights × min(1, 20 p), bootstrap SD",
                "simple_mode": "TwoSampleMR mr_simple_mode: phi = 1, bandwidth floored at 1e-8, bootstrap MAD, t on K − 1 df",
                "weighted_mode": "TwoSampleMR mr_weighted_mode: weights 1/SE² (second order), phi = 1, bootstrap MAD, t on K − 1 df",
                "maximum_likelihood": "TwoSampleMR mr_two_sample_ml model at its exact optimum: SE from the inverse Hessian, normal p",
            ]
        case .mendelianRandomization:
            [
                "ivw": "MendelianRandomization mr_ivw (model default): random effects from 4 SNPs, fixed below; normal p",
                "ivw_fixed": "MendelianRandomization mr_ivw(model = \"fixed\"): normal p",
                "egger": "MendelianRandomization mr_egger: SEs / min(1, residual SE), normal p; I²_GX on |β_X|/σ_Y",
                "weighted_median": "MendelianRandomization mr_median(weighting = \"weighted\"): first-order weights, bootstrap SD",
                "simple_median": "MendelianRandomization mr_median(weighting = \"simple\"): bootstrap SD",
                "penalised_weighted_median": "MendelianRandomization mr_median(weighting = \"penalized\"): first-order weights × min(1, 20 p), bootstrap SD",
                "simple_mode": "MendelianRandomization mr_mbe(weighting = \"unweighted\", stderror = \"delta\"): phi = 1, bootstrap MAD, normal p",
                "weighted_mode": "MendelianRandomization mr_mbe(weighting = \"weighted\", stderror = \"delta\"): phi = 1, bootstrap MAD, normal p",
                "maximum_likelihood": "MendelianRandomization mr_maxlik model (default) at its exact optimum: variance × max(1, Q/(K − 1)) from 4 SNPs, normal p",
            ]
        }
    }

    private static func notes(_ settings: MRSettings, exposure: SummaryStatistics) -> [String] {
        var notes = [
            "instruments: exposure SNPs with p < \(settings.pThreshold), the first row of each SNP (as TwoSampleMR's format_data); no LD clumping, so the exposure's SNPs should be clumped already",
            "harmonisation: TwoSampleMR harmonise_data action 2 (palindromic SNPs aligned by allele frequency, ambiguous in 0.42–0.58)",
            "bootstrap: \(settings.bootstrapReplicates) replicates, seed \(settings.seed); replicate r draws from xoshiro256** stream (seed, r) with polar-method normals, the same on any machine and thread count",
            "95% intervals: estimate ± qnorm(0.975) × SE",
        ]
        if exposure.pInferred { notes.append("exposure p-values inferred from β/SE (the file has no p-value column)") }
        return notes
    }
}
