import VolumeCore

/// The parametric bootstrap of the median and mode estimators' SEs. Replicate r draws, from its own stream
/// (seed, r), first β_Xj* ~ N(β_Xj, σ_Xj²) and β_Yj* ~ N(β_Yj, σ_Yj²) for each SNP in turn, whose ratios give
/// the three medians (TwoSampleMR's weighted_median_bootstrap, the weights held fixed), then ratio_j* ~
/// N(ratio_j, se_j²) with the ratios' second-order SEs, which give both modes (mr_mode's boot). The SE is the
/// replicates' SD for the medians and their MAD for the modes, as in both packages.
struct Bootstrap {
    var replicates: Int
    var seed: UInt64
    /// Threads for the replicates (1 inside a batch that runs pairs in parallel); results do not depend on it.
    var workers: Int

    struct StandardErrors {
        var simpleMedian: Double
        var weightedMedian: Double
        var penalisedMedian: Double
        var simpleMode: Double?
        var weightedMode: Double?
    }

    /// Replicates per parallel chunk: fixed, so chunking depends on the replicate count alone.
    static let chunkSize = 50

    func standardErrors(_ e: SNPEffects, medianWeights: MedianEstimators.Weights, ratios: [Double], ratioSEs: [Double],
                        modeWeights: [[Double]], bandwidthFloor: Double) -> StandardErrors {
        let chunks = Parallel.ranges(replicates, chunkSize: Self.chunkSize)
        let results = Parallel.map(chunks.count, workers: workers) { c -> [(MedianEstimators.Estimates, [Double]?)] in
            chunks[c].map { r in
                var draws = NormalDraws(seed: seed, replicate: UInt64(r))
                var ratioDraws = [Double](repeating: 0, count: e.count)
                for j in 0..<e.count {
                    let bx = draws.normal(mean: e.bx[j], sd: e.sx[j])
                    let by = draws.normal(mean: e.by[j], sd: e.sy[j])
                    ratioDraws[j] = by / bx
                }
                let medians = MedianEstimators.estimates(ratioDraws, medianWeights)
                for j in 0..<e.count { ratioDraws[j] = draws.normal(mean: ratios[j], sd: ratioSEs[j]) }
                let modes = ModeEstimators.bandwidth(ratioDraws, floor: bandwidthFloor).map {
                    ModeEstimators.densityModes(ratioDraws, weightSets: modeWeights, bandwidth: $0)
                }
                return (medians, modes)
            }
        }.flatMap { $0 }
        let modes = results.compactMap(\.1)
        return StandardErrors(simpleMedian: standardDeviation(results.map(\.0.simple)),
                              weightedMedian: standardDeviation(results.map(\.0.weighted)),
                              penalisedMedian: standardDeviation(results.map(\.0.penalised)),
                              simpleMode: modes.count > 1 ? medianAbsoluteDeviation(modes.map { $0[0] }) : nil,
                              weightedMode: modes.count > 1 ? medianAbsoluteDeviation(modes.map { $0[1] }) : nil)
    }
}
