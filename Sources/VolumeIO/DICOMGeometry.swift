import Foundation
import VolumeCore

/// The grid of a DICOM series (PS3.3 C.7.6.2, Image Plane module): the slices ordered along the normal of their
/// common orientation, the voxel spacing, and the affine in NIfTI's convention.
struct DICOMGeometry {
    /// Indices into the frames, in slice order (ascending projection of ImagePositionPatient on the normal).
    var order: [Int]
    var spacing: SIMD3<Double>
    var affine: Affine

    /// Relative spread of slice steps beyond which a series is not one evenly spaced volume (a missing slice).
    static let stepTolerance = 0.01

    init(frames: [DICOMImageHeader.Frame], format: DICOMPixelFormat, nominalStep: Double?, paths: [String], folder: String,
         warnings: inout [String]) throws {
        func path(of frame: DICOMImageHeader.Frame) -> String { paths[frame.file] }
        /// A slice's value is missing, of another length, or off by more than 1e-4 from the first slice's.
        func differs(_ value: [Double]?, from given: [Double]) -> Bool {
            guard let value, value.count == given.count else { return true }
            return zip(value, given).contains { abs($0 - $1) > 1e-4 }
        }
        let first = frames[0]

        // One orientation for every slice: row direction r and column direction c, unit and orthogonal.
        var orientation = [1.0, 0, 0, 0, 1, 0]
        if let given = first.orientation {
            guard given.count == 6 else { throw IMATError(path(of: first), "ImageOrientationPatient needs 6 numbers, not \(given.count)") }
            for frame in frames where differs(frame.orientation, from: given) {
                throw IMATError(path(of: frame), "its slice orientation differs from \(path(of: first)): not one volume (a localizer or a second stack?)")
            }
            orientation = given
        } else {
            guard frames.allSatisfy({ $0.orientation == nil }) else { throw IMATError(path(of: first), "no ImageOrientationPatient, unlike other slices") }
            warnings.append("no ImageOrientationPatient; axial orientation assumed")
        }
        let r = SIMD3(orientation[0], orientation[1], orientation[2]), c = SIMD3(orientation[3], orientation[4], orientation[5])
        guard abs(length(r) - 1) < 1e-3, abs(length(c) - 1) < 1e-3, abs(dot(r, c)) < 1e-3 else {
            throw IMATError(path(of: first), "ImageOrientationPatient \(orientation) is not two orthogonal unit vectors")
        }
        let normal = cross(r, c)

        // PixelSpacing is (between rows, between columns).
        var pixelSpacing = [1.0, 1.0]
        if let given = first.pixelSpacing, given.count == 2, given.allSatisfy({ $0 > 0 && $0.isFinite }) {
            for frame in frames where differs(frame.pixelSpacing, from: given) {
                throw IMATError(path(of: frame), "its PixelSpacing differs from \(path(of: first)): not one volume")
            }
            pixelSpacing = given
        } else {
            warnings.append("no usable PixelSpacing; 1 mm assumed")
        }

        // Order by position along the normal; the step between slices comes from the positions themselves.
        let positioned = frames.compactMap(\.position)
        var origin = SIMD3<Double>(0, 0, 0)
        var step = normal * (nominalStep ?? 1)
        if positioned.count == frames.count {
            let depth = frames.map { dot($0.position!, normal) }
            order = frames.indices.sorted { (depth[$0], $0) < (depth[$1], $1) }
            origin = frames[order[0]].position!
            if frames.count > 1 {
                let steps = zip(order, order.dropFirst()).map { depth[$1] - depth[$0] }
                if let k = steps.firstIndex(where: { $0 < 1e-3 }) {
                    throw IMATError(folder, "two slices at one position (\(path(of: frames[order[k]])) and \(path(of: frames[order[k + 1]]))): "
                                        + "the series holds several volumes (echoes, phases or time points); split it first, e.g. with dcm2niix")
                }
                let mean = (depth[order.last!] - depth[order[0]]) / Double(steps.count)
                if steps.contains(where: { abs($0 - mean) > Self.stepTolerance * mean }) {
                    throw IMATError(folder, "slices are not evenly spaced (steps from \(rounded(steps.min()!)) to \(rounded(steps.max()!)) mm): a slice is missing or two stacks are mixed")
                }
                step = (frames[order.last!].position! - origin) / Double(frames.count - 1)
            } else if nominalStep == nil {
                warnings.append("one slice without SliceThickness; 1 mm assumed")
            }
        } else if positioned.isEmpty && (frames.count == 1 || Set(frames.map(\.file)).count == 1) {
            // One file (a single slice, or old-style multi-frame without positions): frames in file order.
            order = Array(frames.indices)
            warnings.append("no ImagePositionPatient; frames kept in file order, \(nominalStep == nil ? "1 mm assumed between them" : "\(rounded(nominalStep!)) mm apart (SliceThickness)")")
        } else {
            throw IMATError(folder, "\(frames.count - positioned.count) of \(frames.count) slices have no ImagePositionPatient: their order is unknown")
        }

        // Voxel (i, j, k): i along the row direction, j bottom-up (dcm2niix's row flip), k along the step.
        let rowSpacing = pixelSpacing[0], columnSpacing = pixelSpacing[1]
        let lpsOrigin = origin + c * (rowSpacing * Double(format.rows - 1))
        let columns: [SIMD3<Double>] = [r * columnSpacing, -c * rowSpacing, step, lpsOrigin]
        // DICOM's patient coordinates are LPS; NIfTI's are RAS: the x and y rows change sign.
        let flip = SIMD3<Double>(-1, -1, 1)
        let ras = columns.map { $0 * flip }
        affine = Affine(rows: (0..<3).map { a in ras.map { $0[a] } })
        spacing = SIMD3(columnSpacing, rowSpacing, length(step))
    }
}

private func rounded(_ value: Double) -> String { String(format: "%.3g", value) }
