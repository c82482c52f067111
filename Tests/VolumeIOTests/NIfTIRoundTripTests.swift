import CZlib
import Foundation
import TestSupport
import Testing
import VolumeCore
@testable import VolumeIO

@Suite struct NIfTIRoundTripTests {
    @Test(arguments: VoxelType.allCases, [".nii", ".nii.gz"])
    func everyDatatypeReadsBackExactly(type: VoxelType, suffix: String) throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("volume\(suffix)").path
            let volume = sampleVolume(type)
            try VolumeFile.save(volume, to: path)
            let loaded = try VolumeFile.load(path)
            #expect(loaded.format == .nifti1)
            #expect(loaded.warnings.isEmpty)
            #expect(loaded.volume == volume)
        }
    }

    /// `cat a.gz b.gz` makes one gzip file of several members; gzip and nibabel read it as one stream. Cut
    /// inside the header and inside the voxels, each member ending in its own CRC and length, then followed
    /// by bytes that are not a gzip member (gzip ignores them too).
    @Test func concatenatedGzipMembersReadAsOneStream() throws {
        try withTemporaryFolder { folder in
            let plain = folder.appendingPathComponent("volume.nii").path
            let volume = sampleVolume(.int16)
            try VolumeFile.save(volume, to: plain)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: plain)))
            let cuts = [0, 200, bytes.count / 2, bytes.count]
            var joined = Data()
            for n in 0..<3 {
                let part = folder.appendingPathComponent("part\(n).gz").path
                try gzipped(Array(bytes[cuts[n]..<cuts[n + 1]]), to: part)
                joined.append(try Data(contentsOf: URL(fileURLWithPath: part)))
            }
            joined.append(contentsOf: [0x00, 0x01, 0x02])
            let path = folder.appendingPathComponent("joined.nii.gz").path
            try joined.write(to: URL(fileURLWithPath: path))
            #expect(try VolumeFile.load(path).volume == volume)
        }
    }

    /// A 4-D file whose stream ends, CRC and all, after its first volume: that volume reads with a warning, the
    /// second is missing.
    @Test func aStreamEndingBeforeItsLaterVolumesIsReported() throws {
        try withTemporaryFolder { folder in
            let plain = folder.appendingPathComponent("two.nii").path
            let d = Dimensions(6, 5, 4)
            let volume = Volume(dimensions: d, spacing: SIMD3(1, 1, 1), affine: .diagonal(SIMD3(1, 1, 1)), storage: .int16((0..<d.voxelCount).map { Int16($0) }))
            try VolumeFile.save(volume, to: plain)
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: plain)))
            bytes[40..<42] = [4, 0]  // dim[0] = 4
            bytes[48..<50] = [2, 0]  // dim[4] = 2 volumes, of which the file holds one
            let path = folder.appendingPathComponent("short.nii.gz").path
            try gzipped(bytes, to: path)
            let first = try VolumeFile.load(path)
            #expect(first.volume.storage == volume.storage)
            #expect(first.warnings == ["the data end \(d.voxelCount * 2) bytes before the later volumes the header declares (the volume read is complete)"])
            #expect(throws: IMATError.self) { _ = try VolumeFile.load(path, options: LoadOptions(volumeIndex: 1)) }
        }
    }

    /// Bytes after the data the header declares are ignored, and the reader says so.
    @Test(arguments: [".nii", ".nii.gz"])
    func surplusBytesAreReported(suffix: String) throws {
        try withTemporaryFolder { folder in
            let plain = folder.appendingPathComponent("volume.nii").path
            let volume = sampleVolume(.int16)
            try VolumeFile.save(volume, to: plain)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: plain))) + [7, 7, 7]
            let path = folder.appendingPathComponent("surplus" + suffix).path
            if suffix == ".nii.gz" { try gzipped(bytes, to: path) } else { try Data(bytes).write(to: URL(fileURLWithPath: path)) }
            let loaded = try VolumeFile.load(path)
            #expect(loaded.volume == volume)
            #expect(loaded.warnings == ["3 bytes after the voxel data the header declares were ignored"])
        }
    }

    @Test(arguments: [".nii", ".nii.gz"])
    func scalingReadsBack(suffix: String) throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("scaled\(suffix)").path
            var volume = sampleVolume(.int16)
            volume.scaling = IntensityScaling(slope: 0.25, intercept: -1024.5)
            try NIfTI.write(volume, to: path)
            let loaded = try NIfTI.read(path, options: LoadOptions()).volume
            #expect(loaded.scaling == volume.scaling)
            #expect(loaded.floatValues() == volume.floatValues())
        }
    }

    @Test func fileLayoutFollowsTheStandard() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("layout.nii").path
            let volume = sampleVolume(.uint16)
            try NIfTI.write(volume, to: path)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(bytes.count == 352 + volume.voxelCount * 2)
            #expect(bytes[0..<4] == littleEndianBytes(Int32(348))[...])
            #expect(bytes[344..<348] == [0x6E, 0x2B, 0x31, 0][...])
            #expect(bytes[108..<112] == littleEndianBytes(Float(352).bitPattern)[...])  // vox_offset
            #expect(bytes[70..<74] == (littleEndianBytes(Int16(512)) + littleEndianBytes(Int16(16)))[...])  // datatype, bitpix
            #expect(bytes[76..<80] == littleEndianBytes(Float(-1).bitPattern)[...])  // qfac of a left-handed grid
            #expect(bytes[123] == 2)  // xyzt_units: millimetres
            #expect(bytes[252..<256] == (littleEndianBytes(Int16(1)) + littleEndianBytes(Int16(1)))[...])  // qform, sform codes
            #expect(bytes[348..<352] == [0, 0, 0, 0][...])  // no extensions
        }
    }

    /// Readers that use only the qform (sform_code 0) must find the same grid.
    @Test func qformAgreesWithTheAffine() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("qform.nii").path
            let volume = sampleVolume(.float32)
            try NIfTI.write(volume, to: path)
            try patch(path, at: 254, with: littleEndianBytes(Int16(0)))
            let qformOnly = try NIfTI.read(path, options: LoadOptions()).volume
            #expect(qformOnly.affine.isClose(to: volume.affine, tolerance: 1e-5))
            #expect(qformOnly.affine != volume.affine)  // rebuilt from the quaternion, not copied
        }
    }

    /// For a sheared affine the qform keeps the nearest rigid grid; nibabel's result is in expected.json.
    @Test func shearedAffineGivesNibabelsQform() throws {
        let sheared = try ExpectedFixtures.load().shearedQform
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("sheared.nii").path
            let zooms = SIMD3(sheared.zooms[0], sheared.zooms[1], sheared.zooms[2])
            let volume = Volume(dimensions: Dimensions(2, 2, 2), spacing: zooms, affine: Affine(rows: sheared.affine),
                                storage: .uint8([1, 2, 3, 4, 5, 6, 7, 8]))
            try NIfTI.write(volume, to: path)
            try patch(path, at: 254, with: littleEndianBytes(Int16(0)))
            let qformOnly = try NIfTI.read(path, options: LoadOptions()).volume
            #expect(qformOnly.affine.isClose(to: Affine(rows: sheared.qform), tolerance: 1e-5))
        }
    }

    /// No rotation describes a singular affine: it is kept in the sform and the qform is left unset (code 0).
    @Test func singularAffineLeavesTheQformUnset() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("flat.nii").path
            var volume = sampleVolume(.uint8)
            volume.affine = Affine(rows: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 5]])
            try NIfTI.write(volume, to: path)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(bytes[252..<256] == (littleEndianBytes(Int16(0)) + littleEndianBytes(Int16(1)))[...])
            #expect(try NIfTI.read(path, options: LoadOptions()).volume.affine == volume.affine)
        }
    }

    @Test func writingRefusesWhatNIfTI1CannotHold() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("long.nii.gz").path
            let long = Volume(dimensions: Dimensions(32768, 1, 1), spacing: SIMD3(1, 1, 1), storage: .uint8(Array(repeating: 0, count: 32768)))
            let error = try #require(throws: IMATError.self) { try NIfTI.write(long, to: path) }
            #expect(error == IMATError(path, "a NIfTI-1 dimension holds at most 32767 voxels; this volume is 32768×1×1"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        }
    }

    @Test func gzipOutputIsDeterministic() throws {
        try withTemporaryFolder { folder in
            let first = folder.appendingPathComponent("a.nii.gz").path, second = folder.appendingPathComponent("b.nii.gz").path
            let volume = sampleVolume(.int32, dimensions: Dimensions(40, 30, 20))
            try NIfTI.write(volume, to: first)
            try NIfTI.write(volume, to: second)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: first))
            #expect(bytes == (try Data(contentsOf: URL(fileURLWithPath: second))))
            // Signature, deflate, no flags (so no file name), mtime 0.
            #expect([UInt8](bytes.prefix(8)) == [0x1F, 0x8B, 8, 0, 0, 0, 0, 0])
            #expect(bytes.count < 352 + volume.voxelCount * 4)
        }
    }

    /// The maps are written by igzip; nibabel (Python's gzip), ITK-SNAP and 3D Slicer (ITK) inflate with zlib.
    /// zlib must give back the .nii byte for byte, and accept the member's CRC and length.
    @Test func zlibInflatesWhatIgzipWrote() throws {
        try withTemporaryFolder { folder in
            let volume = sampleVolume(.float32, dimensions: Dimensions(64, 48, 20))
            let plain = folder.appendingPathComponent("v.nii").path, packed = folder.appendingPathComponent("v.nii.gz").path
            try NIfTI.write(volume, to: plain)
            try NIfTI.write(volume, to: packed)
            let expected = [UInt8](try Data(contentsOf: URL(fileURLWithPath: plain)))
            var compressed = [UInt8](try Data(contentsOf: URL(fileURLWithPath: packed)))
            var inflated = [UInt8](repeating: 0, count: expected.count + 1)
            var stream = z_stream()
            #expect(inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK)
            let status = compressed.withUnsafeMutableBufferPointer { input in
                inflated.withUnsafeMutableBufferPointer { output in
                    stream.next_in = input.baseAddress
                    stream.avail_in = UInt32(input.count)
                    stream.next_out = output.baseAddress
                    stream.avail_out = UInt32(output.count)
                    return inflate(&stream, Z_FINISH)
                }
            }
            #expect(status == Z_STREAM_END)
            #expect(stream.avail_in == 0)
            #expect(Array(inflated.prefix(Int(stream.total_out))) == expected)
            inflateEnd(&stream)
        }
    }

    @Test(arguments: [".nii", ".nii.gz"])
    func fourDimensionalFilesGiveTheChosenVolume(suffix: String) throws {
        try withTemporaryFolder { folder in
            let volumes = [VoxelType.int16, .int16, .int16].enumerated().map { t, type in
                var v = sampleVolume(type, dimensions: Dimensions(4, 3, 2))
                if case .int16(let values) = v.storage { v.storage = .int16(values.map { $0 &+ Int16(t * 1000) }) }
                return v
            }
            let path = folder.appendingPathComponent("series\(suffix)").path
            try writeSeries(volumes, to: path, compressed: suffix == ".nii.gz", folder: folder)
            for (t, expected) in volumes.enumerated() {
                let loaded = try NIfTI.read(path, options: LoadOptions(volumeIndex: t)).volume
                #expect(loaded == expected)
            }
            #expect(try problem(reading: path, options: LoadOptions(volumeIndex: 3))
                == "volume index 3 is out of range: the file holds 3 volumes (0…2)")
            #expect(try problem(reading: path, options: LoadOptions(volumeIndex: -1))
                == "volume index -1 is out of range: the file holds 3 volumes (0…2)")
        }
    }

    /// A 4-D NIfTI-1 built from our 3-D header with dim[0] = 4 and dim[4] = the number of volumes.
    private func writeSeries(_ volumes: [Volume], to path: String, compressed: Bool, folder: URL) throws {
        let single = folder.appendingPathComponent("single.nii").path
        try NIfTI.write(volumes[0], to: single)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: single)))
        bytes.replaceSubrange(40..<42, with: littleEndianBytes(Int16(4)))
        bytes.replaceSubrange(48..<50, with: littleEndianBytes(Int16(volumes.count)))
        for volume in volumes.dropFirst() { volume.storage.withUnsafeBytes { bytes += $0 } }
        if compressed {
            try gzipped(bytes, to: path)
        } else {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
    }
}
