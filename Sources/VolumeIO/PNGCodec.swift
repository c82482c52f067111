import CPNGShim
import Foundation
import VolumeCore

/// Single PNG files read and written through libpng. CPNGShim catches libpng's longjmp errors, so here every
/// failure comes back as a `IMATError` naming the file.
enum PNGCodec {
    /// The file's header and palette, without decoding pixels. A header that claims more pixel data than the file
    /// could hold is refused, so that the caller never allocates what a damaged header merely claims: deflate
    /// expands data at most 1032-fold (zlib's technical details, "maximum compression factor"), so the stored pixel
    /// bytes cannot exceed 1032 times the file's size.
    static func readHeader(_ path: String) throws -> imat_png_header {
        var header = imat_png_header()
        try check(path) { message, size in imat_png_read_header(path, &header, message, size) }
        let fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let rowBytes = (Int(header.width) * Int(header.channels) * Int(header.bit_depth) + 7) / 8
        let (pixelBytes, overflow) = rowBytes.multipliedReportingOverflow(by: Int(header.height))
        guard !overflow, pixelBytes <= 1032 * fileSize else {
            throw IMATError(path, "the header claims \(header.width)×\(header.height) pixels, more than the file's "
                                + "\(fileSize) bytes can hold (damaged or truncated)")
        }
        return header
    }

    /// Decodes the whole file into `pixels` (row after row, `samplesPerPixel` samples a pixel: one, or R, G, B for
    /// colour; 16-bit samples in host order). The file must have the layout of `expected`; if it does not, the error says how it differs
    /// from `expectedName`, the file that set the layout. Returns the file's own header (with its palette).
    static func decode(_ path: String, expecting expected: imat_png_header, setBy expectedName: String,
                       into pixels: UnsafeMutableRawBufferPointer) throws -> imat_png_header {
        var expected = expected
        var found = imat_png_header()
        var status = IMAT_PNG_OK
        try check(path) { message, size in
            status = Int(imat_png_decode(path, &expected, pixels.baseAddress, pixels.count, &found, message, size))
            return Int32(status == IMAT_PNG_MISMATCH ? IMAT_PNG_OK : status)
        }
        if status == IMAT_PNG_MISMATCH {
            throw IMATError(path, "slices must all match, but this one is \(found.differences(from: expected)) "
                                + "and the first slice (\(expectedName)) is \(expected.differences(from: found))")
        }
        return found
    }

    /// Writes an 8-bit (`UInt8` samples) or 16-bit (`UInt16`) greyscale PNG of `width` × `height` samples.
    static func writeGrey<Sample: FixedWidthInteger & UnsignedInteger>(
        _ samples: UnsafeBufferPointer<Sample>, width: Int, height: Int, to path: String, reportedAs name: String
    ) throws {
        precondition(samples.count == width * height && Sample.bitWidth <= 16)
        try check(name) { message, size in
            imat_png_write_grey(path, UInt32(width), UInt32(height), Int32(MemoryLayout<Sample>.size),
                                samples.baseAddress, message, size)
        }
    }

    /// Encodes an 8-bit RGB image (row-major, 3 bytes a pixel) as PNG bytes in memory, for pages that embed it.
    static func encodeRGB(_ rgb: [UInt8], width: Int, height: Int, reportedAs name: String) throws -> Data {
        precondition(rgb.count == width * height * 3)
        var bytes: UnsafeMutablePointer<UInt8>?
        var length = 0
        try check(name) { message, size in
            imat_png_encode_rgb(UInt32(width), UInt32(height), rgb, &bytes, &length, message, size)
        }
        defer { free(bytes) }
        return Data(bytes: bytes!, count: length)
    }

    /// Runs a shim call with a message buffer and turns a failure code into an error naming `path`.
    private static func check(_ path: String, _ call: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws {
        var message = [CChar](repeating: 0, count: 256)
        let status = message.withUnsafeMutableBufferPointer { call($0.baseAddress!, $0.count) }
        guard Int(status) != IMAT_PNG_OK else { return }
        let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        switch Int(status) {
        case IMAT_PNG_DECODE_FAILED: throw IMATError(path, "cannot decode the PNG: \(text)")
        case IMAT_PNG_WRITE_FAILED: throw IMATError(path, "cannot write the PNG: \(text)")
        default: throw IMATError(path, text)
        }
    }
}

extension imat_png_header {
    var samplesPerPixel: Int { Int(imat_png_channels(pixel_kind)) }
    var bytesPerSample: Int { Int(imat_png_bytes_per_sample(bit_depth)) }
    var isPalette: Bool { Int(pixel_kind) == IMAT_PNG_PALETTE }
    var isColour: Bool { Int(pixel_kind) == IMAT_PNG_COLOUR }

    /// Palette entry `index` as (red, green, blue).
    func paletteEntry(_ index: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        withUnsafeBytes(of: palette) { ($0[3 * index], $0[3 * index + 1], $0[3 * index + 2]) }
    }

    /// "16-bit greyscale", "8-bit palette", …
    var sampleDescription: String {
        let kinds: [Int32: String] = [0: "greyscale", 2: "RGB", 3: "palette", 4: "greyscale+alpha", 6: "RGBA"]
        return "\(bit_depth)-bit \(kinds[color_type] ?? "colour type \(color_type)")"
    }

    /// This header's size and sample type where they differ from `other` (all of it when nothing differs).
    func differences(from other: imat_png_header) -> String {
        var parts: [String] = []
        if width != other.width || height != other.height { parts.append("\(width)×\(height)") }
        if bit_depth != other.bit_depth || pixel_kind != other.pixel_kind { parts.append(sampleDescription) }
        return parts.isEmpty ? "\(width)×\(height) \(sampleDescription)" : parts.joined(separator: " ")
    }
}
