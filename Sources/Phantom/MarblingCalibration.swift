import VolumeCore
import VolumeIO

/// Finds each labelled muscle's marbling threshold so that the truth's fat_fraction_mean (mean sub-sample
/// fat fraction over the muscle's mask voxels) equals the participant's target.
///
/// One pass over the voxels that can hold labelled muscle records, per muscle, the mask voxels N, the
/// fat that its voxels hold regardless of the threshold (fat of neighbouring tissue mixing in at the
/// boundary: F), and a histogram of the marbling scores of its own M sub-samples. With s sub-samples
/// per voxel, the muscle needs K = target·N·s − F fat sub-samples, so the threshold is the score exceeded
/// by K of the M, read from the histogram (8192 bins, linear within a bin). Sub-samples of another
/// labelled muscle in a voxel count at that muscle's target; labelled muscles barely touch, so this is a
/// second-order term. A target below what the boundary alone contributes (K < 0) cannot be met: the
/// muscle then gets no marbling and its truth lies above the target.
enum MarblingCalibration {
    static let bins = 8192

    private struct Tally {
        var voxels = [Int](repeating: 0, count: 4)
        var ownSamples = [Int](repeating: 0, count: 4)
        var boundaryFat = [Double](repeating: 0, count: 4)
        var histogram = [UInt32](repeating: 0, count: 4 * bins)

        mutating func add(_ other: Tally) {
            for m in 0..<4 {
                voxels[m] += other.voxels[m]
                ownSamples[m] += other.ownSamples[m]
                boundaryFat[m] += other.boundaryFat[m]
            }
            for n in histogram.indices { histogram[n] += other.histogram[n] }
        }
    }

    /// Thresholds in slot order, then the fixed threshold for unlabelled muscle.
    static func thresholds(sampler: VoxelSampler, signals: SignalTable, targets: [Double], workers: Int) -> [Double] {
        let low = TissueTexture.scoreRange.lowerBound, width = (TissueTexture.scoreRange.upperBound - low) / Double(bins)
        let tallies = Parallel.map(sampler.dimensions.z, workers: workers) { k in
            tally(slice: k, sampler: sampler, signals: signals, targets: targets, binning: EqualBins(origin: low, width: width, count: bins))
        }
        var total = Tally()
        for t in tallies { total.add(t) }

        var result = (0..<4).map { m -> Double in
            let needed = targets[m] * Double(total.voxels[m] * sampler.samplesPerVoxel) - total.boundaryFat[m]
            let k = min(max(needed, 0), Double(total.ownSamples[m]))
            guard k > 0 else { return TissueTexture.scoreRange.upperBound }
            var above = 0.0
            for b in stride(from: bins - 1, through: 0, by: -1) {
                let count = Double(total.histogram[m * bins + b])
                if above + count >= k {
                    return low + (Double(b + 1) - (k - above) / count) * width
                }
                above += count
            }
            return low
        }
        result.append(TissueTexture.unlabelledMuscleThreshold)
        return result
    }

    private static func tally(slice k: Int, sampler: VoxelSampler, signals: SignalTable, targets: [Double],
                              binning: EqualBins) -> Tally {
        var tally = Tally()
        let sections = sampler.sections(slice: k)
        let nx = sampler.dimensions.x
        var visited = [Bool](repeating: false, count: sampler.dimensions.sliceVoxelCount)
        var samples = [SubSample](repeating: .air, count: sampler.samplesPerVoxel)
        for slot in 0..<4 {
            let box = sampler.labelledMuscleBox(slot: slot, sections: sections)
            for j in box.y {
                for i in box.x where !visited[j * nx + i] {
                    visited[j * nx + i] = true
                    sampler.sample(i: i, j: j, sections: sections, into: &samples)
                    let m = VoxelSampler.majoritySlot(samples)
                    guard m >= 0 else { continue }
                    tally.voxels[m] += 1
                    for s in samples {
                        if s.slot == m {
                            tally.histogram[m * bins + binning.index(of: s.score)] += 1
                            tally.ownSamples[m] += 1
                        } else if s.slot >= 0 && s.slot < 4 {
                            tally.boundaryFat[m] += targets[s.slot]
                        } else if s.slot == 4 {
                            tally.boundaryFat[m] += s.score > TissueTexture.unlabelledMuscleThreshold ? 1 : 0
                        } else {
                            tally.boundaryFat[m] += signals[s.tissue].fatFraction
                        }
                    }
                }
            }
        }
        return tally
    }
}
