import CZlib
import Foundation

/// A minimal DICOM Part-10 writer for the reader's tests: the file format of PS3.10 §7.1 (128-byte preamble,
/// "DICM", a file meta group in explicit VR little endian with its group length), the data element encodings
/// of PS3.5 §7 in five transfer syntaxes (Annex A), encapsulated pixel data (§A.4) with RLE Lossless (Annex G),
/// and the damage real files come with (`Quirks`).
enum DICOMTestWriter {
    enum Syntax: String, CaseIterable, Sendable {
        case explicitLittle = "1.2.840.10008.1.2.1"
        case implicitLittle = "1.2.840.10008.1.2"
        case explicitBig = "1.2.840.10008.1.2.2"
        case deflated = "1.2.840.10008.1.2.1.99"
        case rle = "1.2.840.10008.1.2.5"
        case jpegBaseline = "1.2.840.10008.1.2.4.50"

        /// Encapsulated syntaxes (RLE, JPEG) are explicit VR little endian, like the plain one.
        var encoding: Encoding { Encoding(explicitVR: self != .implicitLittle, bigEndian: self == .explicitBig) }
    }

    /// One data element; its tag is (group << 16 | element).
    struct Element {
        enum Value {
            case text(String)
            case uint16([UInt16])
            case uint32([UInt32])
            case bytes([UInt8])
            /// Items of a sequence; undefined length puts delimitation items after each item and the sequence.
            case sequence([[Element]], undefinedLength: Bool)
            /// Encapsulated pixel data: the basic offset table, then one fragment per frame (PS3.5 §A.4).
            case fragments([[UInt8]])
        }

        var tag: UInt32
        var vr: String
        var value: Value
        /// Leaves an odd byte count unpadded, which PS3.5 §7.1.1 forbids and some writers do anyway.
        var unpadded = false

        static func text(_ tag: UInt32, _ vr: String, _ value: String) -> Element {
            Element(tag: tag, vr: vr, value: .text(value))
        }

        static func decimals(_ tag: UInt32, _ values: [Double]) -> Element {
            Element(tag: tag, vr: "DS", value: .text(values.map(decimalString).joined(separator: "\\")))
        }

        static func integer(_ tag: UInt32, _ value: Int) -> Element { .text(tag, "IS", String(value)) }
        static func us(_ tag: UInt32, _ value: Int) -> Element { Element(tag: tag, vr: "US", value: .uint16([UInt16(value)])) }

        static func sequence(_ tag: UInt32, _ items: [[Element]], undefinedLength: Bool = false) -> Element {
            Element(tag: tag, vr: "SQ", value: .sequence(items, undefinedLength: undefinedLength))
        }
    }

    /// Damage and oddities to build into a file.
    struct Quirks {
        /// A sequence of undefined length whose undefined-length item holds another such sequence, before the
        /// pixel data; the innermost value contains the bytes of the pixel data tag and of a sequence delimiter.
        var nestedUndefinedLengthSequence = false
        /// A private element of odd length (5 bytes).
        var oddLengthPrivateElement = false
        var omitPixelData = false
        /// Bytes removed from the end of native pixel data (rounded down to even).
        var pixelDataShortBy = 0
        /// The file cut after this many bytes.
        var truncatedTo: Int?
        var claimedRows: Int?
        var claimedColumns: Int?
        var claimedFrames: Int?
    }

    /// Element encodings of PS3.5 §7.1: explicit or implicit VR, little or big endian.
    struct Encoding {
        var explicitVR: Bool
        var bigEndian: Bool

        static let fileMeta = Encoding(explicitVR: true, bigEndian: false)
        /// VRs with a 2-byte reserved field and a 4-byte length in explicit VR (PS3.5 Table 7.1-1).
        static let longLengthVRs: Set = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"]

        /// The elements in ascending tag order, as PS3.5 §7.1 requires.
        func dataSet(_ elements: [Element]) -> [UInt8] {
            elements.sorted { $0.tag < $1.tag }.flatMap(element)
        }

