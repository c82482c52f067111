import Foundation
import VolumeCore

/// PNG images for pages and reports, as bytes rather than files.
public enum PNGImage {
    /// An 8-bit RGB image (row-major, 3 bytes a pixel) encoded as PNG; `name` identifies it in errors.
    public static func encodeRGB(_ rgb: [UInt8], width: Int, height: Int, name: String) throws -> Data {
        try PNGCodec.encodeRGB(rgb, width: width, height: height, reportedAs: name)
    }
}
