import Foundation
import TestSupport
import Testing
import VolumeCore
import VolumeIO

@Suite struct PNGImageTests {
    @Test func encodedRGBDecodesToItsLuminance() throws {
        let width = 7, height = 5
        let rgb = (0..<(width * height * 3)).map { UInt8(($0 * 53) % 256) }
        let data = try PNGImage.encodeRGB(rgb, width: width, height: height, name: "overlay")
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]))

        let temporary = try TemporaryFolder()
        let folder = temporary.url
        try data.write(to: folder.appendingPathComponent("slice.png"))
        let loaded = try VolumeFile.load(folder.path, options: LoadOptions(spacing: SIMD3(1, 1, 1)))
        let expected = (0..<(width * height)).map { p -> UInt8 in
            let (r, g, b) = (Int(rgb[3 * p]), Int(rgb[3 * p + 1]), Int(rgb[3 * p + 2]))
            return UInt8((299 * r + 587 * g + 114 * b + 500) / 1000)
        }
        #expect(loaded.volume.storage == .uint8(expected))
        #expect(loaded.warnings.count == 1)
    }
}
