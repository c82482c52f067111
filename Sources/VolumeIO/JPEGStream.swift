import VolumeCore
/// The marker structure of a JPEG stream (ITU-T T.81 Annex B) that the decoders here share: markers and their
/// segments, the frame header, Huffman tables (Annex C), and the entropy-coded bits of a scan (F.2.2).
struct JPEGStream {
    let stream: ArraySlice<UInt8>
    /// Names the codec in messages ("lossless JPEG", "extended DCT JPEG").
    let codec: String
    let fail: (String) -> IMATError
    private(set) var position: Int

    /// Starts after the start-of-image marker, which must open the stream.
    init(_ stream: ArraySlice<UInt8>, codec: String, fail: @escaping (String) -> IMATError) throws {
        self.stream = stream
        self.codec = codec
        self.fail = fail
        position = stream.startIndex
        guard stream.count >= 2, stream[position] == 0xFF, stream[position + 1] == 0xD8 else {
            throw fail("\(codec): no start-of-image marker (FFD8)")
        }
        position += 2
    }

    func error(_ problem: String) -> IMATError { fail("\(codec): \(problem)") }

    /// The next marker and its segment (empty for the end-of-image marker).
    mutating func next() throws -> (marker: UInt8, segment: ArraySlice<UInt8>) {
        while position + 1 < stream.endIndex, stream[position] == 0xFF, stream[position + 1] == 0xFF { position += 1 }
        guard position + 1 < stream.endIndex, stream[position] == 0xFF else {
            throw error("truncated, or no marker at byte \(position - stream.startIndex)")
        }
        let marker = stream[position + 1]
        position += 2
        if marker == 0xD9 { return (marker, stream[position..<position]) }
        guard position + 1 < stream.endIndex else { throw error("truncated inside a marker segment") }
        let length = Int(stream[position]) << 8 | Int(stream[position + 1])
        guard length >= 2, position + length <= stream.endIndex else { throw error("a marker segment runs past the end of the stream") }
        defer { position += length }
        return (marker, stream[(position + 2)..<(position + length)])
    }

    /// A frame header (SOFn): its sample precision, after checking it describes the one greyscale frame expected.
    func frame(_ segment: ArraySlice<UInt8>, columns: Int, rows: Int, precisions: ClosedRange<Int>) throws -> Int {
        guard segment.count >= 6 else { throw error("a short frame header") }
        let s = segment.startIndex
        let precision = Int(segment[s])
        let height = Int(segment[s + 1]) << 8 | Int(segment[s + 2]), width = Int(segment[s + 3]) << 8 | Int(segment[s + 4])
        let components = Int(segment[s + 5])
        guard components == 1 else { throw error("\(components) components where a greyscale image has 1") }
        guard width == columns, height == rows else {
            throw error("the stream holds \(width)×\(height) pixels where the DICOM header says \(columns)×\(rows)")
        }
        guard precisions.contains(precision) else { throw error("\(precision)-bit samples, where \(precisions) are read") }
        return precision
    }

    /// Huffman tables of a DHT segment, keyed by their class (0 DC or lossless, 1 AC) times 16 plus their index.
    func huffmanTables(_ segment: ArraySlice<UInt8>, into tables: inout [Int: JPEGHuffmanTable]) throws {
        var cursor = segment.startIndex
        while cursor < segment.endIndex {
            guard cursor + 17 <= segment.endIndex else { throw error("a short Huffman table") }
            let key = Int(segment[cursor] >> 4) * 16 + Int(segment[cursor] & 0x0F)
            let counts = (1...16).map { Int(segment[cursor + $0]) }
            let total = counts.reduce(0, +)
            cursor += 17
            guard cursor + total <= segment.endIndex, total <= 256 else { throw error("a Huffman table runs past its segment") }
            tables[key] = JPEGHuffmanTable(counts: counts, values: Array(segment[cursor..<(cursor + total)]))
            cursor += total
        }
    }

    /// The entropy-coded data that follows the scan header just read.
    var scanBits: JPEGEntropyBits { JPEGEntropyBits(stream: stream, position: position) }
}

/// Canonical Huffman codes from the code-length counts (T.81 Annex C and F.2.2.3).
struct JPEGHuffmanTable {
    var maxCode = [Int](repeating: -1, count: 18)
    var valueOffset = [Int](repeating: 0, count: 17)
    var values: [UInt8]

    init(counts: [Int], values: [UInt8]) {
        self.values = values
        var code = 0, next = 0
        for length in 1...16 {
            valueOffset[length] = next - code
            code += counts[length - 1]
            next += counts[length - 1]
            maxCode[length] = counts[length - 1] > 0 ? code - 1 : -1
            code <<= 1
        }
    }
}

/// The entropy-coded bits of a scan: 0xFF00 is a stuffed 0xFF; any other marker ends the data.
struct JPEGEntropyBits {
    let stream: ArraySlice<UInt8>
    private var position: Int
    private var buffer: UInt64 = 0
    private var count = 0
    private(set) var exhausted = false

    init(stream: ArraySlice<UInt8>, position: Int) {
        self.stream = stream
        self.position = position
    }

    private mutating func fill() {
        while count <= 56, position < stream.endIndex {
            let value = stream[position]
            if value == 0xFF {
                guard position + 1 < stream.endIndex, stream[position + 1] == 0x00 else { return }
                position += 2
            } else {
                position += 1
            }
            buffer |= UInt64(value) << (56 - count)
            count += 8
        }
    }

    mutating func take(_ n: Int) -> Int? {
        if n == 0 { return 0 }
        if count < n { fill() }
        guard count >= n else {
            exhausted = true
            return nil
        }
        let value = Int(buffer >> (64 - n))
        buffer <<= n
        count -= n
        return value
    }

    /// One Huffman-coded symbol.
    mutating func symbol(_ table: JPEGHuffmanTable) -> Int? {
        var code = 0
        for length in 1...16 {
            guard let bit = take(1) else { return nil }
            code = code << 1 | bit
            if code <= table.maxCode[length] {
                let index = table.valueOffset[length] + code
                return index < table.values.count ? Int(table.values[index]) : nil
            }
        }
        return nil
    }

    /// `category` extra bits as a signed value (T.81 F.2.2.1, EXTEND).
    mutating func value(category: Int) -> Int? {
        guard category > 0 else { return 0 }
        guard let extra = take(category) else { return nil }
        return extra < 1 << (category - 1) ? extra - (1 << category) + 1 : extra
    }

    /// At a restart interval's end: drop the partial byte, then expect RSTn (FFD0 + n).
    mutating func restart(expected n: Int) -> Bool {
        buffer = 0
        count = 0
        guard position + 1 < stream.endIndex, stream[position] == 0xFF, stream[position + 1] == 0xD0 + UInt8(n) else { return false }
        position += 2
        return true
    }
}

extension Array where Element == UInt8 {
    /// Stores a decoded sample at sample index `index` as DICOM keeps pixel data: one byte, or two
    /// little-endian bytes.
    @inline(__always)
    mutating func storeSample(_ sample: Int, at index: Int, bytesPerSample: Int) {
        self[index * bytesPerSample] = UInt8(truncatingIfNeeded: sample)
        if bytesPerSample == 2 { self[index * 2 + 1] = UInt8(truncatingIfNeeded: sample >> 8) }
    }
}