        func element(_ element: Element) -> [UInt8] {
            let (value, undefinedLength) = valueBytes(element)
            var out = tag(element.tag)
            let length = undefinedLength ? UInt32.max : UInt32(value.count)
            if explicitVR {
                out += Array(element.vr.utf8)
                out += Self.longLengthVRs.contains(element.vr) ? [0, 0] + uint32(length) : uint16(UInt16(length))
            } else {
                out += uint32(length)
            }
            return out + value
        }

        private func valueBytes(_ element: Element) -> (bytes: [UInt8], undefinedLength: Bool) {
            switch element.value {
            case .text(let text):
                return (evenLength(Array(text.utf8), padding: element.vr == "UI" ? 0 : 0x20, element), false)
            case .uint16(let values): return (values.flatMap(uint16), false)
            case .uint32(let values): return (values.flatMap(uint32), false)
            case .bytes(let bytes): return (evenLength(bytes, padding: 0, element), false)
            case .sequence(let items, let undefinedLength):
                let body = items.flatMap { item in
                    let content = dataSet(item)
                    return undefinedLength
                        ? tag(0xFFFE_E000) + uint32(.max) + content + tag(0xFFFE_E00D) + uint32(0)
                        : tag(0xFFFE_E000) + uint32(UInt32(content.count)) + content
                }
                return undefinedLength ? (body + tag(0xFFFE_E0DD) + uint32(0), true) : (body, false)
            case .fragments(let fragments):
                let items = fragments.flatMap { tag(0xFFFE_E000) + uint32(UInt32($0.count)) + $0 }
                return (items + tag(0xFFFE_E0DD) + uint32(0), true)
            }
        }

        private func evenLength(_ bytes: [UInt8], padding: UInt8, _ element: Element) -> [UInt8] {
            bytes.count % 2 == 0 || element.unpadded ? bytes : bytes + [padding]
        }

