import Foundation
import Segmentation
import Tabular
import VolumeCore

/// One muscle on one slice along the volume's third axis (axial for the usual lumbar acquisition): its
/// cross-sectional area and composition, from the analysed voxels (the mask after erosion, if any) and the
/// fat-fraction map exactly as written.
public struct SliceMetrics: Sendable, Equatable {
    public var label: Int
    public var name: String
    /// 0-based index along the third axis.
    public var slice: Int
    public var voxels: Int
    public var fatVoxels: Int
    /// Σ of the fat-fraction map (Float32, as written) over the voxels, in slice order.
    public var fatFractionSum: Double
    /// Voxels × the in-plane voxel area, in cm².
    public var csaCM2: Double

    public var fatFractionMean: Double { voxels > 0 ? fatFractionSum / Double(voxels) : 0 }
    public var imatFraction: Double { voxels > 0 ? Double(fatVoxels) / Double(voxels) : 0 }

    /// Every (muscle, slice) holding analysed voxels of the muscle, by muscle in `muscles` order, then slice.
    /// - Parameters:
    ///   - labels: the mask reduced to the analysed muscles; `tissue` is 0 where a voxel was not analysed.
    ///   - inPlaneAreaMM2: the area of one voxel in the slice plane.
    static func measure(labels: [UInt16], tissue: [UInt8], fatFraction: MuscleValueMap, dimensions: Dimensions,
                        muscles: [(label: Int, name: String)], inPlaneAreaMM2: Double, workers: Int) -> [SliceMetrics] {
        let sliceSize = dimensions.x * dimensions.y
        var column = [Int](repeating: -1, count: Int(UInt16.max) + 1)
        for (n, muscle) in muscles.enumerated() { column[muscle.label] = n }
        // Each slice is summed alone, voxel by voxel in order: the same sums for any number of workers.
        let perSlice = Parallel.map(dimensions.z, workers: workers) { z -> [(voxels: Int, fat: Int, sum: Double)] in
            var sums = [(voxels: Int, fat: Int, sum: Double)](repeating: (0, 0, 0), count: muscles.count)
            let slice = (z * sliceSize)..<((z + 1) * sliceSize), fatFraction = fatFraction.values(in: slice)
            for i in slice where tissue[i] != 0 {
                let n = column[Int(labels[i])]
                guard n >= 0 else { continue }
                sums[n].voxels += 1
                if tissue[i] == TissueCode.fat { sums[n].fat += 1 }
                sums[n].sum += Double(fatFraction[i - slice.lowerBound])
            }
            return sums
        }
        return muscles.enumerated().flatMap { n, muscle in
            perSlice.indices.compactMap { z -> SliceMetrics? in
                let s = perSlice[z][n]
                guard s.voxels > 0 else { return nil }
                return SliceMetrics(label: muscle.label, name: muscle.name, slice: z, voxels: s.voxels, fatVoxels: s.fat,
                                    fatFractionSum: s.sum, csaCM2: Double(s.voxels) * inPlaneAreaMM2 / 100)
            }
        }
    }

    public static let csvHeader = ["participant", "muscle", "label", "slice", "csa_cm2", "fat_fraction_mean", "imat_fraction"]

    /// `slices.csv`: one row per muscle and slice.
    public static func csvText(_ slices: [SliceMetrics], participant: String) -> String {
        CSV.document(header: csvHeader, rows: slices.map {
            [participant, $0.name, String($0.label), String($0.slice)] + [$0.csaCM2, $0.fatFractionMean, $0.imatFraction].map(formatNumber)
        })
    }
}
