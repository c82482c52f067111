import Foundation
import TestSupport
import Testing
import VolumeCore
import VolumeIO

/// Stored sample layouts the reader must keep as they are.
struct PixelFormat: Sendable, CustomTestStringConvertible {
    var bits: Int
    var signed: Bool
    var testDescription: String { "\(signed ? "int" : "uint")\(bits)" }

    static let all = [8, 16].flatMap { bits in [false, true].map { PixelFormat(bits: bits, signed: $0) } }
}

/// The DICOM reader on series written by DICOMTestWriter, whose volumes are known exactly.
@Suite struct DICOMReaderTests {
    typealias Syntax = DICOMTestWriter.Syntax
    static let decodableSyntaxes: [Syntax] = [.explicitLittle, .implicitLittle, .explicitBig, .deflated, .rle]

    /// Loads the series written to a fresh folder in `syntax`.
    func load(_ series: SyntheticSeries, syntax: Syntax = .explicitLittle) throws -> LoadedVolume {
        try withTemporaryFolder { folder in
            try series.write(to: folder.path, syntax: syntax)
            return try VolumeFile.load(folder.path)
        }
    }

    @Test(arguments: decodableSyntaxes, PixelFormat.all)
    func everySyntaxGivesTheVolumeWritten(syntax: Syntax, format: PixelFormat) throws {
        var series = SyntheticSeries()
        series.bitsAllocated = format.bits
        series.bitsStored = format.bits
        series.signed = format.signed
        series.columns = 7  // 35 samples a slice: odd 8-bit pixel data gets a pad byte
        let loaded = try load(series, syntax: syntax)
        #expect(loaded.format == .dicom)
        expectSameVolume(loaded.volume, series.expectedVolume)
    }

    /// Rows stacked towards the patient's front (c = -y in LPS) turn the normal r × c to the feet: slices go in
    /// order of their positions along it, so z descends; the names and InstanceNumbers follow neither order.
    @Test func slicesAreSortedAlongTheNormalNotByZ() throws {
        var series = SyntheticSeries()
        series.columnDirection = SIMD3(0, -1, 0)
        #expect(series.normal.z < 0 && series.positions[1].z < series.positions[0].z)
        expectSameVolume(try load(series).volume, series.expectedVolume)
    }

    /// Each voxel lands where PS3.3 §C.7.6.2.1.1 puts it: IPP + i·Δcol·r + j·Δrow·c of its own slice, in RAS,
    /// where DICOM row j is the reader's row rows − 1 − j (rows stored bottom-up, as dcm2niix stores them).
    @Test func obliqueSlicesMapVoxelsToTheirPatientPositions() throws {
        var series = SyntheticSeries.obliqueSagittal()
        series.rescale = IntensityScaling(slope: 2, intercept: -7)
        let volume = try load(series).volume
        expectSameVolume(volume, series.expectedVolume)
        let spacing = series.geometry.pixelSpacing
        for (k, position) in series.positions.enumerated() {
            for (i, j) in [(0, 0), (series.columns - 1, 0), (0, series.rows - 1), (series.columns - 1, series.rows - 1)] {
                let lps = position + Double(i) * spacing.column * series.rowCosines + Double(j) * spacing.row * series.columnCosines
                let ras = volume.affine.apply(Double(i), Double(series.rows - 1 - j), Double(k))
                #expect(length(ras - lps * SIMD3(-1, -1, 1)) < 1e-6, "voxel (\(i), \(j), \(k))")
            }
        }
        #expect(volume.affine.orientationCode == series.expectedVolume.affine.orientationCode)
    }

    @Test func sliceSpacingComesFromPositionsNotSliceThickness() throws {
        var series = SyntheticSeries()
        series.sliceStep = 3.3
        series.sliceThickness = 2
        let volume = try load(series).volume
        #expect(abs(volume.spacing.z - 3.3) < 1e-9)
        #expect(abs(volume.affine.columnNorms.z - 3.3) < 1e-9)
    }