        private func tag(_ tag: UInt32) -> [UInt8] { uint16(UInt16(tag >> 16)) + uint16(UInt16(tag & 0xFFFF)) }
        private func uint16(_ value: UInt16) -> [UInt8] { bytes(bigEndian ? value.bigEndian : value.littleEndian) }
        private func uint32(_ value: UInt32) -> [UInt8] { bytes(bigEndian ? value.bigEndian : value.littleEndian) }
        private func bytes<T>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }
    }

    static let implementationClassUID = "2.25.170342016563183218461302468113524387001"

    /// A Part-10 file: preamble, "DICM", the file meta group (PS3.10 §7.1), then the data set in `syntax`.
    static func part10(sopClass: String, sopInstance: String, syntax: Syntax, dataSet: [Element]) -> [UInt8] {
        let meta: [Element] = [
            Element(tag: 0x0002_0001, vr: "OB", value: .bytes([0, 1])),
            .text(0x0002_0002, "UI", sopClass),
            .text(0x0002_0003, "UI", sopInstance),
            .text(0x0002_0010, "UI", syntax.rawValue),
            .text(0x0002_0012, "UI", implementationClassUID),
            .text(0x0002_0013, "SH", "IMATKIT_TESTS"),
        ]
        let metaBytes = Encoding.fileMeta.dataSet(meta)
        let groupLength = Encoding.fileMeta.element(Element(tag: 0x0002_0000, vr: "UL", value: .uint32([UInt32(metaBytes.count)])))
        let encoded = syntax.encoding.dataSet(dataSet)
        return [UInt8](repeating: 0, count: 128) + Array("DICM".utf8) + groupLength + metaBytes
            + (syntax == .deflated ? rawDeflate(encoded) : encoded)
    }

    /// `bytes` as a raw deflate stream (RFC 1951, no zlib or gzip wrapper), as PS3.5 §A.5 requires.
    static func rawDeflate(_ bytes: [UInt8]) -> [UInt8] {
        rawZlib(bytes, capacity: bytes.count + bytes.count / 100 + 64, deflating: true)!
    }

    /// A raw deflate stream inflated, or nil if it is not one complete stream whose output fits `capacity`.
    static func rawInflate(_ bytes: [UInt8], capacity: Int) -> [UInt8]? {
        rawZlib(bytes, capacity: capacity, deflating: false)
    }

    /// One zlib call over all of `bytes` with window bits -15 (no header or trailer).
    private static func rawZlib(_ bytes: [UInt8], capacity: Int, deflating: Bool) -> [UInt8]? {
        var stream = z_stream()
        var input = bytes
        var output = [UInt8](repeating: 0, count: capacity)
        let produced = withUnsafeMutablePointer(to: &stream) { stream -> Int in
            let size = Int32(MemoryLayout<z_stream>.size)
            let started = deflating
                ? deflateInit2_(stream, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(), size)
                : inflateInit2_(stream, -15, zlibVersion(), size)
            guard started == Z_OK else { return -1 }
            defer { _ = deflating ? deflateEnd(stream) : inflateEnd(stream) }
            return input.withUnsafeMutableBufferPointer { input in
                output.withUnsafeMutableBufferPointer { output in
                    stream.pointee.next_in = input.baseAddress
                    stream.pointee.avail_in = UInt32(input.count)
                    stream.pointee.next_out = output.baseAddress
                    stream.pointee.avail_out = UInt32(output.count)
                    let status = deflating ? deflate(stream, Z_FINISH) : inflate(stream, Z_FINISH)
                    return status == Z_STREAM_END ? output.count - Int(stream.pointee.avail_out) : -1
                }
            }
        }
        return produced < 0 ? nil : Array(output.prefix(produced))
    }

    /// One frame in DICOM RLE (PS3.5 §G.3–G.5): a 64-byte header (segment count, then 15 segment offsets),
    /// one segment per byte of the sample, most significant byte first, each row PackBits-encoded on its own
    /// (§G.3.1) and each segment padded to even length.
    static func rleFrame(_ samples: [Int], bytesPerSample: Int, columns: Int) -> [UInt8] {
        let segments = (0..<bytesPerSample).map { byte -> [UInt8] in
            let shift = 8 * (bytesPerSample - 1 - byte)
            let plane = samples.map { UInt8(truncatingIfNeeded: $0 >> shift) }
            var segment = stride(from: 0, to: plane.count, by: columns).flatMap { packBits(plane[$0..<$0 + columns]) }
            if segment.count % 2 == 1 { segment.append(0) }
            return segment
        }
        var header = [UInt32](repeating: 0, count: 16)
        header[0] = UInt32(segments.count)
        var offset = 64
        for (n, segment) in segments.enumerated() {
            header[n + 1] = UInt32(offset)
            offset += segment.count
        }
        return header.flatMap(littleEndianBytes) + segments.joined()
    }

    /// PackBits (Apple Technical Note TN1023, the scheme of PS3.5 §G.3.1): a run of 3 to 128 equal bytes
    /// becomes a header 1 - n and the byte; other bytes go in literal runs of at most 128, header n - 1.
    static func packBits(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = [], literal: [UInt8] = []
        func flushLiteral() {
            guard !literal.isEmpty else { return }
            out += [UInt8(literal.count - 1)] + literal
            literal = []
        }
        var start = bytes.startIndex
        while start < bytes.endIndex {
            var run = 1
            while start + run < bytes.endIndex, run < 128, bytes[start + run] == bytes[start] { run += 1 }
            if run >= 3 {
                flushLiteral()
                out += [UInt8(truncatingIfNeeded: 1 - run), bytes[start]]
            } else {
                for byte in bytes[start..<start + run] {
                    literal.append(byte)
                    if literal.count == 128 { flushLiteral() }
                }
            }
            start += run
        }
        flushLiteral()
        return out
    }

    /// `value` as a DS string: as many significant digits (15 at most) as fit in 16 characters (PS3.5 §6.2).
    static func decimalString(_ value: Double) -> String {
        for digits in stride(from: 15, through: 1, by: -1) {
            let text = String(format: "%.\(digits)g", value)
            if text.count <= 16 { return text }
        }
        preconditionFailure("\(value) has no 16-character decimal string")
    }
}
