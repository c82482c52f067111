import Foundation
import TestSupport
import Testing
import VolumeCore
@testable import VolumeIO

/// Writing and reading folders of PNG slices: exact round trips, file order, spacing, determinism.
struct PNGSliceFolderTests {
    let spacing = SIMD3(0.8, 0.9, 2.5)

    func roundTrip(_ volume: Volume, workers: Int = 2) throws -> LoadedVolume {
        try withTemporaryPath { folder in
            let slices = "\(folder)/slices"
            try PNGSliceFolder.write(volume, to: slices, workers: workers)
            return try PNGSliceFolder.read(slices, options: LoadOptions(), workers: workers)
        }
    }

    @Test func uint8VolumesComeBackExactlyWithTheirSpacing() throws {
        let volume = makeVolume(Dimensions(37, 23, 5), spacing: spacing, { .uint8($0.map { UInt8($0) }) }) { x, y, z in
            (x * 7 + y * 31 + z * 101) % 256
        }
        let loaded = try roundTrip(volume)
        #expect(loaded.volume.storage == volume.storage)
        #expect(loaded.volume.dimensions == volume.dimensions)
        #expect(loaded.volume.spacing == spacing)
        #expect(loaded.volume.affine == Affine.sliceStack(spacing: spacing))
        #expect(loaded.format == .pngSlices)
        #expect(loaded.warnings.isEmpty)
    }

    @Test func uint16VolumesComeBackExactlyOverTheFullRange() throws {
        let volume = makeVolume(Dimensions(19, 11, 4), spacing: spacing, { .uint16($0.map { UInt16($0) }) }) { x, y, z in
            (x == 0 && y == 0) ? (z.isMultiple(of: 2) ? 0 : 65535) : (x * 3449 + y * 257 + z * 9973) % 65536
        }
        let loaded = try roundTrip(volume)
        #expect(loaded.volume.storage == volume.storage)
        #expect(loaded.volume.spacing == spacing)
    }

    /// Empty label slices compress best of all; the reader's check of claimed size against file size must pass them.
    @Test func constantSlicesComeBack() throws {
        for storage in [VoxelStorage.uint16(.init(repeating: 0, count: 1024 * 1024 * 2)), .uint8(.init(repeating: 0, count: 1024 * 1024 * 2))] {
            let volume = Volume(dimensions: Dimensions(1024, 1024, 2), spacing: spacing, storage: storage)
            #expect(try roundTrip(volume).volume.storage == storage)
        }
    }

    @Test func labelMapsAreWrittenAsTheNarrowestUnsignedType() throws {
        let small = makeVolume(Dimensions(8, 6, 3), { .int16($0.map { Int16($0) }) }) { x, y, z in (x + y + z) % 5 == 0 ? 44 : 0 }
        #expect(try roundTrip(small).volume.storage == .uint8(small.storage.labelValues()!.map { UInt8($0) }))
        let large = makeVolume(Dimensions(8, 6, 3), { .int16($0.map { Int16($0) }) }) { x, y, z in x * 100 + y + z }
        #expect(try roundTrip(large).volume.storage == .uint16(large.storage.labelValues()!))
        let floats = makeVolume(Dimensions(4, 4, 2), { .float32($0.map { Float($0) }) }) { x, y, _ in x * y * 1000 }
        #expect(try roundTrip(floats).volume.storage == .uint16(floats.storage.labelValues()!))
    }

    @Test func scaledVolumesAreWrittenWithTheirPhysicalValues() throws {
        var volume = makeVolume(Dimensions(5, 4, 2), { .uint8($0.map { UInt8($0) }) }) { x, y, z in x + y + z }
        volume.scaling = IntensityScaling(slope: 2, intercept: 10)
        let values = try roundTrip(volume).volume.storage
        #expect(values == .uint8(volume.floatValues().map { UInt8($0) }))
    }

    @Test func writerNamesSlicesAndRecordsSpacing() throws {
        try withTemporaryPath { folder in
            let volume = makeVolume(Dimensions(6, 5, 3), spacing: spacing, { .uint16($0.map { UInt16($0) }) }) { x, _, _ in x }
            try PNGSliceFolder.write(volume, to: folder + "/out")
            let names = try FileManager.default.contentsOfDirectory(atPath: folder + "/out").sorted()
            #expect(names == ["scan.json", "slice_0000.png", "slice_0001.png", "slice_0002.png"])
            #expect(try ScanSidecar.read(folder + "/out/scan.json").spacing == spacing)
            let header = try PNGCodec.readHeader(folder + "/out/slice_0001.png")
            #expect(header.bit_depth == 16 && header.color_type == 0 && header.width == 6 && header.height == 5)
            #expect(PNGSliceFiles.names(count: 12_345).last == "slice_12344.png")
            #expect(PNGSliceFiles.names(count: 10_000).last == "slice_9999.png")
        }
    }

