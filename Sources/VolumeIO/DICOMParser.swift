import CZlib
import Foundation
import VolumeCore

/// A DICOM Part 10 file (PS3.10 §7.1): 128-byte preamble, "DICM", the file meta group in explicit VR little
/// endian, then the data set in the transfer syntax the meta group names.
struct DICOMFile {
    var path: String
    var syntax: DICOMTransferSyntax
    var dataSet: DICOMDataSet

    /// Sequences nest at most this deep; deeper nesting in an image file is corruption, and recursion must end.
    static let maximumDepth = 16

    /// True when the bytes carry the Part 10 signature.
    static func hasSignature(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 132 && bytes[128] == 0x44 && bytes[129] == 0x49 && bytes[130] == 0x43 && bytes[131] == 0x4D
    }

    /// Parses `bytes` read from `path`; `maximumInflatedBytes` bounds a deflated data set.
    init(path: String, bytes: [UInt8], maximumInflatedBytes: Int) throws {
        self.path = path
        guard Self.hasSignature(bytes) else { throw IMATError(path, "not a DICOM file (no \"DICM\" after the 128-byte preamble)") }
        var meta = DICOMParser(bytes: bytes, path: path, explicitVR: true, bigEndian: false)
        let (metaSet, dataStart) = try meta.parseMetaGroup(from: 132)
        guard let uid = metaSet.string(.transferSyntaxUID), !uid.isEmpty else {
            throw IMATError(path, "the file meta information names no transfer syntax (0002,0010)")
        }
        guard let syntax = DICOMTransferSyntax(uid: uid) else { throw IMATError(path, "unknown transfer syntax \(uid)") }
        self.syntax = syntax
        var body = bytes
        var start = dataStart
        if syntax.deflated {
            body = try Self.inflate(bytes[dataStart...], path: path, limit: maximumInflatedBytes)
            start = 0
        }
        var parser = DICOMParser(bytes: body, path: path, explicitVR: syntax.explicitVR, bigEndian: syntax.bigEndian)
        dataSet = try parser.parseDataSet(in: start..<body.count, depth: 0)
    }

    /// Raw deflate (RFC 1951, no zlib or gzip wrapper) as the deflated transfer syntax writes it (PS3.5 A.5).
    private static func inflate(_ input: ArraySlice<UInt8>, path: String, limit: Int) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw IMATError(path, "cannot start zlib")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: min(limit, max(4096, input.count * 4)))
        var produced = 0
        try input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(clamping: source.count)
            while true {
                if produced == output.count {
                    guard output.count < limit else { throw IMATError(path, "the deflated data set inflates beyond \(limit) bytes; refused") }
                    output += [UInt8](repeating: 0, count: min(limit - output.count, output.count))
                }
                let status = output.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress! + produced
                    stream.avail_out = UInt32(clamping: target.count - produced)
                    let before = stream.avail_out
                    let result = CZlib.inflate(&stream, Z_NO_FLUSH)
                    produced += Int(before - stream.avail_out)
                    return result
                }
                switch status {
                case Z_STREAM_END: return
                case Z_OK: continue
                case Z_BUF_ERROR where stream.avail_in > 0: continue
                case Z_BUF_ERROR: throw IMATError(path, "the deflated data set is cut short")
                default: throw IMATError(path, "the deflated data set is corrupt (zlib error \(status))")
                }
            }
        }
        return Array(output[0..<produced])
    }
}

/// Reads data elements (PS3.5 §7) from bytes in one transfer syntax, checking every length against what is there.
struct DICOMParser {
    let bytes: [UInt8]
    let path: String
    var explicitVR: Bool
    var bigEndian: Bool

    /// The group 0002 elements from `start`, and where the data set begins.
    mutating func parseMetaGroup(from start: Int) throws -> (DICOMDataSet, Int) {
        var set = DICOMDataSet(bytes: bytes, bigEndian: false)
        var position = start
        while position + 4 <= bytes.count, uint16(at: position) == 0x0002 {
            let (tag, element, next) = try readElement(at: position, limit: bytes.count, depth: 0)
            set.elements[tag] = element
            position = next
        }
        return (set, position)
    }

    /// The elements in `range`, or up to an item delimiter when `untilDelimiter`; returns the set and the end.
    mutating func parseDataSet(in range: Range<Int>, depth: Int) throws -> DICOMDataSet {
        try parseDataSet(in: range, depth: depth, untilDelimiter: false).set
    }

    private mutating func parseDataSet(in range: Range<Int>, depth: Int, untilDelimiter: Bool) throws -> (set: DICOMDataSet, end: Int) {
        var set = DICOMDataSet(bytes: bytes, bigEndian: bigEndian)
        var position = range.lowerBound
        while position < range.upperBound {
            guard position + 8 <= range.upperBound else { throw truncated("an element header", at: position) }
            let tag = DICOMTag(uint16(at: position), uint16(at: position + 2))
            if tag == .itemDelimitation {
                guard untilDelimiter else { throw corrupt("an item delimiter outside an item", at: position) }
                return (set, position + 8)
            }
            let (_, element, next) = try readElement(at: position, limit: range.upperBound, depth: depth)
            set.elements[tag] = element
            position = next
        }
        if untilDelimiter { throw truncated("an item of undefined length (no item delimiter)", at: position) }
        return (set, position)
    }

