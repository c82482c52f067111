import Foundation
import VolumeCore
import VolumeIO

/// One MR image (a slice, or a frame of an enhanced multi-frame object) as DICOMTestWriter writes it.
struct DICOMTestImage {
    var rows: Int
    var columns: Int
    var bitsAllocated = 16
    var bitsStored = 16
    var signed = false
    var photometric = "MONOCHROME2"
    /// Stored words row by row, as the bit patterns written (bits above BitsStored included).
    var pixels: [Int]
    var rescale: IntensityScaling?
    var position: SIMD3<Double>
    var rowDirection: SIMD3<Double>
    var columnDirection: SIMD3<Double>
    /// Distance between rows, then between columns, as PixelSpacing (0028,0030) orders them.
    var pixelSpacing: (row: Double, column: Double)
    var sliceThickness: Double
    var seriesUID: String
    var seriesNumber: Int?
    var seriesDescription: String
    var instanceNumber = 1
    var sopInstanceUID: String
}

extension DICOMTestWriter {
    static let mrImageStorage = "1.2.840.10008.5.1.4.1.1.4"
    static let enhancedMRImageStorage = "1.2.840.10008.5.1.4.1.1.4.1"
    static let studyUID = "2.25.170342016563183218461302468113524387002"

    /// A single-frame MR Image Storage file.
    static func file(_ image: DICOMTestImage, syntax: Syntax = .explicitLittle, quirks: Quirks = Quirks()) -> [UInt8] {
        var elements = imageElements(image, frames: nil, quirks: quirks) + [
            .integer(0x0020_0013, image.instanceNumber),
            .decimals(0x0020_0032, position(image)),
            .decimals(0x0020_0037, orientation(image)),
            .decimals(0x0028_0030, [image.pixelSpacing.row, image.pixelSpacing.column]),
            .decimals(0x0018_0050, [image.sliceThickness]),
        ]
        if let rescale = image.rescale { elements += rescaleElements(rescale) }
        elements += pixelData([image.pixels], of: image, syntax: syntax, quirks: quirks)
        return cut(part10(sopClass: mrImageStorage, sopInstance: image.sopInstanceUID, syntax: syntax, dataSet: elements), quirks)
    }

    /// An Enhanced MR Image Storage file (PS3.3 §A.36.2) holding `frames`, which share everything but position
    /// and pixels; frame n of the file is `frames[storedOrder[n]]`. Spacing, orientation and rescale sit in the
    /// shared functional groups, each frame's position in its own.
    static func enhancedMultiFrame(_ frames: [DICOMTestImage], storedOrder: [Int], syntax: Syntax = .explicitLittle,
                                   quirks: Quirks = Quirks()) -> [UInt8] {
        let first = frames[0]
        var shared: [Element] = [
            .sequence(0x0028_9110, [[.decimals(0x0028_0030, [first.pixelSpacing.row, first.pixelSpacing.column]),
                                     .decimals(0x0018_0050, [first.sliceThickness])]]),
            .sequence(0x0020_9116, [[.decimals(0x0020_0037, orientation(first))]]),
        ]
        if let rescale = first.rescale {
            shared.append(.sequence(0x0028_9145, [rescaleElements(rescale) + [.text(0x0028_1054, "LO", "US")]]))
        }
        let perFrame: [[Element]] = storedOrder.map { n in
            [.sequence(0x0020_9113, [[.decimals(0x0020_0032, position(frames[n]))]])]
        }
        let elements = imageElements(first, frames: frames.count, quirks: quirks) + [
            .integer(0x0020_0013, first.instanceNumber),
            .sequence(0x5200_9229, [shared]),
            .sequence(0x5200_9230, perFrame),
        ] + pixelData(storedOrder.map { frames[$0].pixels }, of: first, syntax: syntax, quirks: quirks)
        return cut(part10(sopClass: enhancedMRImageStorage, sopInstance: first.sopInstanceUID, syntax: syntax, dataSet: elements), quirks)
    }

    private static func position(_ image: DICOMTestImage) -> [Double] { [image.position.x, image.position.y, image.position.z] }

    private static func orientation(_ image: DICOMTestImage) -> [Double] {
        let (r, c) = (image.rowDirection, image.columnDirection)
        return [r.x, r.y, r.z, c.x, c.y, c.z]
    }

    private static func rescaleElements(_ rescale: IntensityScaling) -> [Element] {
        [.decimals(0x0028_1052, [rescale.intercept]), .decimals(0x0028_1053, [rescale.slope])]
    }