    @Test func aSingleSliceTakesSliceThicknessAlongTheNormal() throws {
        var series = SyntheticSeries.obliqueSagittal()
        series.slices = 1
        series.sliceThickness = 4.5
        expectSameVolume(try load(series).volume, series.expectedVolume)
    }

    @Test func severalSeriesNeedAChoice() throws {
        var first = SyntheticSeries()
        first.uid = "2.25.5050"
        first.number = 37
        first.description = "t1 axial"
        first.fileNamePrefix = "A"
        var second = SyntheticSeries.obliqueSagittal()
        second.uid = "2.25.909"
        second.number = 112  // after 37 by number, before it as text
        second.slices = 3
        second.fileNamePrefix = "B"
        try withTemporaryFolder { folder in
            try first.write(to: folder.path)
            try second.write(to: folder.path)
            let error = try loadingError(folder.path)
            for series in [first, second] {
                #expect(error.problem.contains(series.uid))
                #expect(error.problem.contains(series.description))
                #expect(error.problem.containsWord(String(series.number!)))
                #expect(error.problem.containsWord(String(series.slices)), "file count")
            }
            let listed = try DICOMSeries.list(in: folder.path)
            #expect(listed.map(\.uid) == [first.uid, second.uid])
            #expect(listed.map(\.number) == [37, 112])
            #expect(listed.map(\.description) == [first.description, second.description])
            #expect(listed.map(\.files) == [4, 3])
            #expect(listed.map(\.slices) == [4, 3])

            var options = LoadOptions()
            options.series = [second.uid]
            expectSameVolume(try VolumeFile.load(folder.path, options: options).volume, second.expectedVolume)
            options.series = ["37"]
            expectSameVolume(try VolumeFile.load(folder.path, options: options).volume, first.expectedVolume)
            options.series = ["2.25.999"]
            try loadingError(folder.path, options: options)
        }
    }

    /// Series numbers repeat across studies: a number two series share picks neither; their UIDs still do.
    @Test func aSeriesNumberTwoSeriesShareIsAmbiguous() throws {
        var first = SyntheticSeries(), second = SyntheticSeries()
        first.uid = "2.25.61"
        first.fileNamePrefix = "A"
        second.uid = "2.25.62"
        second.fileNamePrefix = "B"
        try withTemporaryFolder { folder in
            try first.write(to: folder.path)
            try second.write(to: folder.path)
            let error = try loadingError(folder.path, options: LoadOptions(series: [String(first.number!)]))
            #expect(error.problem.contains("2 series have the number 7") && error.problem.contains(first.uid) && error.problem.contains(second.uid))
            expectSameVolume(try VolumeFile.load(folder.path, options: LoadOptions(series: [second.uid])).volume, second.expectedVolume)
        }
    }

    @Test(arguments: [false, true])
    func twelveBitsStoredDropTheBitsAbove(signed: Bool) throws {
        var series = SyntheticSeries()
        series.bitsStored = 12
        series.signed = signed
        series.junkAboveBitsStored = true
        let volume = try load(series).volume
        // Masked (unsigned) or sign-extended from bit 11 (signed): exactly the 12-bit values.
        expectSameVolume(volume, series.expectedVolume)
        let values = volume.storage.doubleValues()
        #expect(values.min() == (signed ? -2048 : 0) && values.max() == (signed ? 2047 : 4095))
    }

    @Test func aSharedRescaleBecomesTheVolumesScaling() throws {
        var series = SyntheticSeries()
        series.rescale = IntensityScaling(slope: 0.5, intercept: -100)
        let volume = try load(series).volume
        expectSameVolume(volume, series.expectedVolume)
        let stored = series.expectedVolume.storage.doubleValues()
        #expect(volume.floatValues() == stored.map { Float($0 * 0.5 - 100) })
    }

