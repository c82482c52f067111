import CZlib
import Foundation
import Testing
import VolumeIO

/// What pydicom read from each fixture (Fixtures/dicom/reference.json, made by scripts/make_dicom_fixtures.py).
struct DICOMReference: Decodable {
    struct Volume: Decodable {
        var kind: String
        var transferSyntax: String
        var columns: Int
        var rows: Int
        var slices: Int
        var dtype: String
        var rescale: [Double]?
        var orientation: [Double]?
        var pixelSpacing: [Double]?
        var sliceThickness: Double?
        var positions: [[Double]]?
        var crc32: UInt
        var sum: Int
        var min: Int
        var max: Int
        /// [i, j, k, stored value].
        var samples: [[Int]]

        /// The grid pydicom's facts imply, when the file has patient geometry.
        var geometry: DICOMGeometry? {
            guard let orientation, let pixelSpacing, let positions else { return nil }
            return DICOMGeometry(rowCosines: SIMD3(orientation[0], orientation[1], orientation[2]),
                                 columnCosines: SIMD3(orientation[3], orientation[4], orientation[5]),
                                 pixelSpacing: (pixelSpacing[0], pixelSpacing[1]),
                                 positions: positions.map { SIMD3($0[0], $0[1], $0[2]) }, sliceThickness: sliceThickness ?? 0)
        }
    }

    var volumes: [String: Volume]
    /// File name → its transfer syntax, which the reader leaves to dcm2niix.
    var refused: [String: String]

    static func load() throws -> DICOMReference {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Self.self, from: Data(contentsOf: URL(fileURLWithPath: try dicomFixture("reference.json"))))
    }

    static var volumeNames: [String] { (try? load().volumes.keys.sorted()) ?? [] }
    static var refusedNames: [String] { (try? load().refused.keys.sorted()) ?? [] }
}

/// The path of a file or folder in Fixtures/dicom.
func dicomFixture(_ name: String) throws -> String {
    try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/dicom").appendingPathComponent(name).path
}

/// Files written by other software (pydicom's test data, a Philips enhanced MR) read as pydicom reads them.
@Suite struct DICOMFixtureTests {
    @Test func referenceCoversEveryFixture() throws {
        let reference = try DICOMReference.load()
        let present = try FileManager.default.contentsOfDirectory(atPath: try dicomFixture(""))
            .filter { !["README.md", "reference.json"].contains($0) }
        #expect(Set(present) == Set(reference.volumes.keys).union(reference.refused.keys))
        #expect(reference.volumes.values.contains { $0.kind == "folder" })
        #expect(reference.volumes.values.contains { $0.slices > 1 && $0.kind == "file" })
    }

    @Test(arguments: DICOMReference.volumeNames)
    func readsTheStoredValuesPydicomReads(name: String) throws {
        let expected = try #require(try DICOMReference.load().volumes[name])
        let loaded = try VolumeFile.load(try dicomFixture(name))
        let volume = loaded.volume
        #expect(loaded.format == .dicom)
        #expect(volume.dimensions == Dimensions(expected.columns, expected.rows, expected.slices))
        #expect(volume.voxelType.rawValue == expected.dtype)
        let rescale = expected.rescale.map { IntensityScaling(slope: $0[0], intercept: $0[1]) } ?? .identity
        #expect(volume.scaling == rescale)

        let values = volume.storage.doubleValues()
        #expect(crc32OfLittleEndian(volume.storage) == expected.crc32)
        #expect(values.reduce(0, +) == Double(expected.sum))
        #expect(values.min() == Double(expected.min) && values.max() == Double(expected.max))
        for sample in expected.samples {
            #expect(values[volume.dimensions.index(sample[0], sample[1], sample[2])] == Double(sample[3]),
                    "voxel (\(sample[0]), \(sample[1]), \(sample[2]))")
        }
        if let geometry = expected.geometry {
            #expect(volume.affine.isClose(to: geometry.affine, tolerance: 1e-5), "\(volume.affine) ≠ \(geometry.affine)")
            #expect(length(volume.spacing - geometry.spacing) < 1e-5)
        }
    }

    @Test(arguments: DICOMReference.refusedNames)
    func compressedSyntaxesAreLeftToDcm2niix(name: String) throws {
        let error = try loadingError(try dicomFixture(name))
        #expect(error.problem.contains("dcm2niix"))
    }
}

/// zlib's CRC-32 of integer values as little-endian bytes (what the fixture script computes with Python's zlib).
func crc32OfLittleEndian(_ storage: VoxelStorage) -> UInt {
    func bytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] { values.flatMap(littleEndianBytes) }
    let data: [UInt8] = switch storage {
    case .uint8(let a): a
    case .int8(let a): bytes(a)
    case .int16(let a): bytes(a)
    case .uint16(let a): bytes(a)
    case .int32(let a): bytes(a)
    case .uint32(let a): bytes(a)
    case .float32, .float64: []
    }
    return data.withUnsafeBufferPointer { UInt(crc32(0, $0.baseAddress, UInt32($0.count))) }
}