    /// The patient, study, series and image pixel modules, and the quirks that add elements.
    private static func imageElements(_ image: DICOMTestImage, frames: Int?, quirks: Quirks) -> [Element] {
        var elements: [Element] = [
            .text(0x0008_0016, "UI", frames == nil ? mrImageStorage : enhancedMRImageStorage),
            .text(0x0008_0018, "UI", image.sopInstanceUID),
            .text(0x0008_0020, "DA", "20260101"),
            .text(0x0008_0030, "TM", "120000"),
            .text(0x0008_0060, "CS", "MR"),
            .text(0x0008_103E, "LO", image.seriesDescription),
            .text(0x0010_0010, "PN", "IMATKit^Test"),
            .text(0x0010_0020, "LO", "IMATKIT-TEST"),
            .text(0x0020_000D, "UI", studyUID),
            .text(0x0020_000E, "UI", image.seriesUID),
            .us(0x0028_0002, 1),
            .text(0x0028_0004, "CS", image.photometric),
            .us(0x0028_0010, quirks.claimedRows ?? image.rows),
            .us(0x0028_0011, quirks.claimedColumns ?? image.columns),
            .us(0x0028_0100, image.bitsAllocated),
            .us(0x0028_0101, image.bitsStored),
            .us(0x0028_0102, image.bitsStored - 1),
            .us(0x0028_0103, image.signed ? 1 : 0),
        ]
        if let number = image.seriesNumber { elements.append(.integer(0x0020_0011, number)) }
        if let count = quirks.claimedFrames ?? frames { elements.append(.integer(0x0028_0008, count)) }
        if quirks.nestedUndefinedLengthSequence {
            // The innermost value holds the bytes of (7FE0,0010) and of a sequence delimiter: a reader must skip
            // by lengths, not by searching for tags.
            let decoy: [UInt8] = [0xE0, 0x7F, 0x10, 0x00, 0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]
            let inner: [Element] = [.text(0x0008_0100, "SH", "IMAT"), .text(0x0008_0102, "SH", "99TEST"),
                                    Element(tag: 0x0042_0011, vr: "OB", value: .bytes(decoy))]
            elements.append(.sequence(0x0040_0275, [[.sequence(0x0040_0008, [inner], undefinedLength: true)]],
                                      undefinedLength: true))
        }
        if quirks.oddLengthPrivateElement {
            elements.append(.text(0x0029_0010, "LO", "IMATKIT"))
            elements.append(Element(tag: 0x0029_1001, vr: "OB", value: .bytes([1, 2, 3, 4, 5]), unpadded: true))
        }
        return elements
    }

    /// Pixel Data (7FE0,0010): native OW (16 bits) or OB (8 bits), or encapsulated for RLE and JPEG.
    private static func pixelData(_ frames: [[Int]], of image: DICOMTestImage, syntax: Syntax, quirks: Quirks) -> [Element] {
        guard !quirks.omitPixelData else { return [] }
        let bytesPerSample = image.bitsAllocated / 8
        switch syntax {
        case .rle:
            let encoded = frames.map { rleFrame($0, bytesPerSample: bytesPerSample, columns: image.columns) }
            // The basic offset table: where each frame's item starts, counted from the first fragment's item.
            let offsets = encoded.indices.map { n in UInt32(encoded[..<n].map { 8 + $0.count }.reduce(0, +)) }
            let table = offsets.flatMap(littleEndianBytes)
            return [Element(tag: 0x7FE0_0010, vr: "OB", value: .fragments([table] + encoded))]
        case .jpegBaseline:
            // Not a decodable JPEG (start of image, a comment, end of image): the reader must refuse the syntax.
            let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x06] + Array("IMAT".utf8) + [0xFF, 0xD9]
            return [Element(tag: 0x7FE0_0010, vr: "OB", value: .fragments([[], jpeg]))]
        default:
            let samples = Array(frames.joined().dropLast(quirks.pixelDataShortBy / 2 * 2 / bytesPerSample))
            let value: Element.Value = bytesPerSample == 2
                ? .uint16(samples.map { UInt16(truncatingIfNeeded: $0) })
                : .bytes(samples.map { UInt8(truncatingIfNeeded: $0) })
            return [Element(tag: 0x7FE0_0010, vr: bytesPerSample == 2 ? "OW" : "OB", value: value)]
        }
    }

    private static func cut(_ bytes: [UInt8], _ quirks: Quirks) -> [UInt8] {
        quirks.truncatedTo.map { Array(bytes.prefix($0)) } ?? bytes
    }
}
