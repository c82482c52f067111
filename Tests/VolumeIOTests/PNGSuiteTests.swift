import Foundation
import TestSupport
import Testing
import VolumeCore
@testable import VolumeIO

/// The reader against files from other software: PngSuite images, checked pixel by pixel against their .sng
/// text dumps, and corrupt files from Go's test data.
struct PNGSuiteTests {
    static let colourWarning = "colour converted to grey by luminance (Y = 0.299 R + 0.587 G + 0.114 B, rounded)"

    /// Reads one fixture as a folder holding just that slice.
    func readFixture(_ name: String) throws -> LoadedVolume {
        try withTemporaryPath { folder in
            try FileManager.default.copyItem(atPath: fixturePath(name), toPath: "\(folder)/\(name)")
            return try PNGSliceFolder.read(folder, options: LoadOptions(spacing: SIMD3(1, 1, 1)))
        }
    }

    func voxelValues(_ volume: Volume) -> [Int] {
        switch volume.storage {
        case .uint8(let a): a.map(Int.init)
        case .uint16(let a): a.map(Int.init)
        default: []
        }
    }

    /// The .sng pixels in storage order, each as its samples.
    func pixels(_ image: SNGImage) -> [[Int]] {
        image.rows.flatMap { row in stride(from: 0, to: row.count, by: image.channels).map { Array(row[$0..<$0 + image.channels]) } }
    }

    @Test(arguments: [
        ("basn0g01.png", "basn0g01.sng"), ("basn0g02.png", "basn0g02.sng"), ("basn0g04.png", "basn0g04.sng"),
        ("basn0g08.png", "basn0g08.sng"), ("basn0g16.png", "basn0g16.sng"),
        ("basn0g01-30.png", "basn0g01-30.sng"), ("basn0g02-29.png", "basn0g02-29.sng"), ("basn0g04-31.png", "basn0g04-31.sng"),
        ("basi0g01.png", "basn0g01.sng"), ("basi0g02.png", "basn0g02.sng"), ("basi0g04.png", "basn0g04.sng"),
        ("basi0g08.png", "basn0g08.sng"), ("basi0g16.png", "basn0g16.sng"),
        ("basn4a08.png", "basn4a08.sng"), ("basn4a16.png", "basn4a16.sng"),
    ])
    func greySamplesKeepTheirStoredValues(png: String, sng: String) throws {
        let image = try SNGImage(contentsOf: fixturePath(sng))
        let header = try PNGCodec.readHeader(fixturePath(png))
        let loaded = try readFixture(png)
        // Go's dumps show 1/2/4-bit samples stretched to 8 bits; the reader must give the stored, unstretched ones.
        let stretch = header.bit_depth < 8 ? 255 / ((1 << header.bit_depth) - 1) : 1
        let sngPixels = pixels(image)
        // basn4a08.sng shows grey+alpha as RGBA with R = G = B; the alpha sample is dropped either way.
        #expect(sngPixels.allSatisfy { image.channels < 3 || ($0[0] == $0[1] && $0[1] == $0[2]) })
        let greys = sngPixels.map { $0[0] }
        #expect(greys.allSatisfy { $0 % stretch == 0 })
        #expect(voxelValues(loaded.volume) == greys.map { $0 / stretch })
        #expect(loaded.volume.voxelType == (header.bit_depth == 16 ? .uint16 : .uint8))
        #expect(loaded.volume.dimensions == Dimensions(image.width, image.height, 1))
        #expect(loaded.warnings.isEmpty)
    }

    @Test(arguments: ["basn3p01", "basn3p02", "basn3p04", "basn3p04-31i", "basn3p08"])
    func colourPalettesBecomeLuminanceWithAWarning(name: String) throws {
        let image = try SNGImage(contentsOf: fixturePath("\(name).sng"))
        let loaded = try readFixture("\(name).png")
        let expected = pixels(image).map { pixel in
            let entry = image.palette[pixel[0]]
            return expectedLuminance(entry[0], entry[1], entry[2])
        }
        #expect(voxelValues(loaded.volume) == expected)
        #expect(loaded.volume.voxelType == .uint8)
        #expect(loaded.warnings == ["\(name).png: \(Self.colourWarning)"])
    }

    @Test(arguments: [("basn2c08", VoxelType.uint8), ("basn2c16", .uint16), ("basn6a08", .uint8)])
    func colourPixelsBecomeLuminanceWithAWarning(name: String, type: VoxelType) throws {
        let image = try SNGImage(contentsOf: fixturePath("\(name).sng"))
        let loaded = try readFixture("\(name).png")
        #expect(voxelValues(loaded.volume) == pixels(image).map { expectedLuminance($0[0], $0[1], $0[2]) })
        #expect(loaded.volume.voxelType == type)
        #expect(loaded.warnings == ["\(name).png: \(Self.colourWarning)"])
    }

    /// Palettes whose used entries are grey (in shuffled order; xpal0g04 also holds an unused red entry).
    @Test(arguments: [("xpal0g08.png", "basn0g08.sng"), ("xpal0g04.png", "basn0g04.sng")])
    func greyPalettesGiveTheirGreysExactly(png: String, sng: String) throws {
        let image = try SNGImage(contentsOf: fixturePath(sng))
        let loaded = try readFixture(png)
        #expect(voxelValues(loaded.volume) == pixels(image).map { $0[0] })
        #expect(loaded.volume.voxelType == .uint8)
        #expect(loaded.warnings.isEmpty)
    }

    @Test(arguments: [
        ("invalid-crc32.png", "cannot decode the PNG: IHDR: CRC error"),
        ("invalid-trunc.png", "cannot decode the PNG: the file ends early (truncated)"),
        ("invalid-noend.png", "cannot decode the PNG: the file ends early (truncated)"),
        ("invalid-zlib.png", "cannot decode the PNG: IDAT: incorrect data check"),
        ("invalid-palette.png", "a pixel uses palette index 255 but the palette has 255 entries"),
    ])
    func corruptFilesAreRefusedNamingTheFile(name: String, problem: String) throws {
        let error = #expect(throws: IMATError.self) { try readFixture(name) }
        #expect(error?.path.hasSuffix("/\(name)") == true)
        #expect(error?.problem == problem)
    }
}
