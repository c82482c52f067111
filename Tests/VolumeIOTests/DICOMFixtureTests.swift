import CZlib
import Foundation
import Testing
import VolumeCore
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
        /// Philips floating-point scaling (private ScaleSlope), which replaces `rescale` as in dcm2niix.
        var physicalScaling: [Double]?
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
            return DICOMGeometry(rows: rows, rowCosines: SIMD3(orientation[0], orientation[1], orientation[2]),
                                 columnCosines: SIMD3(orientation[3], orientation[4], orientation[5]),
                                 pixelSpacing: (pixelSpacing[0], pixelSpacing[1]),
                                 positions: positions.map { SIMD3($0[0], $0[1], $0[2]) }, sliceThickness: sliceThickness ?? 0)
        }
    }

    var volumes: [String: Volume]

    static func load() throws -> DICOMReference {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Self.self, from: Data(contentsOf: URL(fileURLWithPath: try dicomFixture("reference.json"))))
    }

    static var volumeNames: [String] { (try? load().volumes.keys.sorted()) ?? [] }
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
        #expect(Set(present) == Set(reference.volumes.keys))
        // The parameterised tests would run zero cases, and pass, if the fixtures stopped resolving.
        #expect(DICOMReference.volumeNames.count == 10)
        #expect(reference.volumes.values.contains { $0.kind == "folder" })
        #expect(reference.volumes.values.contains { $0.slices > 1 && $0.kind == "file" })
    }

    @Test(arguments: DICOMReference.volumeNames)
    func readsTheStoredValuesPydicomReads(name: String) throws {
        let expected = try #require(try DICOMReference.load().volumes[name])
        let loaded = try VolumeFile.load(try dicomFixture(name))
        let volume = loaded.volume
        #expect(loaded.format == .dicom)
        let d = volume.dimensions
        #expect([d.x, d.y, d.z].sorted() == [expected.columns, expected.rows, expected.slices].sorted())
        #expect(volume.voxelType.rawValue == expected.dtype)
        let scaling = (expected.physicalScaling ?? expected.rescale).map { IntensityScaling(slope: $0[0], intercept: $0[1]) } ?? .identity
        #expect(abs(volume.scaling.slope - scaling.slope) <= 1e-9 * abs(scaling.slope) && abs(volume.scaling.intercept - scaling.intercept) <= 1e-9)
        #expect(loaded.scaleSource == (expected.physicalScaling != nil ? .philipsFloatingPoint : (expected.rescale == nil || scaling.isIdentity ? .stored : .rescale)))

        // pydicom's facts are in DICOM's order (top row first, frames as stored); the reader stores rows bottom-up
        // and a 3-D acquisition closest to RAS, as dcm2niix does.
        let stored = inDICOMOrder(volume, dicomAffine: expected.geometry?.affine)
        let dicomDimensions = Dimensions(expected.columns, expected.rows, expected.slices)
        let values = stored.doubleValues()
        #expect(crc32OfLittleEndian(stored) == expected.crc32)
        #expect(values.reduce(0, +) == Double(expected.sum))
        #expect(values.min() == Double(expected.min) && values.max() == Double(expected.max))
        for sample in expected.samples {
            #expect(values[dicomDimensions.index(sample[0], sample[1], sample[2])] == Double(sample[3]),
                    "voxel (\(sample[0]), \(sample[1]), \(sample[2]))")
        }
        if let geometry = expected.geometry {
            // The same box in the world whatever the storage order: its eight corners, and the spacings.
            func corners(_ affine: Affine, _ size: [Int]) -> [[Double]] {
                [0, 1].flatMap { a in [0, 1].flatMap { b in [0, 1].map { c in
                    let p = affine.apply(Double(a * (size[0] - 1)), Double(b * (size[1] - 1)), Double(c * (size[2] - 1)))
                    return [p.x, p.y, p.z].map { ($0 * 1e4).rounded() / 1e4 }
                } } }.sorted { $0.lexicographicallyPrecedes($1) }
            }
            #expect(corners(volume.affine, [d.x, d.y, d.z]) == corners(geometry.affine, [expected.columns, expected.rows, expected.slices]),
                    "\(volume.affine) and \(geometry.affine) span different boxes")
            #expect([volume.spacing.x, volume.spacing.y, volume.spacing.z].sorted().enumerated().allSatisfy { k, s in
                abs(s - [geometry.spacing.x, geometry.spacing.y, geometry.spacing.z].sorted()[k]) < 1e-5 })
        }
    }
}

/// The voxels back in DICOM's order: columns, rows top-down, frames. `dicomAffine` is the affine of that order
/// with rows flipped (the reader's own before any reorientation); each of its axes is one of the volume's axes,
/// maybe reversed. Without it, only the rows are flipped back.
func inDICOMOrder(_ volume: Volume, dicomAffine: Affine?) -> VoxelStorage {
    let d = volume.dimensions, size = [d.x, d.y, d.z]
    // For DICOM axis a: the volume axis it runs along and whether it runs backwards.
    func along(_ a: Int, _ b: Int) -> Double {
        guard let dicomAffine else { return a == b ? 1 : 0 }
        var sum = 0.0
        for r in 0..<3 { sum += dicomAffine.rows[r][a] * volume.affine.rows[r][b] }
        return sum
    }
    let axes: [(axis: Int, reversed: Bool)] = (0..<3).map { a in
        let b = (0..<3).max { abs(along(a, $0)) < abs(along(a, $1)) }!
        return (b, (a == 1) != (along(a, b) < 0))
    }
    let dicomSize = axes.map { size[$0.axis] }
    func flipped<T>(_ values: [T]) -> [T] {
        (0..<dicomSize[2]).flatMap { k in (0..<dicomSize[1]).flatMap { j in (0..<dicomSize[0]).map { i in
            var index = [0, 0, 0]
            for (a, n) in [i, j, k].enumerated() { index[axes[a].axis] = axes[a].reversed ? size[axes[a].axis] - 1 - n : n }
            return values[d.index(index[0], index[1], index[2])]
        } } }
    }
    return switch volume.storage {
    case .uint8(let a): .uint8(flipped(a))
    case .int8(let a): .int8(flipped(a))
    case .int16(let a): .int16(flipped(a))
    case .uint16(let a): .uint16(flipped(a))
    case .int32(let a): .int32(flipped(a))
    case .uint32(let a): .uint32(flipped(a))
    case .float32(let a): .float32(flipped(a))
    case .float64(let a): .float64(flipped(a))
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
