import Analysis
import VolumeCore
import VolumeIO

/// An axial slice drawn for a person: the image in grey, lean and fat muscle tinted over it, as RGB bytes.
///
/// Shown in radiological convention (patient right on the screen's left, anterior up) whenever the
/// grid's in-plane axes are left-right and anterior-posterior; other grids are shown as stored.
struct SliceOverlay: Sendable {
    static let leanColour: (UInt8, UInt8, UInt8) = (214, 55, 46)
    static let fatColour: (UInt8, UInt8, UInt8) = (255, 204, 0)
    static let undefinedColour: (UInt8, UInt8, UInt8) = (80, 160, 255)

    /// The slice index (z) drawn.
    var slice: Int
    var width: Int
    var height: Int
    /// Row-major RGB, 3 bytes per pixel.
    var rgb: [UInt8]

    /// Renders slice `k`: grey from `intensity(voxel index)` windowed to [low, high], classes 1/2/3 of
    /// `tissue` tinted at `opacity`.
    init(intensity: (Int) -> Float, tissue: [UInt8], dimensions: Dimensions, affine: Affine, slice k: Int,
                window: (low: Float, high: Float), opacity: Float = 0.45) {
        let code = Array(affine.orientationCode)
        let flipX = code[0] == "R", flipY = code[1] == "A"
        slice = k
        width = dimensions.x
        height = dimensions.y
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        let scale = 255 / max(window.high - window.low, .leastNormalMagnitude)
        for row in 0..<height {
            let j = flipY ? height - 1 - row : row
            for column in 0..<width {
                let i = flipX ? width - 1 - column : column
                let index = dimensions.index(i, j, k)
                let grey = min(max((intensity(index) - window.low) * scale, 0), 255)
                var pixel = (grey, grey, grey)
                let tint: (UInt8, UInt8, UInt8)? = switch tissue[index] {
                case 1: Self.leanColour
                case 2: Self.fatColour
                case 3: Self.undefinedColour
                default: nil
                }
                if let tint {
                    pixel = (grey + (Float(tint.0) - grey) * opacity, grey + (Float(tint.1) - grey) * opacity,
                             grey + (Float(tint.2) - grey) * opacity)
                }
                let o = (row * width + column) * 3
                rgb[o] = UInt8(pixel.0.rounded())
                rgb[o + 1] = UInt8(pixel.1.rounded())
                rgb[o + 2] = UInt8(pixel.2.rounded())
            }
        }
        self.rgb = rgb
    }

    /// The report's overlays: the display image's slices, windowed by its window.
    static func overlays(of display: DisplayImage, tissue: [UInt8], dimensions: Dimensions, affine: Affine) -> [SliceOverlay] {
        let plane = dimensions.sliceVoxelCount
        return display.slices.map { slice in
            SliceOverlay(intensity: { slice.values[$0 - slice.index * plane] }, tissue: tissue, dimensions: dimensions, affine: affine,
                         slice: slice.index, window: display.window)
        }
    }
}
