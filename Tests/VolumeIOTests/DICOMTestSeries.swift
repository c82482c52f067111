import Foundation
import VolumeCore
import VolumeIO

/// A synthetic MR series whose geometry and values are known exactly: the DICOM files to write for it, and the
/// volume the reader must return. Every number written is first rounded to what a DS string holds, so the
/// expectations use the very values in the files.
struct SyntheticSeries {
    var columns = 6
    var rows = 5
    var slices = 4
    var rowDirection = SIMD3<Double>(1, 0, 0)
    var columnDirection = SIMD3<Double>(0, 1, 0)
    var pixelSpacing = (row: 0.75, column: 0.5)
    /// ImagePositionPatient of the first slice by position (LPS mm).
    var origin = SIMD3<Double>(-40.5, 20.25, 10)
    /// Distance from one slice to the next along the normal; SliceThickness says something else on purpose.
    var sliceStep = 3.3
    var sliceThickness = 2.0
    var bitsAllocated = 16
    var bitsStored = 16
    var signed = true
    /// Sets the bits above BitsStored to a pattern the reader must discard.
    var junkAboveBitsStored = false
    var photometric = "MONOCHROME2"
    var rescale: IntensityScaling?
    /// A rescale per slice (by position), overriding `rescale`.
    var sliceRescales: [IntensityScaling]?
    var uid = "2.25.291018100001"
    var number: Int? = 7
    var description = "t1 axial"
    /// File names are this prefix and a number.
    var fileNamePrefix = "IM"
    /// Where this series starts within a longer one (a station): its slices are that one's from here on, by
    /// position and by value.
    var firstSlice = 0

    /// A series of slices tilted about an oblique axis, as an angled sagittal acquisition is.
    static func obliqueSagittal() -> SyntheticSeries {
        var series = SyntheticSeries()
        let rotation = Rotation(axis: SIMD3(1, 0.3, 0.2), degrees: 17)
        series.rowDirection = rotation.apply(SIMD3(0, 1, 0))
        series.columnDirection = rotation.apply(SIMD3(0, 0, -1))
        series.origin = SIMD3(12.5, -80.25, 60.75)
        series.description = "t2 sagittal oblique"
        return series
    }

    // MARK: What is written

    var rowCosines: SIMD3<Double> { rounded(rowDirection) }
    var columnCosines: SIMD3<Double> { rounded(columnDirection) }
    var normal: SIMD3<Double> { cross(rowCosines, columnCosines) }

    /// ImagePositionPatient of every slice, in position order.
    var positions: [SIMD3<Double>] {
        (0..<slices).map { rounded(origin + Double(firstSlice + $0) * sliceStep * normal) }
    }

    /// The value of voxel (i, j, k) (k in position order) within BitsStored: rows of plateaus, so that RLE
    /// has runs to replicate, alternate with rows of scattered values; each slice holds the extremes.
    func value(_ i: Int, _ j: Int, _ k: Int) -> Int {
        let low = signed ? -(1 << (bitsStored - 1)) : 0, span = 1 << bitsStored
        if j == 0, i < 2 { return i == 0 ? low : low + span - 1 }
        let key = j % 2 == 0 ? UInt64(i / 4) : UInt64(i)
        return low + Int(mix(UInt64(firstSlice + k) &* 10_007 &+ UInt64(j) &* 101 &+ key) % UInt64(span))
    }

    func image(_ k: Int, instanceNumber: Int) -> DICOMTestImage {
        // Without junk, the bits above BitsStored are the sign's (or zero), as most writers leave them.
        let junk = junkAboveBitsStored && bitsStored < bitsAllocated ? 0b1010_1010_1010_1010 << bitsStored : nil
        let mask = (1 << bitsStored) - 1
        let pixels = (0..<rows).flatMap { j in
            (0..<columns).map { i in junk.map { (value(i, j, k) & mask) | $0 } ?? value(i, j, k) }
        }
        return DICOMTestImage(
            rows: rows, columns: columns, bitsAllocated: bitsAllocated, bitsStored: bitsStored, signed: signed,
            photometric: photometric, pixels: pixels, rescale: sliceRescales?[k] ?? rescale, position: positions[k],
            rowDirection: rowCosines, columnDirection: columnCosines,
            pixelSpacing: (rounded(pixelSpacing.row), rounded(pixelSpacing.column)), sliceThickness: rounded(sliceThickness),
            seriesUID: uid, seriesNumber: number, seriesDescription: description, instanceNumber: instanceNumber,
            sopInstanceUID: "\(uid).\(k + 1)")
    }

    /// Names: the last slice's first, then the others in position order.
    func fileName(ofSlice k: Int) -> String { String(format: "%@%04d", fileNamePrefix, (k + 1) % slices) }
    /// InstanceNumbers: 1 for the first slice, then descending.
    func instanceNumber(ofSlice k: Int) -> Int { (slices - k) % slices + 1 }

