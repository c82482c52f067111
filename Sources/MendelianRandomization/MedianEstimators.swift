import Foundation
import StatisticalDistributions

/// The simple, weighted and penalised weighted median of the Wald ratios (Bowden et al. 2016), as TwoSampleMR's
/// mr_simple_median, mr_weighted_median and mr_penalised_weighted_median (and mr_median) compute them.
enum MedianEstimators {
    /// The three estimators' weights, fixed for the bootstrap as both packages keep them.
    struct Weights {
        var simple: [Double]
        var weighted: [Double]
        var penalised: [Double]
    }

    struct Estimates {
        var simple: Double
        var weighted: Double
        var penalised: Double
    }

    /// The 50% point of the ratios' weighted distribution function, interpolated between the ratios whose
    /// cumulative weight (each counted at its middle) brackets it: R's weighted_median. Ties keep SNP order.
    static func weightedMedian(_ values: [Double], _ weights: [Double]) -> Double {
        let order = values.indices.sorted { values[$0] == values[$1] ? $0 < $1 : values[$0] < values[$1] }
        let total = weights.reduce(0, +)
        var cumulative = 0.0
        var standardised = [Double](repeating: 0, count: order.count)
        for (rank, index) in order.enumerated() {
            cumulative += weights[index]
            standardised[rank] = (cumulative - 0.5 * weights[index]) / total
        }
        guard let below = standardised.lastIndex(where: { $0 < 0.5 }) else { return values[order[0]] }
        let (low, high) = (values[order[below]], values[order[below + 1]])
        return low + (high - low) * (0.5 - standardised[below]) / (standardised[below + 1] - standardised[below])
    }

    /// Simple weights 1/K; weighted: second-order 1/(σ_Y²/β_X² + β_Y²σ_X²/β_X⁴) (TwoSampleMR) or first-order
    /// (β_X/σ_Y)² (MendelianRandomization); penalised: those weights times min(1, 20·p_j), p_j the χ²₁ upper tail of
    /// w_j(ratio_j − weighted median)² (penk = 20 in both).
    static func weights(_ e: SNPEffects, ratios: [Double], secondOrder: Bool) -> Weights {
        let k = e.count
        let weighted: [Double] = secondOrder
            ? e.ratioVariances.map { 1 / $0 }
            : (0..<k).map { e.bx[$0] * e.bx[$0] / (e.sy[$0] * e.sy[$0]) }
        let median = weightedMedian(ratios, weighted)
        let penalised = (0..<k).map { j -> Double in
            let deviation = ratios[j] - median
            let p = ChiSquared.upperTail(weighted[j] * deviation * deviation, degreesOfFreedom: 1)
            return weighted[j] * min(1, 20 * p)
        }
        return Weights(simple: Array(repeating: 1 / Double(k), count: k), weighted: weighted, penalised: penalised)
    }

    static func estimates(_ ratios: [Double], _ weights: Weights) -> Estimates {
        Estimates(simple: weightedMedian(ratios, weights.simple), weighted: weightedMedian(ratios, weights.weighted),
                  penalised: weightedMedian(ratios, weights.penalised))
    }
}
