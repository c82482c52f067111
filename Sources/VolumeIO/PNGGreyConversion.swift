import CPNGShim
import VolumeCore

/// Grey values for palette and colour PNG pixels, in place in the slice's region of the volume.
///
/// A palette whose used entries are all grey (R = G = B) maps each index to that grey exactly. A colour palette or
/// RGB(A) pixels become their luma, ITU-R BT.601 weights (Recommendation ITU-R BT.601-7, section 2.5.1):
/// Y = 0.299 R + 0.587 G + 0.114 B, rounded half up, computed as (299 R + 587 G + 114 B + 500) / 1000 in integer
/// arithmetic so every machine gives the same value. Alpha and tRNS are ignored.
enum PNGGreyConversion {
    static let luminanceFormula = "Y = 0.299 R + 0.587 G + 0.114 B, rounded"

    @inline(__always)
    static func luminance(_ red: Int, _ green: Int, _ blue: Int) -> Int {
        (299 * red + 587 * green + 114 * blue + 500) / 1000
    }

    /// Replaces the palette indices in `pixels` by grey values. Returns true when a used entry was coloured, so
    /// that luminance stood in for it.
    static func applyPalette<Sample: FixedWidthInteger & UnsignedInteger>(
        of header: imat_png_header, to pixels: UnsafeMutableBufferPointer<Sample>, path: String
    ) throws -> Bool {
        precondition(Sample.bitWidth == 8, "palette indices are bytes")
        var used = [Bool](repeating: false, count: 256)
        for index in pixels { used[Int(index)] = true }
        let count = Int(header.palette_count)
        if let highest = used.lastIndex(of: true), highest >= count {
            throw IMATError(path, "a pixel uses palette index \(highest) but the palette has \(count) entries")
        }
        let entries = (0..<count).map { header.paletteEntry($0) }
        let isColour = entries.indices.contains { used[$0] && !(entries[$0].red == entries[$0].green && entries[$0].green == entries[$0].blue) }
        let greys: [Sample] = entries.map { entry in
            Sample(isColour ? luminance(Int(entry.red), Int(entry.green), Int(entry.blue)) : Int(entry.red))
        }
        for i in pixels.indices { pixels[i] = greys[Int(pixels[i])] }
        return isColour
    }

    /// Writes the luminance of each (R, G, B) triple in `rgb` to the matching element of `grey`. Returns true when
    /// some pixel was coloured (for grey ones, R = G = B, the luminance is that grey exactly).
    static func applyLuminance<Sample: FixedWidthInteger & UnsignedInteger>(
        _ rgb: UnsafeBufferPointer<Sample>, to grey: UnsafeMutableBufferPointer<Sample>
    ) -> Bool {
        precondition(rgb.count == 3 * grey.count)
        var isColour = false
        for i in grey.indices {
            let red = rgb[3 * i], green = rgb[3 * i + 1], blue = rgb[3 * i + 2]
            isColour = isColour || red != green || green != blue
            grey[i] = Sample(luminance(Int(red), Int(green), Int(blue)))
        }
        return isColour
    }
}