    /// One element at `position`: its tag, value and the position after it.
    private mutating func readElement(at position: Int, limit: Int, depth: Int) throws -> (DICOMTag, DICOMDataSet.Element, Int) {
        let tag = DICOMTag(uint16(at: position), uint16(at: position + 2))
        var vr: DICOMTag.VR?
        var length: UInt32
        var valueStart: Int
        if explicitVR && tag.group != 0xFFFE {
            guard position + 8 <= limit else { throw truncated("the element \(tag)", at: position) }
            guard let written = DICOMTag.VR(rawValue: String(decoding: bytes[(position + 4)..<(position + 6)], as: UTF8.self)) else {
                let code = bytes[(position + 4)..<(position + 6)].map { String($0, radix: 16) }.joined(separator: " ")
                throw corrupt("element \(tag) has no valid value representation (bytes \(code))", at: position)
            }
            vr = written
            if written.hasLongLength {
                guard position + 12 <= limit else { throw truncated("the element \(tag)", at: position) }
                length = uint32(at: position + 8)
                valueStart = position + 12
            } else {
                length = UInt32(uint16(at: position + 6))
                valueStart = position + 8
            }
        } else {
            guard position + 8 <= limit else { throw truncated("the element \(tag)", at: position) }
            vr = DICOMTag.dictionary[tag]
            length = uint32(at: position + 4)
            valueStart = position + 8
        }

        if length == 0xFFFF_FFFF {
            if tag == .pixelData {
                let (offsetTable, fragments, end) = try readFragments(from: valueStart, limit: limit)
                return (tag, DICOMDataSet.Element(vr: vr, value: offsetTable, fragments: fragments), end)
            }
            guard vr == nil || vr == .SQ || vr == .UN else { throw corrupt("element \(tag) (\(vr!)) has undefined length", at: position) }
            // An undefined-length UN is a sequence in implicit VR little endian (PS3.5 §6.2.2).
            var inner = self
            if vr == .UN { inner.explicitVR = false; inner.bigEndian = false }
            let (items, end) = try inner.readSequence(in: valueStart..<limit, depth: depth + 1, undefinedLength: true)
            return (tag, DICOMDataSet.Element(vr: .SQ, value: valueStart..<end, items: items), end)
        }
        let end = valueStart + Int(length)
        guard end <= limit else {
            throw truncated("the value of \(tag) (\(length) bytes, \(max(0, limit - valueStart)) left)", at: position)
        }
        if vr == .SQ {
            let (items, _) = try readSequence(in: valueStart..<end, depth: depth + 1, undefinedLength: false)
            return (tag, DICOMDataSet.Element(vr: vr, value: valueStart..<end, items: items), end)
        }
        return (tag, DICOMDataSet.Element(vr: vr, value: valueStart..<end), end)
    }

    /// The items of a sequence; with `undefinedLength`, up to and past the sequence delimiter.
    private mutating func readSequence(in range: Range<Int>, depth: Int, undefinedLength: Bool) throws -> ([DICOMDataSet], Int) {
        guard depth <= DICOMFile.maximumDepth else { throw corrupt("sequences nested deeper than \(DICOMFile.maximumDepth) levels", at: range.lowerBound) }
        var items: [DICOMDataSet] = []
        var position = range.lowerBound
        while position < range.upperBound {
            guard position + 8 <= range.upperBound else { throw truncated("a sequence item", at: position) }
            let tag = DICOMTag(uint16(at: position), uint16(at: position + 2))
            let length = uint32(at: position + 4)
            if tag == .sequenceDelimitation {
                guard undefinedLength else { throw corrupt("a sequence delimiter in a sequence of defined length", at: position) }
                return (items, position + 8)
            }
            guard tag == .item else { throw corrupt("\(tag) where a sequence item should be", at: position) }
            if length == 0xFFFF_FFFF {
                let (set, end) = try parseDataSet(in: (position + 8)..<range.upperBound, depth: depth, untilDelimiter: true)
                items.append(set)
                position = end
            } else {
                let end = position + 8 + Int(length)
                guard end <= range.upperBound else { throw truncated("a sequence item of \(length) bytes", at: position) }
                items.append(try parseDataSet(in: (position + 8)..<end, depth: depth))
                position = end
            }
        }
        if undefinedLength { throw truncated("a sequence of undefined length (no sequence delimiter)", at: position) }
        return (items, position)
    }

    /// Encapsulated pixel data (PS3.5 A.4): the basic offset table item, then one item per fragment, then the delimiter.
    /// Returns the offset table's value, the fragments' values and the end of the pixel data.
    private func readFragments(from start: Int, limit: Int) throws -> (Range<Int>, [Range<Int>], Int) {
        var offsetTable: Range<Int>?
        var fragments: [Range<Int>] = []
        var position = start
        while true {
            guard position + 8 <= limit else { throw truncated("the encapsulated pixel data", at: position) }
            let tag = DICOMTag(uint16(at: position), uint16(at: position + 2))
            let length = Int(uint32(at: position + 4))
            if tag == .sequenceDelimitation { return (offsetTable ?? start..<start, fragments, position + 8) }
            guard tag == .item else { throw corrupt("\(tag) inside the encapsulated pixel data", at: position) }
            guard position + 8 + length <= limit else { throw truncated("a pixel data fragment of \(length) bytes", at: position) }
            let value = (position + 8)..<(position + 8 + length)
            if offsetTable == nil { offsetTable = value } else { fragments.append(value) }
            position += 8 + length
        }
    }

    func uint16(at offset: Int) -> UInt16 {
        let value = UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
        return bigEndian ? value.byteSwapped : value
    }

    func uint32(at offset: Int) -> UInt32 {
        let value = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
        return bigEndian ? value.byteSwapped : value
    }

    private func truncated(_ what: String, at offset: Int) -> IMATError {
        IMATError(path, "truncated: \(what) at byte \(offset) runs past the end of the data")
    }

    private func corrupt(_ what: String, at offset: Int) -> IMATError {
        IMATError(path, "not a well-formed DICOM data set: \(what) at byte \(offset)")
    }
}
