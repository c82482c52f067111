import VolumeCore

/// How each labelled voxel becomes a tissue class and a fat fraction, per label model. The values are the
/// muscle voxels' only, in `MaskRuns` compact order.
enum VoxelMapping {
    case intensity(values: [Float], models: [IntensityModel])
    case dixon(water: [Float], fat: [Float], models: [DixonFatFraction], thresholds: [Double])

    struct Maps {
        var tissue: [UInt8]
        /// The muscle voxels' fat fractions in compact order (0 for a voxel of a label not analysed).
        var fatFraction: [Float]
        /// Per label: Σ of each voxel's fat fraction for the mean (see `IntensityModel.fatFraction`).
        var fatFractionSums: [Double]
        /// Per label, Dixon only: Σ of the plain F/(F+W).
        var signalFatFractionSums: [Double]
    }

    func model(at n: Int) -> IntensityModel? {
        if case .intensity(_, let models) = self { return models[n] }
        return nil
    }

    func thresholds(at n: Int) -> [Double] {
        switch self {
        case .intensity(_, let models): models[n].thresholds
        case .dixon(_, _, _, let thresholds): thresholds
        }
    }

    /// The values the label histograms are drawn from, in compact order: intensities, or the Dixon fat fractions.
    func analysedValues(fatFraction: [Float]) -> [Float] {
        switch self {
        case .intensity(let values, _): values
        case .dixon: fatFraction
        }
    }

    /// Fills the tissue map and the compact fat fractions slab by slab in parallel and sums each label's fat
    /// fractions in slab order.
    func apply(muscle: MaskRuns, muscleLabels: [UInt16], present: [UInt16], classes: Int, workers: Int) -> Maps {
        let index = LabelIndex(present)
        let voxels = muscle.dimensions.voxelCount
        var tissue = [UInt8](repeating: TissueCode.outside, count: voxels)
        var fatFraction = [Float](repeating: 0, count: muscle.count)
        // Per slab: each label's fat-fraction sum, then its plain-ratio sum.
        var sums = [[Double]](repeating: [], count: muscle.slabs.count)
        tissue.withUnsafeMutableBufferPointer { t in
            fatFraction.withUnsafeMutableBufferPointer { f in
                sums.withUnsafeMutableBufferPointer { s in
                    let (t, f, s) = (UnsafeSendableBuffer(t), UnsafeSendableBuffer(f), UnsafeSendableBuffer(s))
                    Parallel.forEach(muscle.slabs.count, workers: workers) { slab in
                        var local = [Double](repeating: 0, count: 2 * present.count)
                        for run in muscle.runs[muscle.slabs[slab]] {
                            let start = muscle.voxelIndex(of: run)
                            for offset in 0..<Int(run.end - run.start) {
                                let c = run.offset + offset
                                guard let n = index[muscleLabels[c]] else { continue }
                                let (code, linear, clamped, signal) = classify(c, label: n, classes: classes)
                                t.base[start + offset] = code
                                f.base[c] = Float(clamped)
                                local[n] += linear
                                local[present.count + n] += signal
                            }
                        }
                        s.base[slab] = local
                    }
                }
            }
        }
        let totals = (0..<2 * present.count).map { n in sums.reduce(0) { $0 + $1[n] } }
        return Maps(tissue: tissue, fatFraction: fatFraction, fatFractionSums: Array(totals[..<present.count]),
                    signalFatFractionSums: Array(totals[present.count...]))
    }

    @inline(__always)
    /// Tissue code, fat fraction for the mean, for the map, and the plain Dixon ratio (0 for a single contrast)
    /// of the muscle voxel at compact position `i`.
    private func classify(_ i: Int, label n: Int, classes: Int) -> (UInt8, Double, Double, Double) {
        switch self {
        case .intensity(let values, let models):
            let x = Double(values[i]), model = models[n]
            let ff = model.fatFraction(x)
            let k = classIndex(of: x, thresholds: model.thresholds)
            return (TissueCode.of(classIndex: k, classes: classes), ff.forMean, ff.map, 0)
        case .dixon(let water, let fat, let models, let thresholds):
            let (w, f) = (Double(water[i]), Double(fat[i]))
            let ff = models[n].fatFraction(water: w, fat: f)
            let k = classIndex(of: ff, thresholds: thresholds)
            return (TissueCode.of(classIndex: k, classes: classes), ff, ff, DixonFatFraction.signalFatFraction(water: w, fat: f))
        }
    }
}
