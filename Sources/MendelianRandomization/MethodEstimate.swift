import StatisticalDistributions

/// One method's causal estimate: β, its SE, 95% interval and p-value on the SNPs it used; or, when the method
/// cannot be applied to these SNPs, why not (every number nil).
public struct MethodEstimate: Sendable, Codable, Equatable {
    public var b: Double?
    public var se: Double?
    public var ciLow: Double?
    public var ciHigh: Double?
    public var p: Double?
    public var nSNPs: Int
    public var notEstimable: String?

    enum CodingKeys: String, CodingKey {
        case b, se, p
        case ciLow = "ci_low", ciHigh = "ci_high", nSNPs = "n_snps", notEstimable = "not_estimable"
    }

    /// The normal quantile of 95% intervals (both packages use qnorm(0.975) for these estimators' intervals;
    /// TwoSampleMR's generate_odds_ratios rounds it to 1.96).
    static let z975 = StandardNormal.upperQuantile(0.025)

    /// β ± z₀.₉₇₅·SE, with a two-sided p from the normal or, given `tDegreesOfFreedom`, from t.
    init(b: Double, se: Double, snps: Int, tDegreesOfFreedom: Double? = nil) {
        self.b = b
        self.se = se
        ciLow = b - Self.z975 * se
        ciHigh = b + Self.z975 * se
        p = tDegreesOfFreedom.map { StudentT.twoSidedP(b / se, degreesOfFreedom: $0) } ?? StandardNormal.twoSidedP(b / se)
        nSNPs = snps
    }

    static func notEstimable(_ reason: String, snps: Int) -> MethodEstimate {
        MethodEstimate(b: nil, se: nil, ciLow: nil, ciHigh: nil, p: nil, nSNPs: snps, notEstimable: reason)
    }

    private init(b: Double?, se: Double?, ciLow: Double?, ciHigh: Double?, p: Double?, nSNPs: Int, notEstimable: String?) {
        (self.b, self.se, self.ciLow, self.ciHigh, self.p, self.nSNPs, self.notEstimable) = (b, se, ciLow, ciHigh, p, nSNPs, notEstimable)
    }
}

/// A heterogeneity statistic: Q on `df` degrees of freedom and its χ² upper-tail p.
public struct HeterogeneityTest: Sendable, Codable, Equatable {
    public var Q: Double
    public var df: Int
    public var p: Double

    init(Q: Double, df: Int) {
        self.Q = Q
        self.df = df
        p = ChiSquared.upperTail(Q, degreesOfFreedom: Double(df))
    }
}

/// The harmonised effects an estimator works on: per SNP β_X, σ_X, β_Y, σ_Y (parallel arrays, SNP order).
struct SNPEffects: Sendable {
    var bx: [Double]
    var sx: [Double]
    var by: [Double]
    var sy: [Double]

    var count: Int { bx.count }

    init(bx: [Double], sx: [Double], by: [Double], sy: [Double]) {
        (self.bx, self.sx, self.by, self.sy) = (bx, sx, by, sy)
    }

    init(_ instruments: [Instrument]) {
        self.init(bx: instruments.map(\.exposureBeta), sx: instruments.map(\.exposureSE),
                  by: instruments.map(\.outcomeBeta), sy: instruments.map(\.outcomeSE))
    }

    /// The SNPs but the `left`-th.
    func leavingOut(_ left: Int) -> SNPEffects {
        func drop(_ values: [Double]) -> [Double] { Array(values[..<left] + values[(left + 1)...]) }
        return SNPEffects(bx: drop(bx), sx: drop(sx), by: drop(by), sy: drop(sy))
    }

    /// Per SNP Wald ratios β_Y/β_X.
    var ratios: [Double] { zip(by, bx).map { $0 / $1 } }

    /// The ratios' second-order (delta-method) variances σ_Y²/β_X² + β_Y²σ_X²/β_X⁴, as both packages write them.
    var ratioVariances: [Double] {
        (0..<count).map { j in
            let bx2 = bx[j] * bx[j]
            return sy[j] * sy[j] / bx2 + by[j] * by[j] * sx[j] * sx[j] / (bx2 * bx2)
        }
    }
}
