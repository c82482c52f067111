import VolumeCore

/// The intensity of pure fat, measured in the fat that surrounds the muscles.
///
/// Inside a muscle, fat is mostly marbling finer than a voxel, so pure-fat voxels are few and the fat
/// intensity is poorly identified from the muscle's own histogram (a free fit settles well below the
/// truth and inflates every fat fraction). Quantitative fat measurement therefore takes pure fat from a
/// reference region, as MR fat quantification does with subcutaneous fat (e.g. the internal-reference
/// T1w methods reviewed by J. Burakiewicz et al., J. Neurol. 264:2053–2067, 2017): here, the voxels
/// within `shellWidth` voxels in-plane of any muscle that are not muscle themselves, whose brightest
/// Otsu class is mostly subcutaneous, paraspinal and retroperitoneal fat. The reference is the mode of
/// that class (fat is the brightest tissue on T1w, and its peak the sharpest), with the mean and
/// standard deviation of the voxels within ±10 % of the mode.
///
/// `values(shell)` gives the (bias-corrected) image at the shell's voxels in its compact order. Returns nil
/// when fewer than `minimumVoxels` bright voxels surround the muscles.
func fatReference(labels: [UInt16], dimensions d: Dimensions, shellWidth: Int = 4, minimumVoxels: Int = 50,
                  workers: Int = Parallel.defaultWorkers, values: (MaskRuns) throws -> [Float]) throws -> IntensityClass? {
    guard labels.count == d.voxelCount else { throw SegmentationError.sizeMismatch(what: "label map", expected: d.voxelCount, actual: labels.count) }
    let shell = MaskRuns(dimensions: d, workers: workers) { surroundingShell(labels, dimensions: d, width: shellWidth, slice: $0) }
    guard shell.count > 0 else { return nil }
    let shellValues = try values(shell)
    let histogram = try Histogram(values: shellValues, binning: .count(512), workers: workers)
    let threshold = Otsu.threshold(histogram)
    var mode = -1
    for bin in 0..<histogram.binCount where histogram.centre(ofBin: bin) > threshold {
        if mode < 0 || histogram.counts[bin] > histogram.counts[mode] { mode = bin }
    }
    guard mode >= 0 else { return nil }
    let peak = histogram.centre(ofBin: mode)
    var n = 0.0, sum = 0.0, squares = 0.0, bright = 0
    for value in shellValues {
        let x = Double(value)
        if x > threshold { bright += 1 }
        if abs(x - peak) <= 0.1 * peak {
            n += 1; sum += x; squares += x * x
        }
    }
    guard bright >= minimumVoxels, n > 1 else { return nil }
    let mean = sum / n
    return IntensityClass(weight: Double(bright) / Double(d.voxelCount), mean: mean,
                          standardDeviation: max(0, squares / n - mean * mean).squareRoot())
}

/// Voxels of slice `k` within `width` voxels (chessboard distance, in-plane: slices are often thick) of a
/// labelled voxel, excluding the labelled voxels themselves: a mask of the slice alone.
func surroundingShell(_ labels: [UInt16], dimensions d: Dimensions, width: Int, slice k: Int) -> [Bool] {
    let sliceSize = d.x * d.y, base = k * sliceSize
    var grown = (0..<sliceSize).map { labels[base + $0] != 0 }
    // Separable dilation, rows then columns. Along each line a voxel is set when the nearest set voxel before or
    // after it lies within `width`: two sweeps, O(length).
    // (step along a line, its length, how many lines, step between lines) for rows, then columns.
    for (step, length, lines, lineStep) in [(1, d.x, d.y, d.x), (d.x, d.y, d.x, 1)] {
        var next = grown
        for line in 0..<lines {
            let start = line * lineStep
            var last = Int.min / 2
            for t in 0..<length {
                if grown[start + t * step] { last = t } else if t - last <= width { next[start + t * step] = true }
            }
            last = Int.max / 2
            for t in stride(from: length - 1, through: 0, by: -1) {
                if grown[start + t * step] { last = t } else if last - t <= width { next[start + t * step] = true }
            }
        }
        grown = next
    }
    return (0..<sliceSize).map { grown[$0] && labels[base + $0] == 0 }
}
