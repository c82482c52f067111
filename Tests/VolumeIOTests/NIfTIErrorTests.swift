import Foundation
import TestSupport
import Testing
import VolumeCore
@testable import VolumeIO

/// Every bad input gives one line naming the file and the problem, and nothing is allocated on a header's word.
@Suite struct NIfTIErrorTests {
    /// Writes a small valid uint8 file (60 voxels) and returns its path.
    private func validFile(in folder: URL, name: String = "bad.nii") throws -> String {
        let path = folder.appendingPathComponent(name).path
        try NIfTI.write(sampleVolume(.uint8, dimensions: Dimensions(5, 4, 3)), to: path)
        return path
    }

    /// The bytes of a valid file, changed by `edit`, written uncompressed or gzip-compressed.
    private func editedFile(in folder: URL, compressed: Bool, _ edit: (inout [UInt8]) -> Void) throws -> String {
        let source = try validFile(in: folder, name: "source.nii")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: source)))
        edit(&bytes)
        let path = folder.appendingPathComponent(compressed ? "edited.nii.gz" : "edited.nii").path
        if compressed { try gzipped(bytes, to: path) } else { try Data(bytes).write(to: URL(fileURLWithPath: path)) }
        return path
    }

    @Test func missingFile() throws {
        #expect(try problem(reading: "/nonexistent/folder/scan.nii.gz") == "no such file")
    }

    /// One header field set to a bad value, and what the reader must say about it.
    struct HeaderEdit: Sendable, CustomTestStringConvertible {
        var field: String
        var offset: Int
        var bytes: [UInt8]
        var problem: String
        var testDescription: String { "\(field) → \(problem)" }
    }

    static let headerEdits = [
        HeaderEdit(field: "sizeof_hdr", offset: 0, bytes: littleEndianBytes(Int32(349)),
                   problem: "not a NIfTI file: sizeof_hdr is 349, expected 348 (NIfTI-1) or 540 (NIfTI-2)"),
        HeaderEdit(field: "magic", offset: 344, bytes: Array("n+9\0".utf8),
                   problem: #"not a NIfTI file: magic is "n+9\x00", expected "n+1\x00""#),
        HeaderEdit(field: "magic", offset: 344, bytes: Array("ni1\0".utf8),
                   problem: #"this is the header of a .hdr/.img pair (magic "ni1\x00"), not a single-file .nii"#),
        HeaderEdit(field: "dim[0]", offset: 40, bytes: littleEndianBytes(Int16(9)), problem: "dim[0] is 9, expected 1 to 7 dimensions"),
        HeaderEdit(field: "dim[2]", offset: 44, bytes: littleEndianBytes(Int16(0)), problem: "dim[2] is 0: every dimension must be at least 1"),
        HeaderEdit(field: "dim[3]", offset: 46, bytes: littleEndianBytes(Int16(-1)), problem: "dim[3] is -1: every dimension must be at least 1"),
        HeaderEdit(field: "datatype", offset: 70, bytes: littleEndianBytes(Int16(128)), problem: "unsupported datatype 128 (RGB24)"),
        HeaderEdit(field: "datatype", offset: 70, bytes: littleEndianBytes(Int16(1024)), problem: "unsupported datatype 1024 (INT64)"),
        HeaderEdit(field: "datatype", offset: 70, bytes: littleEndianBytes(Int16(32)), problem: "unsupported datatype 32 (COMPLEX64)"),
        HeaderEdit(field: "datatype", offset: 70, bytes: littleEndianBytes(Int16(3)), problem: "unsupported datatype 3 (not a NIfTI datatype)"),
        HeaderEdit(field: "vox_offset", offset: 108, bytes: littleEndianBytes(Float(352.5).bitPattern), problem: "vox_offset is 352.5, not a byte offset"),
    ]

    @Test(arguments: headerEdits)
    func badHeaderField(_ edit: HeaderEdit) throws {
        try withTemporaryFolder { folder in
            let path = try validFile(in: folder)
            try patch(path, at: edit.offset, with: edit.bytes)
            #expect(try problem(reading: path) == edit.problem)
        }
    }

    @Test func truncatedPlainFile() throws {
        try withTemporaryFolder { folder in
            let path = try validFile(in: folder)
            let url = URL(fileURLWithPath: path)
            let whole = try Data(contentsOf: url)
            try whole.prefix(400).write(to: url)
            #expect(try problem(reading: path) == "header claims 60 bytes of voxel data from offset 352, but the file holds only 400 bytes")
            try whole.prefix(100).write(to: url)
            #expect(try problem(reading: path) == "file too short: expected 348 bytes of header, got 100")
        }
    }

    @Test func truncatedGzipStream() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("cut.nii.gz").path
            let volume = sampleVolume(.int32, dimensions: Dimensions(30, 20, 10))
            try NIfTI.write(volume, to: path)
            let whole = try Data(contentsOf: URL(fileURLWithPath: path))
            try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path))
            let message = try problem(reading: path)
            let expected = volume.voxelCount * 4
            #expect(message.hasPrefix("truncated gzip stream: expected \(expected) bytes of voxel data, got "))
            let got = try #require(Int(message.split(separator: " ").last!))
            #expect(got > 0 && got < expected)

            // All the voxels are there but the member's CRC and length are not.
            try whole.dropLast(8).write(to: URL(fileURLWithPath: path))
            #expect(try problem(reading: path) == "truncated gzip stream: it ends before the gzip trailer (CRC and length)")
        }
    }

    @Test func corruptGzipStream() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("corrupt.nii.gz").path
            try NIfTI.write(sampleVolume(.int32, dimensions: Dimensions(30, 20, 10)), to: path)
            var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            bytes[bytes.count - 8] ^= 0xFF  // the CRC-32 of the trailer
            try bytes.write(to: URL(fileURLWithPath: path))
            #expect(try problem(reading: path) == "corrupt gzip stream (incorrect data check)")
            try Data([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3] + [UInt8](repeating: 0xFF, count: 400)).write(to: URL(fileURLWithPath: path))
            #expect(try problem(reading: path).hasPrefix("corrupt gzip stream ("))
        }
    }

    /// gzip's CRC-32 and length catch any one flipped byte of the deflate data or the trailer, and they are
    /// checked whichever volume is read (a reader that stops after its volume, as nibabel's lazy one does,
    /// never sees them). nibabel's 4-D example_nifti2.nii.gz, every 97th byte after the gzip header (10 bytes
    /// and the file name, which no check covers).
    @Test(arguments: [0, 1])
    func everyFlippedByteOfARealFileIsRefused(volume: Int) throws {
        try withTemporaryFolder { folder in
            let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try niftiFixture("example_nifti2.nii.gz"))))
            let path = folder.appendingPathComponent("flipped.nii.gz").path
            #expect(original[3] == 0x08, "the header holds a file name")
            let dataStart = try #require(original[10...].firstIndex(of: 0)) + 1
            var offsets = Array(stride(from: dataStart, to: original.count, by: 97))
            offsets.append(original.count - 1)
            #expect(offsets.count > 200)
            for offset in offsets {
                var bytes = original
                bytes[offset] ^= 0x55
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                let options = LoadOptions(volumeIndex: volume)
                let loadError = #expect(throws: IMATError.self, "byte \(offset)") { _ = try VolumeFile.load(path, options: options) }
                // Reading an image through without keeping it (an image the analysis does not use) refuses it alike.
                let checkError = #expect(throws: IMATError.self, "byte \(offset)") { _ = try VolumeFile.check(path, options: options) }
                #expect(checkError?.description == loadError?.description, "byte \(offset)")
            }
        }
    }

    /// A file read through without keeping its voxels gives the warnings a load gives, and the errors.
    @Test func checkingAFileTellsWhatLoadingItWould() throws {
        try withTemporaryFolder { folder in
            for name in ["example4d.nii.gz", "example_nifti2.nii.gz", "nifti2_bigendian_float64.nii"] {
                let path = try niftiFixture(name)
                #expect(try VolumeFile.check(path) == VolumeFile.load(path).warnings, "\(name)")
            }
            // Surplus bytes after the voxel data: a warning both ways.
            let path = folder.appendingPathComponent("surplus.nii.gz").path
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try validFile(in: folder))))
            bytes += [1, 2, 3]
            try gzipped(bytes, to: path)
            let warnings = try VolumeFile.check(path)
            #expect(warnings == ["3 bytes after the voxel data the header declares were ignored"])
            #expect(warnings == (try VolumeFile.load(path).warnings))
            // Cut short: the same error.
            let whole = try Data(contentsOf: URL(fileURLWithPath: path))
            try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path))
            let loadError = #expect(throws: IMATError.self) { _ = try VolumeFile.load(path) }
            let checkError = #expect(throws: IMATError.self) { _ = try VolumeFile.check(path) }
            #expect(checkError?.description == loadError?.description && loadError != nil)
        }
    }

    /// A map handed over in parts (as the fat-fraction map is, slab by slab) is written whole, or not at all when
    /// the parts do not fill its grid.
    @Test func aVolumeWrittenInPartsMustFillItsGrid() throws {
        try withTemporaryFolder { folder in
            let values = (0..<60).map { Float($0) / 4 }
            let volume = Volume(dimensions: Dimensions(5, 4, 3), spacing: SIMD3(1, 2, 3), storage: .float32(values))
            for name in ["parts.nii", "parts.nii.gz"] {
                let path = folder.appendingPathComponent(name).path
                try NIfTI.write(grid: volume.grid, voxelType: .float32, to: path) { emit in
                    for part in stride(from: 0, to: 60, by: 20) { try values[part..<(part + 20)].withUnsafeBytes(emit) }
                }
                let read = try VolumeFile.load(path).volume
                #expect(read.storage == .float32(values) && read.sharesGrid(with: volume), "\(name)")
                let whole = folder.appendingPathComponent("whole-" + name).path
                try NIfTI.write(volume, to: whole)
                #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(contentsOf: URL(fileURLWithPath: whole)) || name.hasSuffix(".gz"))
                for count in [40, 80] {
                    let short = folder.appendingPathComponent("\(count)-" + name).path
                    let error = #expect(throws: IMATError.self) {
                        try NIfTI.write(grid: volume.grid, voxelType: .float32, to: short) { emit in
                            try (0..<count).map { Float($0) }.withUnsafeBytes(emit)
                        }
                    }
                    #expect(error?.path == short)
                    #expect(!FileManager.default.fileExists(atPath: short), "nothing half-written")
                }
            }
        }
    }

    @Test func overTheVoxelLimit() throws {
        try withTemporaryFolder { folder in
            let path = try validFile(in: folder)
            #expect(try problem(reading: path, options: LoadOptions(maxVoxels: 59)) == "header claims 5×4×3 voxels, over the limit of 59 voxels")
            for axis in 1...3 { try patch(path, at: 40 + 2 * axis, with: littleEndianBytes(Int16.max)) }
            #expect(try problem(reading: path) == "header claims 32767×32767×32767 voxels, over the limit of 2147483648 voxels")
        }
    }

    /// NIfTI-2 sizes are 64-bit: their product must not wrap around.
    @Test func overflowingDimensions() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("huge.nii").path
            try FileManager.default.copyItem(atPath: try niftiFixture("nifti2_bigendian_float64.nii"), toPath: path)
            for axis in 1...3 { try patch(path, at: 16 + 8 * axis, with: littleEndianBytes(Int64(1 << 40).byteSwapped)) }
            #expect(try problem(reading: path, options: LoadOptions(maxVoxels: .max))
                == "header claims 1099511627776×1099511627776×1099511627776 voxels, over the limit of \(Int.max) voxels")
            for axis in 1...3 { try patch(path, at: 16 + 8 * axis, with: littleEndianBytes(Int64(1 << 20).byteSwapped)) }
            try patch(path, at: 16 + 8 * 4, with: littleEndianBytes(Int64(1 << 40).byteSwapped))
            try patch(path, at: 16, with: littleEndianBytes(Int64(4).byteSwapped))
            #expect(try problem(reading: path, options: LoadOptions(maxVoxels: .max))
                == "header claims 1048576×1048576×1048576×1099511627776 voxels, more data than any file can hold")
        }
    }

    @Test func headerClaimingMoreThanAGzipFileCanHold() throws {
        try withTemporaryFolder { folder in
            // 1000³ uint8 voxels are under the voxel limit, but no 400-byte gzip file inflates to 10⁹ bytes.
            let path = try editedFile(in: folder, compressed: true) { bytes in
                for axis in 1...3 { bytes.replaceSubrange(40 + 2 * axis..<42 + 2 * axis, with: littleEndianBytes(Int16(1000))) }
            }
            let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            #expect(try problem(reading: path)
                == "header claims 1000000000 bytes of voxel data from offset 352, but a gzip file of \(size) bytes holds at most \(size * 1032) (deflate's maximum ratio is 1032:1)")
        }
    }

    @Test func extraDimensionsMustBeSizeOne() throws {
        #expect(try problem(reading: try niftiFixture("row_major.dconn.nii")) == "dim[5] is 10: only 3-D and 4-D images are supported")
    }

    @Test func extensionsPastTheEndOfAGzipStream() throws {
        try withTemporaryFolder { folder in
            let path = try editedFile(in: folder, compressed: true) { bytes in
                bytes.replaceSubrange(108..<112, with: littleEndianBytes(Float(4096).bitPattern))
            }
            // 4096 − 348 header bytes to pass, but only the 4-byte extension flag and 60 voxels follow.
            #expect(try problem(reading: path) == "truncated gzip stream: expected 3748 bytes of extensions before the voxel data, got 64")
        }
    }

    @Test func errorsReadThroughVolumeFileToo() throws {
        try withTemporaryFolder { folder in
            let path = try validFile(in: folder)
            try patch(path, at: 70, with: littleEndianBytes(Int16(128)))
            let error = try #require(throws: IMATError.self) { try VolumeFile.load(path) }
            #expect(error.description == "\(path): unsupported datatype 128 (RGB24)")
        }
    }
}
