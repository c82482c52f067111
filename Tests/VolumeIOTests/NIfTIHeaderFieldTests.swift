import Foundation
import TestSupport
import Testing
import VolumeCore
@testable import VolumeIO

/// How the reader treats header fields that are legal but unusual, each set by editing a file we wrote.
@Suite struct NIfTIHeaderFieldTests {
    private func written(_ volume: Volume, in folder: URL, name: String = "field.nii") throws -> String {
        let path = folder.appendingPathComponent(name).path
        try NIfTI.write(volume, to: path)
        return path
    }

    private func read(_ path: String) throws -> LoadedVolume { try NIfTI.read(path, options: LoadOptions()) }

    @Test(arguments: [Float(0), .nan, .infinity])
    func slopeOfZeroOrNotFiniteMeansUnscaled(slope: Float) throws {
        try withTemporaryFolder { folder in
            var volume = sampleVolume(.int16)
            volume.scaling = IntensityScaling(slope: 3, intercept: 7)
            let path = try written(volume, in: folder)
            try patch(path, at: 112, with: littleEndianBytes(slope.bitPattern))
            #expect(try read(path).volume.scaling == .identity)
        }
    }

    @Test func interceptThatIsNotFiniteIsDroppedWithAWarning() throws {
        try withTemporaryFolder { folder in
            var volume = sampleVolume(.int16)
            volume.scaling = IntensityScaling(slope: 3, intercept: 7)
            let path = try written(volume, in: folder)
            try patch(path, at: 116, with: littleEndianBytes(Float.nan.bitPattern))
            let loaded = try read(path)
            #expect(loaded.volume.scaling == IntensityScaling(slope: 3, intercept: 0))
            #expect(loaded.warnings == ["scl_inter is nan; using 0"])
        }
    }

    /// qfac (pixdim[0]) 0 counts as 1; −1 flips the third axis of the qform.
    @Test func qfacZeroCountsAsOne() throws {
        try withTemporaryFolder { folder in
            let path = try written(sampleVolume(.uint8), in: folder)
            try patch(path, at: 254, with: littleEndianBytes(Int16(0)))  // qform only
            let leftHanded = try read(path).volume.affine
            try patch(path, at: 76, with: littleEndianBytes(Float(1).bitPattern))
            let rightHanded = try read(path).volume.affine
            try patch(path, at: 76, with: littleEndianBytes(Float(0).bitPattern))
            #expect(try read(path).volume.affine == rightHanded)
            for row in 0..<3 {
                #expect(rightHanded.rows[row][2] == -leftHanded.rows[row][2])
                #expect(rightHanded.rows[row][0] == leftHanded.rows[row][0])
            }
        }
    }

    @Test func withoutTransformsTheAffineIsNibabelsFallback() throws {
        try withTemporaryFolder { folder in
            let path = try written(sampleVolume(.uint8, dimensions: Dimensions(5, 4, 3)), in: folder)
            try patch(path, at: 252, with: littleEndianBytes(Int16(0)) + littleEndianBytes(Int16(0)))
            // Centre of the grid at the origin, x flipped: diag(-0.5, 1.25, 3) with offsets (1, -1.875, -3).
            #expect(try read(path).volume.affine == Affine(rows: [[-0.5, 0, 0, 1], [0, 1.25, 0, -1.875], [0, 0, 3, -3]]))
        }
    }

    @Test func zeroVoxelSizeIsReportedNotHidden() throws {
        try withTemporaryFolder { folder in
            let path = try written(sampleVolume(.uint8), in: folder)
            try patch(path, at: 80 + 4, with: littleEndianBytes(Float(0).bitPattern))
            let loaded = try read(path)
            #expect(loaded.volume.spacing == SIMD3(0.5, 0, 3))
            #expect(loaded.warnings == ["pixdim[2] is 0.0: the voxel size along that axis is unknown"])
        }
    }

    /// As in nibabel, a vox_offset inside the header (0 from some old writers) means "right after it".
    @Test func voxOffsetInsideTheHeaderMeansRightAfterIt() throws {
        try withTemporaryFolder { folder in
            let volume = sampleVolume(.int32)
            let path = try written(volume, in: folder)
            try patch(path, at: 108, with: littleEndianBytes(Float(0).bitPattern))
            #expect(try read(path).volume == volume)
        }
    }

    @Test func contentDecidesWhetherToInflate() throws {
        try withTemporaryFolder { folder in
            let volume = sampleVolume(.uint16)
            let plain = try written(volume, in: folder, name: "plain.nii")
            let misnamed = folder.appendingPathComponent("plain-really.nii.gz").path
            try FileManager.default.copyItem(atPath: plain, toPath: misnamed)
            #expect(try read(misnamed).volume == volume)
        }
    }

    @Test func bytesAfterTheGzipStreamAreIgnored() throws {
        try withTemporaryFolder { folder in
            let volume = sampleVolume(.float64)
            let path = try written(volume, in: folder, name: "padded.nii.gz")
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(repeating: 0, count: 512))
            try handle.close()
            #expect(try read(path).volume == volume)
        }
    }
}
