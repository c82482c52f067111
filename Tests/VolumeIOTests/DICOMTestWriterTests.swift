import Foundation
import Testing

/// The test writer itself, on what can be checked without a DICOM reader: known encodings and the file layout.
@Suite struct DICOMTestWriterTests {
    typealias Writer = DICOMTestWriter

    /// The example of Apple Technical Note TN1023.
    @Test func packBitsEncodesAppleExample() {
        let input: [UInt8] = [0xAA, 0xAA, 0xAA, 0x80, 0x00, 0x2A, 0xAA, 0xAA, 0xAA, 0xAA, 0x80, 0x00, 0x2A, 0x22]
            + [UInt8](repeating: 0xAA, count: 10)
        #expect(Writer.packBits(input[...]) == [0xFE, 0xAA, 0x02, 0x80, 0x00, 0x2A, 0xFD, 0xAA, 0x03, 0x80, 0x00, 0x2A, 0x22, 0xF7, 0xAA])
    }

    @Test func packBitsSplitsRunsAt128() {
        #expect(Writer.packBits([UInt8](repeating: 7, count: 300)[...]) == [0x81, 7, 0x81, 7, 0xD5, 7])
        let distinct = (0..<200).map { UInt8($0) }
        let expected: [UInt8] = [127] + distinct[..<128] + [71] + distinct[128...]
        #expect(Writer.packBits(distinct[...]) == expected)
    }

    /// Segment count and offsets, most significant bytes first, each row encoded on its own.
    @Test func rleFrameFollowsAnnexG() {
        let frame = Writer.rleFrame([0x0102, 0x0102, 0x0102, 0x0304], bytesPerSample: 2, columns: 2)
        #expect(header(of: frame) == [2, 64, 70] + [Int](repeating: 0, count: 13))
        #expect(Array(frame[64...]) == [1, 1, 1, 1, 1, 3, /* low bytes */ 1, 2, 2, 1, 2, 4])
    }

    @Test func rleSegmentsArePaddedToEvenLength() {
        let frame = Writer.rleFrame([1, 2], bytesPerSample: 1, columns: 2)
        #expect(header(of: frame) == [1, 64] + [Int](repeating: 0, count: 14))
        #expect(Array(frame[64...]) == [1, 1, 2, 0])
    }

    func header(of frame: [UInt8]) -> [Int] {
        (0..<16).map { n in frame[4 * n..<4 * n + 4].reversed().reduce(0) { $0 << 8 | Int($1) } }
    }

    @Test(arguments: Writer.Syntax.allCases)
    func fileMetaGroupIsExplicitLittleEndianWithItsLength(syntax: Writer.Syntax) {
        let bytes = Writer.file(SyntheticSeries().image(0, instanceNumber: 1), syntax: syntax)
        #expect(bytes[..<128].allSatisfy { $0 == 0 })
        #expect(Array(bytes[128..<132]) == Array("DICM".utf8))
        // (0002,0000) UL 4, then its value: the byte count of the rest of group 0002.
        #expect(Array(bytes[132..<140]) == [2, 0, 0, 0, 0x55, 0x4C, 4, 0])
        let groupLength = Int(bytes[140]) | Int(bytes[141]) << 8 | Int(bytes[142]) << 16 | Int(bytes[143]) << 24
        let dataSet = 144 + groupLength
        var offset = 144
        while offset < dataSet {
            #expect(bytes[offset] == 2 && bytes[offset + 1] == 0, "group 0002 element at \(offset)")
            let vr = String(decoding: bytes[offset + 4..<offset + 6], as: UTF8.self)
            let long = Writer.Encoding.longLengthVRs.contains(vr)
            let length = long ? Int(bytes[offset + 8]) | Int(bytes[offset + 9]) << 8 : Int(bytes[offset + 6]) | Int(bytes[offset + 7]) << 8
            #expect(length % 2 == 0)
            offset += (long ? 12 : 8) + length
        }
        #expect(offset == dataSet)
        #expect(String(decoding: bytes[144..<dataSet], as: UTF8.self).contains(syntax.rawValue))
        if syntax != .deflated {
            // The data set's first element, (0008,0016), in the syntax's byte order.
            #expect(syntax == .explicitBig ? bytes[dataSet] == 0 && bytes[dataSet + 1] == 8 : bytes[dataSet] == 8 && bytes[dataSet + 1] == 0)
        }
    }

    @Test func deflatedDataSetInflatesToTheExplicitLittleEndianOne() {
        let image = SyntheticSeries().image(0, instanceNumber: 1)
        let plain = Writer.file(image), deflated = Writer.file(image, syntax: .deflated)
        let metaEnd = { (bytes: [UInt8]) in 144 + (Int(bytes[140]) | Int(bytes[141]) << 8) }
        let inflated = Writer.rawInflate(Array(deflated[metaEnd(deflated)...]), capacity: plain.count)
        #expect(inflated == Array(plain[metaEnd(plain)...]))
    }

    @Test func decimalStringsFitSixteenCharactersAndRoundTrip() {
        for value in [0.98480775301220802, -1.3390100000000001e-03, 123456.78901234567, -0.5, 1e-20, 0, 3.3 * 4] {
            let text = Writer.decimalString(value)
            #expect(text.count <= 16)
            #expect(abs(Double(text)! - value) <= 1e-9 * max(1, abs(value)))
            #expect(Writer.decimalString(Double(text)!) == text)
        }
    }

    /// The series helper really hides the slice order: names and InstanceNumbers both disagree with it.
    @Test func seriesFilesAreNamedAndNumberedOutOfPositionOrder() {
        let series = SyntheticSeries()
        let slices = Array(0..<series.slices)
        let byName = slices.sorted { series.fileName(ofSlice: $0) < series.fileName(ofSlice: $1) }
        let byInstance = slices.sorted { series.instanceNumber(ofSlice: $0) < series.instanceNumber(ofSlice: $1) }
        for order in [byName, byInstance] {
            #expect(order != slices && order != slices.reversed())
        }
        #expect(byName != byInstance)
    }
}
