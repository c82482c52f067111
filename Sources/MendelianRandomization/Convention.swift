/// Where TwoSampleMR 0.7.9 and MendelianRandomization 0.10.0 make different choices, the one followed
/// (`--convention`); everything else is the same in both packages.
public enum Convention: String, Sendable, Codable, CaseIterable {
    case twoSampleMR = "twosamplemr"
    case mendelianRandomization = "mendelianrandomization"

    /// IVW's standard error: TwoSampleMR's mr_ivw always scales by the residual SE floored at 1
    /// (multiplicative random effects); mr_ivw's default model is fixed-effect below 4 SNPs.
    func ivwIsRandomEffects(snps: Int) -> Bool { self == .twoSampleMR || snps >= 4 }

    /// MR-Egger's slope and intercept tests: t on K − 2 df (TwoSampleMR), or the normal (mr_egger's default).
    var eggerUsesT: Bool { self == .twoSampleMR }

    /// The (penalised) weighted median's weights: second-order 1/(σ_Y²/β_X² + β_Y²σ_X²/β_X⁴) in TwoSampleMR,
    /// first-order (β_X/σ_Y)² in mr_median.
    var medianWeightsAreSecondOrder: Bool { self == .twoSampleMR }

    /// The mode estimators' p-value: t on K − 1 df (TwoSampleMR's mr_mode), or the normal (mr_mbe).
    var modeUsesT: Bool { self == .twoSampleMR }

    /// TwoSampleMR floors the mode's bandwidth at 1e-8; mr_mbe does not.
    var modeBandwidthFloor: Double { self == .twoSampleMR ? 1e-8 : 0 }

    /// Maximum likelihood's SE: TwoSampleMR's mr_two_sample_ml from the inverse Hessian alone (fixed effect);
    /// mr_maxlik's default model scales the variance by max(1, Q/(K − 1)) from 4 SNPs on.
    func maximumLikelihoodIsRandomEffects(snps: Int) -> Bool { self == .mendelianRandomization && snps >= 4 }
}

extension Convention {
    /// I²_GX: TwoSampleMR's Isq on |β_X| with SEs σ_X; mr_egger's on |β_X|/σ_Y with SEs σ_X/σ_Y.
    var isqScalesByOutcomeSE: Bool { self == .mendelianRandomization }
}
