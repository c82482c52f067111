import Foundation
import TestSupport
import Testing
import VolumeCore
import VolumeIO

/// `imat convert` on files written by other software gives the arrays and affines that the reference readers
/// (nibabel, libpng's PngSuite dumps) report; other tools rely on it to check our reader.
@Suite struct ConvertReferenceFileTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("VolumeIOTests/Fixtures")

    struct NibabelVolume: Decodable {
        var sum: Double
        var min: Double
        var max: Double
        var samples: [[Double]]
    }

    struct NibabelFile: Decodable {
        var shape: [Int]
        var affine: [[Double]]
        var scl_slope_inter: [Double]
        var volumes: [NibabelVolume]
    }

    static func expectations() throws -> [String: NibabelFile] {
        struct Expected: Decodable { var files: [String: NibabelFile] }
        let data = try Data(contentsOf: fixtures.appendingPathComponent("nifti/expected.json"))
        return try JSONDecoder().decode(Expected.self, from: data).files
    }

    static let niftiNames = (try? expectations().keys.sorted()) ?? []

    /// The parameterised tests below would run zero cases, and pass, if the fixtures stopped resolving.
    @Test func fixturesArePresent() throws {
        #expect(try Self.expectations().count == 15)
        #expect(Self.niftiNames.count == 15)
        #expect(Self.pngNames.count == 23)
    }

    @Test(arguments: niftiNames)
    func niftiConvertsToNibabelsArrayAndAffine(name: String) throws {
        let expected = try #require(try Self.expectations()[name])
        let tmp = try TemporaryFolder()
        let output = tmp.file("out.nii.gz")
        let result = try IMATProcess.run(["convert", Self.fixtures.appendingPathComponent("nifti/\(name)").path, output])
        #expect(result.status == 0, "\(result.stderr)")
        let volume = try VolumeFile.load(output).volume
        let values = volume.doubleValues()
        // nibabel's figures are of the stored array; convert writes physical values (slope·x + inter).
        var (slope, inter) = (expected.scl_slope_inter[0], expected.scl_slope_inter[1])
        if !slope.isFinite || slope == 0 { (slope, inter) = (1, 0) }
        let first = expected.volumes[0]
        let tolerance = 1e-6 * max(1, abs(first.sum * slope))
        #expect(abs(values.reduce(0, +) - (first.sum * slope + inter * Double(values.count))) <= tolerance)
        // Scaled values are written as float32, so compare at float32 precision.
        let scaled = slope != 1 || inter != 0
        func physical(_ x: Double) -> Double { scaled ? Double(Float(x * slope + inter)) : x }
        #expect(values.min()! == physical(first.min))
        #expect(values.max()! == physical(first.max))
        let dims = volume.dimensions
        for sample in first.samples where sample.count == 4 {
            let value = values[dims.index(Int(sample[0]), Int(sample[1]), Int(sample[2]))]
            #expect(value == physical(sample[3]))
        }
        #expect(Array(expected.shape.prefix(3)) + [1, 1, 1].prefix(max(0, 3 - expected.shape.count)) == [dims.x, dims.y, dims.z])
        #expect(volume.affine.isClose(to: Affine(rows: Array(expected.affine.prefix(3))), tolerance: 1e-5))
    }

    static let pngNames = ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.appendingPathComponent("pngsuite").path)) ?? [])
        .filter { $0.hasPrefix("bas") && $0.hasSuffix(".png") }.sorted()

    @Test(arguments: pngNames)
    func pngConvertsToTheValuesLibpngDecodes(name: String) throws {
        let tmp = try TemporaryFolder()
        let folder = tmp.file("slices")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.fixtures.appendingPathComponent("pngsuite/\(name)").path,
                                         toPath: (folder as NSString).appendingPathComponent(name))
        let result = try IMATProcess.run(["convert", folder, tmp.file("out.nii"), "--spacing", "1", "1", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        let direct = try VolumeFile.load(folder, options: LoadOptions(spacing: SIMD3(1, 1, 1))).volume
        let converted = try VolumeFile.load(tmp.file("out.nii")).volume
        #expect(converted.storage == direct.storage)
        #expect(converted.dimensions == direct.dimensions)
        #expect(converted.affine.isClose(to: direct.affine, tolerance: 1e-6))
    }
}
