import Foundation
import VolumeCore

/// A DICOM data set as parsed: its elements by tag, each a range of the shared file bytes, with the items of
/// sequences and the fragments of encapsulated pixel data resolved. Nothing is copied but the structure.
struct DICOMDataSet {
    struct Element {
        /// The value representation as written (explicit VR) or from the dictionary (implicit VR); nil if unknown.
        var vr: DICOMTag.VR?
        /// The value; for encapsulated pixel data, the basic offset table.
        var value: Range<Int>
        /// Items of a sequence (SQ).
        var items: [DICOMDataSet] = []
        /// Fragments of encapsulated pixel data (PS3.5 A.4), after the basic offset table.
        var fragments: [Range<Int>]?
    }

    let bytes: [UInt8]
    let bigEndian: Bool
    var elements: [DICOMTag: Element] = [:]

    subscript(tag: DICOMTag) -> Element? { elements[tag] }

    /// A text value without its padding (trailing spaces and NULs, and leading spaces).
    func string(_ tag: DICOMTag) -> String? {
        guard let element = elements[tag] else { return nil }
        let text = String(decoding: bytes[element.value], as: UTF8.self)
        return text.trimmingCharacters(in: CharacterSet(charactersIn: " \0"))
    }

    /// Numbers from a decimal or integer string (DS, IS; backslash-separated) or from binary US, SS, UL, SL, FL, FD.
    func numbers(_ tag: DICOMTag) -> [Double]? {
        guard let element = elements[tag] else { return nil }
        let bytes = self.bytes[element.value]
        func binary<T: FixedWidthInteger>(_: T.Type, _ convert: (T) -> Double) -> [Double] {
            let size = MemoryLayout<T>.size
            return stride(from: bytes.startIndex, to: bytes.endIndex - size + 1, by: size).map { start in
                var raw: T = 0
                for k in 0..<size { raw |= T(truncatingIfNeeded: bytes[start + k]) << (8 * k) }
                return convert(bigEndian ? raw.byteSwapped : raw)
            }
        }
        switch element.vr {
        case .US?: return binary(UInt16.self) { Double($0) }
        case .SS?: return binary(UInt16.self) { Double(Int16(bitPattern: $0)) }
        case .UL?: return binary(UInt32.self) { Double($0) }
        case .SL?: return binary(UInt32.self) { Double(Int32(bitPattern: $0)) }
        case .FL?: return binary(UInt32.self) { Double(Float(bitPattern: $0)) }
        case .FD?: return binary(UInt64.self) { Double(bitPattern: $0) }
        default:
            guard let text = string(tag), !text.isEmpty else { return [] }
            let parts = text.split(separator: "\\", omittingEmptySubsequences: false)
            let values = parts.compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            return values.count == parts.count ? values : nil
        }
    }

    /// A single integer value (IS or a binary integer VR).
    func integer(_ tag: DICOMTag) -> Int? {
        guard let value = numbers(tag)?.first, value.rounded() == value, abs(value) < 1e15 else { return nil }
        return Int(value)
    }

    /// The first item of a sequence, if any.
    func item(_ tag: DICOMTag) -> DICOMDataSet? { elements[tag]?.items.first }
}
