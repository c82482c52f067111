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
        weightedMedian(values, weights, order: ascendingOrder(values))
    }

    /// The indices of `values` in ascending order, ties in index order (R's order()).
    static func ascendingOrder(_ values: [Double]) -> [Int] {
        values.indices.sorted { values[$0] == values[$1] ? $0 < $1 : values[$0] < values[$1] }
    }

    /// `weightedMedian` given the values' ascending order, so estimators on the same ratios sort them once.
    static func weightedMedian(_ values: [Double], _ weights: [Double], order: [Int]) -> Double {
        let total = weights.reduce(0, +)
        var cumulative = 0.0, below = -1
        var previous = 0.0, current = 0.0
        for (rank, index) in order.enumerated() {
            cumulative += weights[index]
            let standardised = (cumulative - 0.5 * weights[index]) / total
            if standardised < 0.5 { below = rank; previous = standardised } else { current = standardised; break }
        }
        guard below >= 0 else { return values[order[0]] }
        let (low, high) = (values[order[below]], values[order[below + 1]])
        return low + (high - low) * (0.5 - previous) / (current - previous)
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
        let order = ascendingOrder(ratios)
        return Estimates(simple: weightedMedian(ratios, weights.simple, order: order), weighted: weightedMedian(ratios, weights.weighted, order: order),
                         penalised: weightedMedian(ratios, weights.penalised, order: order))
    }
}