    /// Writes one file per slice into `folder` (created if needed) and returns their paths. Neither the names'
    /// order nor the InstanceNumbers' follows the slices' positions: only sorting by position gets it right.
    @discardableResult
    func write(to folder: String, syntax: DICOMTestWriter.Syntax = .explicitLittle,
               quirks: DICOMTestWriter.Quirks = DICOMTestWriter.Quirks()) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try (0..<slices).map { k in
            let path = (folder as NSString).appendingPathComponent(fileName(ofSlice: k))
            try Data(DICOMTestWriter.file(image(k, instanceNumber: instanceNumber(ofSlice: k)), syntax: syntax, quirks: quirks))
                .write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    /// Writes the series as one enhanced multi-frame file whose frames are stored out of position order.
    func writeMultiFrame(to path: String, syntax: DICOMTestWriter.Syntax = .explicitLittle,
                         quirks: DICOMTestWriter.Quirks = DICOMTestWriter.Quirks()) throws {
        let frames = (0..<slices).map { image($0, instanceNumber: 1) }
        let storedOrder = (0..<slices).map { (slices + 1 - $0) % slices }
        try Data(DICOMTestWriter.enhancedMultiFrame(frames, storedOrder: storedOrder, syntax: syntax, quirks: quirks))
            .write(to: URL(fileURLWithPath: path))
    }

    // MARK: What the reader must return

    /// The volume the planned reader returns: x = columns, y = rows, z = slices by position; stored integers with
    /// the shared rescale as scaling, or float32 physical values when slices rescale differently.
    var expectedVolume: Volume {
        // Rows stored bottom-up, as dcm2niix stores them.
        let values = (0..<slices).flatMap { k in (0..<rows).flatMap { j in (0..<columns).map { i in value(i, rows - 1 - j, k) } } }
        let dimensions = Dimensions(columns, rows, slices)
        let storage: VoxelStorage
        var scaling = rescale ?? .identity
        if let sliceRescales {
            let perSlice = rows * columns
            storage = .float32(values.enumerated().map { n, v in
                Float(Double(v) * sliceRescales[n / perSlice].slope + sliceRescales[n / perSlice].intercept)
            })
            scaling = .identity
        } else {
            storage = switch (bitsAllocated, signed) {
            case (8, false): .uint8(values.map { UInt8($0) })
            case (8, true): .int8(values.map { Int8($0) })
            case (_, false): .uint16(values.map { UInt16($0) })
            case (_, true): .int16(values.map { Int16($0) })
            }
        }
        return Volume(dimensions: dimensions, spacing: geometry.spacing, affine: geometry.affine, storage: storage, scaling: scaling)
    }

    /// The grid as written: rounded directions and spacing, positions in position order.
    var geometry: DICOMGeometry {
        DICOMGeometry(rows: rows, rowCosines: rowCosines, columnCosines: columnCosines,
                      pixelSpacing: (rounded(pixelSpacing.row), rounded(pixelSpacing.column)),
                      positions: positions, sliceThickness: rounded(sliceThickness))
    }

    // MARK: Helpers

    private func rounded(_ x: Double) -> Double { Double(DICOMTestWriter.decimalString(x))! }
    private func rounded(_ v: SIMD3<Double>) -> SIMD3<Double> { SIMD3(rounded(v.x), rounded(v.y), rounded(v.z)) }

    /// SplitMix64's output function (Steele, Lea & Flood 2014).
    private func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// What the reader makes of a stack of slices' geometry (issue 10).
struct DICOMGeometry {
    var rows: Int
    var rowCosines: SIMD3<Double>
    var columnCosines: SIMD3<Double>
    /// PixelSpacing: between rows, then between columns.
    var pixelSpacing: (row: Double, column: Double)
    /// ImagePositionPatient of each slice, in position order.
    var positions: [SIMD3<Double>]
    var sliceThickness: Double

    /// From the first position to the last over the slice count, or the normal times SliceThickness for one slice.
    var sliceStep: SIMD3<Double> {
        positions.count > 1
            ? (positions[positions.count - 1] - positions[0]) / Double(positions.count - 1)
            : cross(rowCosines, columnCosines) * sliceThickness
    }

    var spacing: SIMD3<Double> { SIMD3(pixelSpacing.column, pixelSpacing.row, length(sliceStep)) }

    /// LPS columns r·Δcol, −c·Δrow (rows stored bottom-up, as dcm2niix does) and the slice step, translation the
    /// first position's last row; then the first two rows negated for RAS.
    var affine: Affine {
        let lastRow = positions[0] + columnCosines * (pixelSpacing.row * Double(rows - 1))
        let lps = [rowCosines * pixelSpacing.column, -columnCosines * pixelSpacing.row, sliceStep, lastRow]
        return Affine(rows: (0..<3).map { r in lps.map { r < 2 ? -$0[r] : $0[r] } })
    }
}

func length(_ v: SIMD3<Double>) -> Double { (v * v).sum().squareRoot() }

/// A rotation about `axis` by Rodrigues' formula.
struct Rotation {
    var axis: SIMD3<Double>
    var degrees: Double

    func apply(_ v: SIMD3<Double>) -> SIMD3<Double> {
        let k = axis / length(axis), angle = degrees * .pi / 180
        return v * cos(angle) + cross(k, v) * sin(angle) + k * ((k * v).sum() * (1 - cos(angle)))
    }
}
