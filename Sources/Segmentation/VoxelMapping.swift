import VolumeIO

/// How each labelled voxel becomes a tissue class and a fat fraction, per label model.
enum VoxelMapping {
    case intensity(image: [Float], models: [IntensityModel])
    case dixon(water: [Float], fat: [Float], models: [DixonFatFraction], thresholds: [Double])

    struct Maps {
        var tissue: [UInt8]
        var fatFraction: [Float]
        /// Per label: Σ of each voxel's fat fraction for the mean (see `IntensityModel.fatFraction`).
        var fatFractionSums: [Double]
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

    /// The values the label histograms are drawn from: intensities, or the Dixon fat fractions.
    func analysedValues(fatFraction: [Float]) -> [Float] {
        switch self {
        case .intensity(let image, _): image
        case .dixon: fatFraction
        }
    }

    /// Fills both maps in parallel chunks and sums each label's fat fractions in chunk order.
    func apply(labels: [UInt16], present: [UInt16], classes: Int, workers: Int) -> Maps {
        let index = LabelIndex(present)
        var tissue = [UInt8](repeating: TissueCode.outside, count: labels.count)
        var fatFraction = [Float](repeating: 0, count: labels.count)
        let parts = Chunks.ranges(labels.count)
        var sums = [[Double]](repeating: [], count: parts.count)
        tissue.withUnsafeMutableBufferPointer { t in
            fatFraction.withUnsafeMutableBufferPointer { f in
                sums.withUnsafeMutableBufferPointer { s in
                    let (t, f, s) = (UnsafeSendableBuffer(t), UnsafeSendableBuffer(f), UnsafeSendableBuffer(s))
                    Parallel.forEach(parts.count, workers: workers) { c in
                        var local = [Double](repeating: 0, count: present.count)
                        forEachSelected(in: parts[c], labels: labels, selection: .anyLabel) { i in
                            guard let n = index[labels[i]] else { return }
                            let (code, linear, clamped) = classify(i, label: n, classes: classes)
                            t.base[i] = code
                            f.base[i] = Float(clamped)
                            local[n] += linear
                        }
                        s.base[c] = local
                    }
                }
            }
        }
        let totals = (0..<present.count).map { n in sums.reduce(0) { $0 + $1[n] } }
        return Maps(tissue: tissue, fatFraction: fatFraction, fatFractionSums: totals)
    }

    @inline(__always)
    private func classify(_ i: Int, label n: Int, classes: Int) -> (UInt8, Double, Double) {
        switch self {
        case .intensity(let image, let models):
            let x = Double(image[i]), model = models[n]
            let ff = model.fatFraction(x)
            let k = classIndex(of: x, thresholds: model.thresholds)
            return (TissueCode.of(classIndex: k, classes: classes), ff.forMean, ff.map)
        case .dixon(let water, let fat, let models, let thresholds):
            let ff = models[n].fatFraction(water: Double(water[i]), fat: Double(fat[i]))
            let k = classIndex(of: ff, thresholds: thresholds)
            return (TissueCode.of(classIndex: k, classes: classes), ff, ff)
        }
    }
}
