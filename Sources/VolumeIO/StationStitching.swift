import Foundation
import VolumeCore

/// How the slices two neighbouring stations both cover are combined.
public enum StationOverlap: String, Sendable, CaseIterable {
    /// Linear feathering: the lower station's weight falls from one to zero across the overlap, so the seam
    /// leaves no step in intensity. For images.
    case blend
    /// The lower station up to the middle of the overlap, the upper one above it (an odd overlap's middle slice
    /// is the lower station's). For label masks, where a weighted mean of two labels is no label.
    case cut
}

/// One station of a whole-body acquisition: a volume acquired at one table position, and the name its errors use.
public struct Station: Sendable {
    /// A file's path, or a DICOM series' number and UID; the summary shortens paths to file names.
    public var name: String
    public var volume: Volume

    public init(name: String, volume: Volume) {
        self.name = name
        self.volume = volume
    }
}

/// Stations acquired at several table positions (NAKO, UK Biobank) put onto one grid by their affines, without
/// resampling: the stations must share orientation, in-plane grid and voxel size, and their slices must fall on
/// whole slice positions of one another. The grid is the lowest station's, extended along the slice axis.
public enum StationStitching {
    /// Direction cosines may differ this much (scanners write them to 6 digits or so).
    static let directionTolerance = 1e-3
    /// Voxel sizes may differ this much, in mm.
    static let spacingTolerance = 1e-3
    /// A station may lie this far off the common grid, in voxels, in-plane.
    static let inPlaneTolerance = 0.01
    /// A station may lie this far off a whole slice position, in slices.
    static let sliceTolerance = 0.01

    /// The stations on one grid, with a sentence saying what was done. `folder` names the input in errors
    /// about the whole; errors about stations name them. The grid is checked against `maxVoxels` before it
    /// is allocated.
    public static func stitch(_ stations: [Station], overlap: StationOverlap, maxVoxels: Int,
                              folder: String) throws -> (volume: Volume, summary: String) {
        let plan = try StationLayout(stations, maxVoxels: maxVoxels, folder: folder)
        let sorted = plan.order.map { stations[$0] }
        let sources = plan.sliceSources(overlap: overlap)
        let volumes = sorted.map(\.volume)
        // Shared type and scaling: stored values stay as they are; otherwise physical values in float32.
        let uniform = Set(volumes.map(\.voxelType)).count == 1 && Set(volumes.map(\.scaling)).count == 1
        let storage = uniform
            ? combine(volumes.map(\.storage), sources, sliceSize: plan.dimensions.sliceVoxelCount)
            : .float32(assemble(volumes.map { $0.floatValues() }, sources, sliceSize: plan.dimensions.sliceVoxelCount, blend: floatBlend))
        let lowest = volumes[0]
        let volume = Volume(dimensions: plan.dimensions, spacing: lowest.spacing, affine: lowest.affine, storage: storage,
                            scaling: uniform ? lowest.scaling : .identity)
        let names = sorted.map { ($0.name as NSString).lastPathComponent }
        var summary = "stitched \(stations.count) stations (\(names.joined(separator: ", "))) into \(plan.dimensions)"
        let sliceSpacing = lowest.affine.columnNorms.z
        let seams = zip(names, names.dropFirst()).enumerated().map { s, pair in
            let slices = plan.overlap(below: s)
            guard slices > 0 else { return "\(pair.0) and \(pair.1) adjoin" }
            return "\(pair.0) and \(pair.1) overlap by \(slices) slice\(slices == 1 ? "" : "s") (\(millimetres(Double(slices) * sliceSpacing)) mm), "
                + (overlap == .blend ? "blended" : "cut in the middle")
        }
        if !seams.isEmpty { summary += ": " + seams.joined(separator: "; ") }
        if !uniform { summary += "; the stations store or scale their values differently, so the stitched volume holds float32 physical values" }
        return (volume, summary)
    }

    // MARK: Filling the grid

    /// Where an output slice comes from: one station's slice, or two stations' slices weighted.
    enum SliceSource {
        case copy(station: Int, slice: Int)
        /// `upperWeight` of the upper station's slice, the rest of the lower's.
        case blend(lower: Int, lowerSlice: Int, upper: Int, upperSlice: Int, upperWeight: Double)
    }

    /// The stations' stored values combined in their common type; blends of integers round to the nearest.
    static func combine(_ storages: [VoxelStorage], _ sources: [SliceSource], sliceSize: Int) -> VoxelStorage {
        func all<T>(_ extract: (VoxelStorage) -> [T]?) -> [[T]] { storages.map { extract($0)! } }
        return switch storages[0] {
        case .uint8: .uint8(assemble(all { if case .uint8(let a) = $0 { a } else { nil } }, sources, sliceSize: sliceSize, blend: integerBlend))
        case .int8: .int8(assemble(all { if case .int8(let a) = $0 { a } else { nil } }, sources, sliceSize: sliceSize, blend: integerBlend))
        case .int16: .int16(assemble(all { if case .int16(let a) = $0 { a } else { nil } }, sources, sliceSize: sliceSize, blend: integerBlend))
        case .uint16: .uint16(assemble(all { if case .uint16(let a) = $0 { a } else { nil } }, sources, sliceSize: sliceSize, blend: integerBlend))
        case .int32: .int32(assemble(all { if case .int32(let a) = $0 { a } else { nil } }, sources, sliceSize: sliceSize, blend: integerBlend))
        case .uint32: .uint32(assemble(all { if case .uint32(let a) = $0 { a } else { nil } }, sources, sliceSize: sliceSize, blend: integerBlend))
        case .float32: .float32(assemble(all { if case .float32(let a) = $0 { a } else { nil } }, sources, sliceSize: sliceSize, blend: floatBlend))
        case .float64: .float64(assemble(all { if case .float64(let a) = $0 { a } else { nil } }, sources, sliceSize: sliceSize, blend: { $0 + $2 * ($1 - $0) }))
        }
    }

    /// The output slices in order, each copied or blended from the stations' values.
    static func assemble<T>(_ stations: [[T]], _ sources: [SliceSource], sliceSize: Int, blend: (T, T, Double) -> T) -> [T] {
        var out: [T] = []
        out.reserveCapacity(sources.count * sliceSize)
        for source in sources {
            switch source {
            case .copy(let s, let k):
                out += stations[s][k * sliceSize..<(k + 1) * sliceSize]
            case .blend(let lower, let lowerSlice, let upper, let upperSlice, let weight):
                let a = stations[lower], b = stations[upper]
                let aStart = lowerSlice * sliceSize, bStart = upperSlice * sliceSize
                for n in 0..<sliceSize { out.append(blend(a[aStart + n], b[bStart + n], weight)) }
            }
        }
        return out
    }

    // a + w·(b − a) returns a exactly when a == b, so identical overlaps stitch to the very values.
    static func integerBlend<T: FixedWidthInteger>(_ a: T, _ b: T, _ weight: Double) -> T {
        // Between two integers of T, so the rounded value is one too.
        T((Double(a) + weight * (Double(b) - Double(a))).rounded())
    }

    static func floatBlend(_ a: Float, _ b: Float, _ weight: Double) -> Float {
        Float(Double(a) + weight * (Double(b) - Double(a)))
    }

    static func millimetres(_ value: Double) -> String { String(format: "%.3g", value) }
}