    @Test func writingReplacesAnExistingFolderAndIsDeterministic() throws {
        try withTemporaryPath { folder in
            let volume = makeVolume(Dimensions(30, 20, 6), { .uint16($0.map { UInt16($0) }) }) { x, y, z in x * y * z * 17 }
            try PNGSliceFolder.write(volume, to: folder + "/a", workers: 1)
            let first = try FileManager.default.contentsOfDirectory(atPath: folder + "/a").sorted().map {
                try Data(contentsOf: URL(fileURLWithPath: "\(folder)/a/\($0)"))
            }
            let smaller = makeVolume(Dimensions(3, 3, 2), { .uint8($0.map { UInt8($0) }) }) { _, _, _ in 1 }
            try PNGSliceFolder.write(smaller, to: folder + "/a", workers: 2)
            #expect(try PNGSliceFolder.read(folder + "/a", options: LoadOptions()).volume == smaller)
            try PNGSliceFolder.write(volume, to: folder + "/a", workers: 2)
            let second = try FileManager.default.contentsOfDirectory(atPath: folder + "/a").sorted().map {
                try Data(contentsOf: URL(fileURLWithPath: "\(folder)/a/\($0)"))
            }
            #expect(first == second)
            // Nothing is left beside the output (no temporary folders).
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["a"])
        }
    }

    @Test func readingGivesTheSameVolumeForAnyThreadCount() throws {
        try withTemporaryPath { folder in
            let volume = makeVolume(Dimensions(64, 48, 9), { .uint16($0.map { UInt16($0) }) }) { x, y, z in (x * y + z * 977) % 65536 }
            try PNGSliceFolder.write(volume, to: folder + "/v")
            let one = try PNGSliceFolder.read(folder + "/v", options: LoadOptions(), workers: 1)
            let two = try PNGSliceFolder.read(folder + "/v", options: LoadOptions(), workers: 2)
            let many = try PNGSliceFolder.read(folder + "/v", options: LoadOptions(), workers: 7)
            #expect(one.volume == volume && two.volume == volume && many.volume == volume)
        }
    }

    @Test func namesSortNaturally() {
        let names = ["slice_10.png", "slice_2.png", "Slice_3.png", "slice_02.png", "slice_1.png", "slice_100.png", "slice_2a.png",
                     "slice_0010.png"]
        #expect(names.sorted(by: PNGSliceFiles.naturalOrder) == [
            "Slice_3.png", "slice_1.png", "slice_02.png", "slice_2.png", "slice_2a.png", "slice_0010.png", "slice_10.png",
            "slice_100.png",
        ])
        #expect(PNGSliceFiles.naturalOrder("a99999999999999999999999", "a100000000000000000000000"))
        #expect(!PNGSliceFiles.naturalOrder("img", "img"))
    }

    @Test func folderOrderFollowsNaturalSortAndSkipsOtherFiles() throws {
        try withTemporaryPath { folder in
            // Write slices whose value is their intended z, then rename them into an order plain sorting gets wrong.
            let volume = makeVolume(Dimensions(3, 2, 12), { .uint8($0.map { UInt8($0) }) }) { _, _, z in z }
            try PNGSliceFolder.write(volume, to: folder + "/w")
            let fm = FileManager.default
            try fm.createDirectory(atPath: folder + "/r", withIntermediateDirectories: false)
            for z in 0..<12 {
                let name = z == 11 ? "slice_11.PNG" : "slice_\(z).png"
                try fm.moveItem(atPath: String(format: "%@/w/slice_%04d.png", folder, z), toPath: "\(folder)/r/\(name)")
            }
            try fm.copyItem(atPath: folder + "/r/slice_0.png", toPath: folder + "/r/.slice_5.png")
            try Data("notes".utf8).write(to: URL(fileURLWithPath: folder + "/r/notes.txt"))
            try fm.createDirectory(atPath: folder + "/r/extra.png", withIntermediateDirectories: false)
            let loaded = try PNGSliceFolder.read(folder + "/r", options: LoadOptions())
            #expect(loaded.volume.storage == volume.storage)
        }
    }

    @Test func spacingComesFromOptionsThenScanJSONThenOneMillimetre() throws {
        try withTemporaryPath { folder in
            let volume = makeVolume(Dimensions(4, 4, 2), spacing: spacing, { .uint8($0.map { UInt8($0) }) }) { x, _, _ in x }
            try PNGSliceFolder.write(volume, to: folder + "/v")
            let given = SIMD3(0.5, 0.5, 3.0)
            let overridden = try PNGSliceFolder.read(folder + "/v", options: LoadOptions(spacing: given))
            #expect(overridden.volume.spacing == given && overridden.volume.affine == Affine.sliceStack(spacing: given))
            #expect(try PNGSliceFolder.read(folder + "/v", options: LoadOptions()).volume.spacing == spacing)
            try FileManager.default.removeItem(atPath: folder + "/v/scan.json")
            let assumed = try PNGSliceFolder.read(folder + "/v", options: LoadOptions())
            #expect(assumed.volume.spacing == SIMD3(1, 1, 1))
            #expect(assumed.warnings == ["no voxel spacing (scan.json spacing_mm or --spacing); assuming 1 mm"])
        }
    }
}
