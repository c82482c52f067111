import Foundation
import TestSupport
import Testing
import VolumeCore
@testable import VolumeIO

/// What nibabel read from each fixture (Fixtures/nifti/expected.json, made by scripts/make_nifti_fixtures.py).
struct ExpectedFixtures: Decodable {
    struct File: Decodable {
        var format: String
        var shape: [Int]
        var dtype: String
        var affine: [[Double]]
        var zooms: [Double]
        var sclSlopeInter: [Double?]
        var volumes: [Fingerprint]
    }

    struct Fingerprint: Decodable {
        var sum: Double
        var sumSquares: Double
        var min: Double
        var max: Double
        /// [i, j, k, value].
        var samples: [[Double]]
    }

    struct ShearedQform: Decodable {
        var affine: [[Double]]
        var zooms: [Double]
        var qform: [[Double]]
    }

    var files: [String: File]
    var refused: [String]
    var shearedQform: ShearedQform

    static func load() throws -> ExpectedFixtures {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Self.self, from: Data(contentsOf: URL(fileURLWithPath: try niftiFixture("expected.json"))))
    }

    /// Every (file, volume index) pair, for parameterised tests.
    static var volumes: [FixtureVolume] {
        guard let expected = try? load() else { return [] }
        return expected.files.keys.sorted().flatMap { name in
            expected.files[name]!.volumes.indices.map { FixtureVolume(file: name, index: $0) }
        }
    }
}

struct FixtureVolume: Sendable, CustomTestStringConvertible {
    var file: String
    var index: Int
    var testDescription: String { "\(file) volume \(index)" }
}

@Suite struct NIfTIFixtureTests {
    @Test func expectationsCoverEveryFixture() throws {
        let expected = try ExpectedFixtures.load()
        let folder = try niftiFixture("")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter(VolumeFile.isNIfTIPath)
        #expect(Set(files) == Set(expected.files.keys).union(expected.refused))
        #expect(ExpectedFixtures.volumes.count == expected.files.values.map(\.volumes.count).reduce(0, +))
        #expect(expected.files.count >= 15)
    }

    @Test(arguments: ExpectedFixtures.volumes)
    func readsAsNibabelDoes(_ fixture: FixtureVolume) throws {
        let expected = try #require(try ExpectedFixtures.load().files[fixture.file])
        let loaded = try NIfTI.read(try niftiFixture(fixture.file), options: LoadOptions(volumeIndex: fixture.index))
        let volume = loaded.volume
        #expect(loaded.format.rawValue == expected.format)
        #expect(loaded.warnings.isEmpty)
        let shape = expected.shape + [1, 1]
        #expect(volume.dimensions == Dimensions(shape[0], shape[1], shape[2]))
        #expect(volume.voxelType.rawValue == expected.dtype)
        #expect(volume.affine.isClose(to: Affine(rows: expected.affine), tolerance: 1e-5), "\(volume.affine)")
        #expect([volume.spacing.x, volume.spacing.y, volume.spacing.z] == Array((expected.zooms + [1, 1]).prefix(3)))
        if let slope = expected.sclSlopeInter[0], let intercept = expected.sclSlopeInter[1] {
            #expect(volume.scaling == IntensityScaling(slope: slope, intercept: intercept))
        }

        let fingerprint = expected.volumes[fixture.index]
        let values = volume.storage.doubleValues()
        let sum = values.reduce(0, +), sumSquares = values.reduce(0) { $0 + $1 * $1 }
        #expect(abs(sum - fingerprint.sum) <= 1e-9 * max(1, abs(fingerprint.sum)))
        #expect(abs(sumSquares - fingerprint.sumSquares) <= 1e-9 * max(1, fingerprint.sumSquares))
        #expect(values.min() == fingerprint.min)
        #expect(values.max() == fingerprint.max)
        for sample in fingerprint.samples {
            let (i, j, k) = (Int(sample[0]), Int(sample[1]), Int(sample[2]))
            #expect(values[volume.dimensions.index(i, j, k)] == sample[3], "voxel (\(i), \(j), \(k))")
        }
    }

    /// nibabel's own writes, read back through our writer: the bytes differ but the volume must not.
    @Test(arguments: ["anatomical.nii", "nifti2_bigendian_float64.nii", "qform_only_sheared.nii.gz"])
    func rewritingAFixtureKeepsIt(name: String) throws {
        let original = try NIfTI.read(try niftiFixture(name), options: LoadOptions()).volume
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("rewritten.nii.gz").path
            try NIfTI.write(original, to: path)
            let rewritten = try NIfTI.read(path, options: LoadOptions()).volume
            #expect(rewritten.storage == original.storage)
            // NIfTI-1 keeps sizes as float32; NIfTI-2 had float64.
            #expect(rewritten.spacing == SIMD3(original.spacing.x.roundedToFloat32, original.spacing.y.roundedToFloat32, original.spacing.z.roundedToFloat32))
            #expect(rewritten.affine.isClose(to: original.affine, tolerance: 1e-5))
        }
    }
}

extension Double {
    var roundedToFloat32: Double { Double(Float(self)) }
}
