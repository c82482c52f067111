import Foundation
import StatisticalDistributions

/// The Steiger directionality test (Hemani, Tilling & Davey Smith 2017) as TwoSampleMR's directionality_test
/// computes it from r² per SNP: whether the instruments explain more variance of the exposure than of the outcome.
public struct SteigerTest: Sendable, Codable, Equatable {
    /// Σ r² over the SNPs, in the exposure and in the outcome.
    public var r2Exposure: Double
    public var r2Outcome: Double
    /// True when r_exposure > r_outcome (the assumed direction exposure → outcome).
    public var correctDirection: Bool
    /// Fisher's z of the two independent correlations (psych::r.test) and its two-sided p.
    public var z: Double
    public var p: Double
    /// How r² was obtained.
    public var method: String

    enum CodingKeys: String, CodingKey {
        case z, p, method
        case r2Exposure = "r2_exposure", r2Outcome = "r2_outcome", correctDirection = "correct_causal_direction"
    }

    static let method = "r² = F/(n − 2 + F) with F = (β/SE)², for continuous traits (TwoSampleMR's get_r_from_bsen, as add_rsq uses it); binary traits are not supported"

    /// nil, with a reason, when a SNP lacks a sample size.
    static func test(_ instruments: [Instrument]) -> Result<SteigerTest, NotEstimable> {
        guard instruments.count >= 1 else { return .failure(NotEstimable(reason: "no SNPs")) }
        let nx = instruments.compactMap(\.exposureN), ny = instruments.compactMap(\.outcomeN)
        guard nx.count == instruments.count, ny.count == instruments.count else {
            return .failure(NotEstimable(reason: "needs every SNP's sample size in both files (an n column)"))
        }
        func r2(_ b: Double, _ se: Double, _ n: Double) -> Double { let f = (b / se) * (b / se); return f / (n - 2 + f) }
        let rx = instruments.reduce(0) { $0 + r2($1.exposureBeta, $1.exposureSE, $1.exposureN!) }.squareRoot()
        let ry = instruments.reduce(0) { $0 + r2($1.outcomeBeta, $1.outcomeSE, $1.outcomeN!) }.squareRoot()
        let meanX = nx.reduce(0, +) / Double(nx.count), meanY = ny.reduce(0, +) / Double(ny.count)
        let z = (atanh(rx) - atanh(ry)) / (1 / (meanX - 3) + 1 / (meanY - 3)).squareRoot()
        return .success(SteigerTest(r2Exposure: rx * rx, r2Outcome: ry * ry, correctDirection: rx > ry, z: z,
                                    p: StandardNormal.twoSidedP(z), method: method))
    }
}

/// Why a test could not be made on these SNPs.
public struct NotEstimable: Error, Sendable, Codable, Equatable {
    public var reason: String
}