    @Test func rescalesDifferingBetweenSlicesGiveFloat32PhysicalValues() throws {
        var series = SyntheticSeries()
        // Powers of two and integers: every physical value is exact in float32, however it is computed.
        series.sliceRescales = [IntensityScaling(slope: 0.5, intercept: -100), IntensityScaling(slope: 0.25, intercept: 10),
                                IntensityScaling(slope: 2, intercept: 0), IntensityScaling(slope: 1, intercept: -1024)]
        let volume = try load(series).volume
        #expect(volume.voxelType == .float32)
        expectSameVolume(volume, series.expectedVolume)
    }

    /// The same stored words as MONOCHROME1 and MONOCHROME2: one image is the other's negative, so sorting voxels
    /// by one's values sorts them in reverse by the other's (the inversion's offset is the reader's choice).
    @Test(arguments: [8, 16])
    func monochrome1ReversesTheOrderOfIntensities(bits: Int) throws {
        var series = SyntheticSeries()
        series.bitsAllocated = bits
        series.bitsStored = bits
        series.signed = false
        let positive = try load(series).volume.floatValues()
        series.photometric = "MONOCHROME1"
        let negative = try load(series).volume.floatValues()
        let order = positive.indices.sorted { positive[$0] < positive[$1] }
        let reversed = zip(order, order.dropFirst()).allSatisfy { a, b in
            positive[a] == positive[b] ? negative[a] == negative[b] : negative[a] > negative[b]
        }
        #expect(reversed)
        #expect(Set(positive).count > 10)
    }

    /// Rows longer than PackBits' 128-byte runs, with long plateaus and scattered values, in 8 and 16 bits.
    @Test(arguments: [8, 16])
    func rleDecodesLikeNativeOnLongRows(bits: Int) throws {
        var series = SyntheticSeries()
        series.columns = 300
        series.rows = 3
        series.slices = 2
        series.bitsAllocated = bits
        series.bitsStored = bits
        let native = try load(series).volume
        let rle = try load(series, syntax: .rle).volume
        expectSameVolume(rle, native)
        expectSameVolume(rle, series.expectedVolume)
    }

    /// A JPEG stream that ends before its scan (start of image, a comment, end of image): one error naming the file.
    @Test func aJPEGWithoutAScanIsAClearError() throws {
        try withTemporaryFolder { folder in
            let paths = try SyntheticSeries().write(to: folder.path, syntax: .jpegBaseline)
            let error = try loadingError(folder.path, namingOneOf: paths)
            #expect(error.problem.contains("ends before its scan"))
            let single = try loadingError(paths[0])
            #expect(single.problem.contains("frame 1") && single.problem.contains("ends before its scan"))
        }
    }

    @Test(arguments: [Syntax.explicitLittle, .implicitLittle, .explicitBig, .deflated, .rle])
    func enhancedMultiFrameEqualsTheSameSlicesAsFiles(syntax: Syntax) throws {
        var series = SyntheticSeries.obliqueSagittal()
        series.slices = 5
        series.rescale = IntensityScaling(slope: 0.5, intercept: 3)
        try withTemporaryFolder { folder in
            let file = folder.appendingPathComponent("enhanced.dcm").path
            try series.writeMultiFrame(to: file, syntax: syntax)
            let loaded = try VolumeFile.load(file)
            #expect(loaded.format == .dicom)
            expectSameVolume(loaded.volume, series.expectedVolume)
            try series.write(to: folder.appendingPathComponent("files").path, syntax: syntax)
            expectSameVolume(loaded.volume, try VolumeFile.load(folder.appendingPathComponent("files").path).volume)
        }
    }
}

extension String {
    /// True when `word` appears with no letter or digit either side and no dot before it (not inside a UID).
    func containsWord(_ word: String) -> Bool {
        range(of: "(?<![0-9A-Za-z.])\(NSRegularExpression.escapedPattern(for: word))(?![0-9A-Za-z])", options: .regularExpression) != nil
    }
}
