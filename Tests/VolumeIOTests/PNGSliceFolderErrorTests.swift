import Foundation
import TestSupport
import Testing
import VolumeCore
@testable import VolumeIO

/// Every bad folder or slice gives one error naming the file and the problem.
struct PNGSliceFolderErrorTests {
    /// Writes a 16-bit volume of `slices` slices of 12×10 into `folder`/v and returns that path.
    func writeSlices(in folder: String, slices: Int = 4, name: String = "v", eightBit: Bool = false,
                     width: Int = 12) throws -> String {
        let d = Dimensions(width, 10, slices)
        let volume = eightBit
            ? makeVolume(d, { .uint8($0.map { UInt8($0) }) }) { x, y, z in (x + y + z) % 256 }
            : makeVolume(d, { .uint16($0.map { UInt16($0) }) }) { x, y, z in x * 1000 + y * 10 + z }
        try PNGSliceFolder.write(volume, to: "\(folder)/\(name)")
        return "\(folder)/\(name)"
    }

    func readError(_ folder: String, options: LoadOptions = LoadOptions(), workers: Int = 2) -> IMATError? {
        #expect(throws: IMATError.self) { try PNGSliceFolder.read(folder, options: options, workers: workers) }
    }

    @Test func missingEmptyAndPNGlessFoldersAreRefused() throws {
        try withTemporaryPath { folder in
            #expect(readError(folder + "/nothing") == IMATError(folder + "/nothing", "no such folder"))
            #expect(readError(folder) == IMATError(folder, "the folder is empty: expected PNG slices"))
            try Data("hello".utf8).write(to: URL(fileURLWithPath: folder + "/notes.txt"))
            #expect(readError(folder) == IMATError(folder, "no PNG slices (*.png) in the folder, only 1 other file(s)"))
            #expect(readError(folder + "/notes.txt")
                    == IMATError(folder + "/notes.txt", "not a folder: expected a folder of PNG slices"))
        }
    }

    @Test func aFileThatIsNotAPNGIsNamed() throws {
        try withTemporaryPath { folder in
            let slices = try writeSlices(in: folder)
            try Data("not an image at all".utf8).write(to: URL(fileURLWithPath: slices + "/slice_0002.png"))
            #expect(readError(slices) == IMATError(slices + "/slice_0002.png", "not a PNG file (no PNG signature)"))
        }
    }

    @Test(arguments: [0.5, 0.9, 0.995])
    func truncatedSlicesAreRefused(keptFraction: Double) throws {
        try withTemporaryPath { folder in
            let slices = try writeSlices(in: folder)
            try editFile(slices + "/slice_0001.png") { $0.removeLast($0.count - Int(Double($0.count) * keptFraction)) }
            #expect(readError(slices)
                    == IMATError(slices + "/slice_0001.png", "cannot decode the PNG: the file ends early (truncated)"))
        }
    }

    @Test func aSliceCutInsideTheSignatureIsTruncatedNotForeign() throws {
        try withTemporaryPath { folder in
            let slices = try writeSlices(in: folder)
            try editFile(slices + "/slice_0000.png") { $0.removeLast($0.count - 5) }
            #expect(readError(slices)
                    == IMATError(slices + "/slice_0000.png", "cannot decode the PNG: the file ends early (truncated)"))
        }
    }

    /// A flipped byte in IHDR's data, or in IDAT's stored CRC (a flip inside compressed data is caught by zlib
    /// before the CRC is checked, with its own message).
    @Test(arguments: [("IHDR", 2, "cannot decode the PNG: IHDR: CRC error"), ("IDAT", nil, "cannot decode the PNG: IDAT: CRC error")])
    func aFlippedByteBreaksTheChunkCRC(chunk: String, dataOffset: Int?, problem: String) throws {
        try withTemporaryPath { folder in
            let slices = try writeSlices(in: folder)
            try editFile(slices + "/slice_0003.png") { bytes in
                let data = chunkDataOffset(chunk, in: bytes)!
                let length = bytes[data - 8..<data - 4].reduce(0) { $0 << 8 | Int($1) }
                bytes[data + (dataOffset ?? length + 1)] ^= 0x40
            }
            #expect(readError(slices) == IMATError(slices + "/slice_0003.png", problem))
        }
    }

    @Test func theLowestNumberedFailingSliceIsReportedForAnyThreadCount() throws {
        try withTemporaryPath { folder in
            let slices = try writeSlices(in: folder, slices: 9)
            for k in [2, 5, 8] {
                try editFile(String(format: "%@/slice_%04d.png", slices, k)) { $0.removeLast($0.count / 2) }
            }
            let expected = IMATError(slices + "/slice_0002.png", "cannot decode the PNG: the file ends early (truncated)")
            for workers in [1, 2, 3, 8] { #expect(readError(slices, workers: workers) == expected) }
        }
    }

    @Test func slicesOfAnotherSizeAreNamed() throws {
        try withTemporaryPath { folder in
            let slices = try writeSlices(in: folder)
            let narrow = try writeSlices(in: folder, slices: 1, name: "narrow", width: 7)
            try FileManager.default.removeItem(atPath: slices + "/slice_0002.png")
            try FileManager.default.copyItem(atPath: narrow + "/slice_0000.png", toPath: slices + "/slice_0002.png")
            #expect(readError(slices) == IMATError(slices + "/slice_0002.png",
                "slices must all match, but this one is 7×10 and the first slice (slice_0000.png) is 12×10"))
        }
    }

    @Test func slicesOfAnotherBitDepthAreNamed() throws {
        try withTemporaryPath { folder in
            let slices = try writeSlices(in: folder)
            let bytes = try writeSlices(in: folder, slices: 1, name: "bytes", eightBit: true)
            try FileManager.default.copyItem(atPath: bytes + "/slice_0000.png", toPath: slices + "/slice_0004.png")
            #expect(readError(slices) == IMATError(slices + "/slice_0004.png",
                "slices must all match, but this one is 8-bit greyscale and the first slice (slice_0000.png) is 16-bit greyscale"))
        }
    }

    @Test func slicesOfAnotherPixelKindAreNamed() throws {
        try withTemporaryPath { folder in
            // Both PngSuite images are 32×32 with 8-bit samples; only grey versus palette differs.
            try FileManager.default.copyItem(atPath: try fixturePath("basn0g08.png"), toPath: folder + "/a1.png")
            try FileManager.default.copyItem(atPath: try fixturePath("basn3p08.png"), toPath: folder + "/a2.png")
            #expect(readError(folder) == IMATError(folder + "/a2.png",
                "slices must all match, but this one is 8-bit palette and the first slice (a1.png) is 8-bit greyscale"))
        }
    }

    @Test func volumesLargerThanTheLimitAreRefusedBeforeDecoding() throws {
        try withTemporaryPath { folder in
            let slices = try writeSlices(in: folder, slices: 3)
            #expect(readError(slices, options: LoadOptions(maxVoxels: 359))
                    == IMATError(slices, "12×10×3 voxels exceed the limit of 359 voxels (--max-voxels)"))
            #expect(try PNGSliceFolder.read(slices, options: LoadOptions(maxVoxels: 360)).volume.voxelCount == 360)
        }
    }

    /// A header claiming 1,000,000 × 1,000,000 pixels (libpng's largest) with no pixel data behind it: refused
    /// from the file's size whatever the voxel limit, never allocated.
    @Test func aHugeClaimedSizeIsRefusedWithoutAllocating() throws {
        try withTemporaryPath { folder in
            var header: [UInt8] = Array("IHDR".utf8)
            for value in [UInt32(1_000_000), 1_000_000] { header += withUnsafeBytes(of: value.bigEndian, Array.init) }
            header += [16, 0, 0, 0, 0]
            var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + header
            file += withUnsafeBytes(of: crc32(header).bigEndian, Array.init)
            // An empty IDAT, so that libpng finds the start of the pixel data where the header ends.
            file += [0, 0, 0, 0] + Array("IDAT".utf8) + withUnsafeBytes(of: crc32("IDAT".utf8).bigEndian, Array.init)
            for k in 0..<3 { try Data(file).write(to: URL(fileURLWithPath: "\(folder)/s\(k).png")) }
            #expect(readError(folder, options: LoadOptions(maxVoxels: .max)) == IMATError(folder + "/s0.png",
                "the header claims 1000000×1000000 pixels, more than the file's \(file.count) bytes can hold (damaged or truncated)"))
        }
    }

    @Test(arguments: [
        (VoxelStorage.int16([0, 3, -1, 7]), "int16"),
        (.float32([0, 1.5, 2, 3]), "float32"),
        (.int32([0, 70_000, 1, 2]), "int32"),
        (.float64([0, .nan, 1, 2]), "float64"),
    ])
    func valuesPNGCannotHoldAreRefused(storage: VoxelStorage, type: String) throws {
        try withTemporaryPath { folder in
            let volume = Volume(dimensions: Dimensions(2, 2, 1), spacing: SIMD3(1, 1, 1), storage: storage)
            #expect(throws: IMATError(folder + "/out", "PNG slices hold only integers 0…65535, but this \(type) volume "
                                          + "has negative, fractional or larger values; save it as .nii.gz instead")) {
                try PNGSliceFolder.write(volume, to: folder + "/out")
            }
            #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
        }
    }

    @Test func emptyVolumesAreRefused() throws {
        try withTemporaryPath { folder in
            let volume = Volume(dimensions: Dimensions(3, 3, 0), spacing: SIMD3(1, 1, 1), storage: .uint8([]))
            #expect(throws: IMATError(folder + "/out", "cannot write an empty (3×3×0) volume as PNG slices")) {
                try PNGSliceFolder.write(volume, to: folder + "/out")
            }
        }
    }
}
