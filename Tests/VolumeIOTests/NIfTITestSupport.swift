import Foundation
import Testing
import VolumeCore
@testable import VolumeIO

/// The path of a file in Fixtures/nifti.
func niftiFixture(_ name: String) throws -> String {
    let folder = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/nifti")
    return folder.appendingPathComponent(name).path
}

/// Overwrites bytes of a file in place, as a hand-edited header would.
func patch(_ path: String, at offset: Int, with bytes: [UInt8]) throws {
    var data = try Data(contentsOf: URL(fileURLWithPath: path))
    data.replaceSubrange(offset..<offset + bytes.count, with: bytes)
    try data.write(to: URL(fileURLWithPath: path))
}

/// The little-endian bytes of an integer (the byte order our writer uses on every supported host).
func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}

/// The problem a throwing call reports, checking that it names `path`.
func problem(reading path: String, options: LoadOptions = LoadOptions()) throws -> String {
    let error = try #require(throws: IMATError.self) { try NIfTI.read(path, options: options) }
    #expect(error.path == path)
    return error.problem
}

/// Gzip-compresses `bytes` into one member with IMATKit's own writer.
func gzipped(_ bytes: [UInt8], to path: String) throws {
    let file = try WritableFile(path, reportedAs: path)
    let gzip = try GzipWriter(file, level: 3, reportedAs: path)
    try bytes.withUnsafeBytes { try gzip.write($0) }
    try gzip.finish()
    try file.close()
}

/// A volume of `type` whose values run over the type's whole range (extremes, zero, negative and fractional
/// values), on an oblique left-handed grid whose affine and spacing are exact in float32.
func sampleVolume(_ type: VoxelType, dimensions: Dimensions = Dimensions(7, 5, 3)) -> Volume {
    let count = dimensions.voxelCount
    func integers<T: FixedWidthInteger>(_: T.Type) -> [T] {
        (0..<count).map { n in
            switch n % 5 {
            case 0: T.min
            case 1: T.max
            case 2: 0
            default: T(truncatingIfNeeded: n &* 2_654_435_761)
            }
        }
    }
    let reals = (0..<count).map { n -> Double in
        let x = Double(n)
        return n % 4 == 0 ? -1.5 * x : 0.1 * x + 1e-3 * x * x
    }
    let storage: VoxelStorage = switch type {
    case .uint8: .uint8(integers(UInt8.self))
    case .int8: .int8(integers(Int8.self))
    case .int16: .int16(integers(Int16.self))
    case .uint16: .uint16(integers(UInt16.self))
    case .int32: .int32(integers(Int32.self))
    case .uint32: .uint32(integers(UInt32.self))
    case .float32: .float32(reals.map(Float.init))
    case .float64: .float64(reals.map { $0 + 1e-12 })
    }
    return Volume(dimensions: dimensions, spacing: SIMD3(0.5, 1.25, 3), affine: obliqueAffine(), storage: storage)
}

/// A rotation by 0.4 rad about the axis (0, 0.8, 0.6) (Rodrigues' formula), then spacing (0.5, 1.25, 3) with z flipped (left-handed), rounded to
/// float32 so that the sform keeps it exactly.
func obliqueAffine() -> Affine {
    let (c, s) = (cos(0.4), sin(0.4))
    let rotation = [[c, -s * 0.6, s * 0.8], [s * 0.6, c + (1 - c) * 0.64, (1 - c) * 0.48], [-s * 0.8, (1 - c) * 0.48, c + (1 - c) * 0.36]]
    let scale = [0.5, 1.25, -3.0]
    let offset = [-91.5, 120.25, -33.0]
    return Affine(rows: (0..<3).map { r in (0..<3).map { Double(Float(rotation[r][$0] * scale[$0])) } + [offset[r]] })
}
