import Foundation
import Testing
import VolumeCore
@testable import VolumeIO

/// The pixels of an SNG text dump (the `sng` tool's format), as far as the PngSuite fixtures need: IHDR, PLTE
/// and the IMAGE block in hex.
struct SNGImage {
    var width = 0
    var height = 0
    var bitDepth = 0
    /// The IHDR `using` words: "grayscale", "grayscale alpha", "color", "color alpha" or "color palette".
    var colour = ""
    var palette: [[Int]] = []
    /// Per row, every sample in order (channels × width of them).
    var rows: [[Int]] = []

    var channels: Int { ["grayscale": 1, "grayscale alpha": 2, "color": 3, "color alpha": 4, "color palette": 1][colour]! }

    init(contentsOf path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var block = ""
        var hexRows: [String] = []
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasSuffix("{") { block = String(line.dropLast()).trimmingCharacters(in: .whitespaces); continue }
            if line == "}" { block = ""; continue }
            switch block {
            case "IHDR":
                for field in line.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                    let parts = field.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
                    if parts.count == 2, let value = Int(parts[1]) {
                        if parts[0] == "width" { width = value }
                        if parts[0] == "height" { height = value }
                        if parts[0] == "bitdepth" { bitDepth = value }
                    } else if field.hasPrefix("using ") {
                        colour = String(field.dropFirst("using ".count))
                    }
                }
            case "PLTE":
                let inside = line.drop(while: { $0 != "(" }).dropFirst().prefix(while: { $0 != ")" })
                palette.append(inside.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces))! })
            case "IMAGE" where line != "pixels hex":
                hexRows.append(line.replacingOccurrences(of: " ", with: ""))
            default: break
            }
        }
        rows = hexRows.map { unpack(bytes(fromHex: $0)) }
    }

    /// Splits a row's bytes into samples of `bitDepth` bits, most significant first (PNG's packing).
    private func unpack(_ bytes: [Int]) -> [Int] {
        let count = width * channels
        if bitDepth == 16 { return (0..<count).map { bytes[2 * $0] << 8 | bytes[2 * $0 + 1] } }
        let perByte = 8 / bitDepth, mask = (1 << bitDepth) - 1
        return (0..<count).map { n in (bytes[n / perByte] >> (8 - bitDepth * (n % perByte + 1))) & mask }
    }

    private func bytes(fromHex hex: String) -> [Int] {
        let digits = Array(hex)
        return stride(from: 0, to: digits.count, by: 2).map { Int(String(digits[$0...$0 + 1]), radix: 16)! }
    }
}

/// The luma of BT.601 with round half up, written out here to check the reader's conversion.
func expectedLuminance(_ red: Int, _ green: Int, _ blue: Int) -> Int { (299 * red + 587 * green + 114 * blue + 500) / 1000 }

/// A fixture file's path inside the test bundle.
func fixturePath(_ name: String) throws -> String {
    let folder = try #require(Bundle.module.resourcePath)
    return "\(folder)/Fixtures/pngsuite/\(name)"
}

/// A volume whose voxel values come from `value(x, y, z)`.
func makeVolume(_ d: Dimensions, spacing: SIMD3<Double> = SIMD3(0.8, 0.9, 2.5), _ wrap: ([Int]) -> VoxelStorage,
                value: (Int, Int, Int) -> Int) -> Volume {
    var values: [Int] = []
    for z in 0..<d.z { for y in 0..<d.y { for x in 0..<d.x { values.append(value(x, y, z)) } } }
    return Volume(dimensions: d, spacing: spacing, storage: wrap(values))
}

/// Reads a PNG file's bytes, lets `change` edit them and writes them back.
func editFile(_ path: String, _ change: (inout [UInt8]) -> Void) throws {
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    change(&bytes)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// The offset of the first byte of the data of the first chunk of `type` in a PNG file's bytes.
func chunkDataOffset(_ type: String, in bytes: [UInt8]) -> Int? {
    var offset = 8
    while offset + 8 <= bytes.count {
        let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        if String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self) == type { return offset + 8 }
        offset += 12 + length
    }
    return nil
}

/// PNG's CRC-32 (ISO 3309, as in PNG specification annex D), to build chunks by hand.
func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
    }
    return ~crc
}
