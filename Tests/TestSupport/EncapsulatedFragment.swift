/// The last item of a DICOM file's encapsulated pixel data (PS3.5 A.4), found by its bytes: for tests and the
/// fuzzer, which replace a codestream inside a real file without going through the reader under test.
public enum EncapsulatedFragment {
    /// The value range of the last item: the item whose value ends at the sequence delimiter.
    public static func last(in file: [UInt8]) -> Range<Int>? {
        let delimiter: [UInt8] = [0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]
        guard file.count >= 16, let end = (0...(file.count - 8)).reversed().first(where: { Array(file[$0..<($0 + 8)]) == delimiter }) else { return nil }
        for start in stride(from: end - 8, through: 0, by: -1) where file[start..<(start + 4)] == [0xFE, 0xFF, 0x00, 0xE0] {
            let length = (0..<4).reduce(0) { $0 | Int(file[start + 4 + $1]) << (8 * $1) }
            if start + 8 + length == end { return (start + 8)..<end }
        }
        return nil
    }

    /// `file` with the item at `fragment` holding `value` instead, padded to even length as items must be, and
    /// its item length fixed.
    public static func replacing(_ fragment: Range<Int>, in file: [UInt8], with value: some Collection<UInt8>) -> [UInt8] {
        var stream = Array(value)
        if stream.count % 2 == 1 { stream.append(0) }
        var header = Array(file[..<fragment.lowerBound])
        withUnsafeBytes(of: UInt32(stream.count).littleEndian) { header.replaceSubrange((header.count - 4)..<header.count, with: $0) }
        return header + stream + file[fragment.upperBound...]
    }
}
