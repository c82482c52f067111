/// Lossless JPEG (ITU-T T.81 Annex H, process 14): Huffman-coded differences from a predicted neighbour, as DICOM
/// stores it under 1.2.840.10008.1.2.4.57 (any predictor) and .70 (predictor 1). libjpeg-turbo before 3.0 has no
/// lossless decoder, hence this one. Greyscale only: one component, one scan.
struct JPEGLosslessDecoder {
    private let stream: ArraySlice<UInt8>
    private let fail: (String) -> VolumeIOError
    private var position: Int

    /// Decodes `stream` into `columns` × `rows` samples of `bytesPerSample` bytes, little endian.
    static func decode(_ stream: ArraySlice<UInt8>, columns: Int, rows: Int, bytesPerSample: Int,
                       fail: @escaping (String) -> VolumeIOError) throws -> [UInt8] {
        var decoder = JPEGLosslessDecoder(stream: stream, fail: fail, position: stream.startIndex)
        return try decoder.decode(columns: columns, rows: rows, bytesPerSample: bytesPerSample)
    }

    private mutating func decode(columns: Int, rows: Int, bytesPerSample: Int) throws -> [UInt8] {
        guard byte(0) == 0xFF, byte(1) == 0xD8 else { throw fail("lossless JPEG: no start-of-image marker (FFD8)") }
        position += 2
        var tables: [Int: HuffmanTable] = [:]
        var precision = 0
        var restartInterval = 0
        while true {
            let marker = try nextMarker()
            let segment = try segmentBody()
            switch marker {
            case 0xC3:
                guard segment.count >= 6 else { throw fail("lossless JPEG: a short frame header") }
                precision = Int(segment[segment.startIndex])
                let height = Int(segment[segment.startIndex + 1]) << 8 | Int(segment[segment.startIndex + 2])
                let width = Int(segment[segment.startIndex + 3]) << 8 | Int(segment[segment.startIndex + 4])
                let components = Int(segment[segment.startIndex + 5])
                guard components == 1 else { throw fail("lossless JPEG: \(components) components where a greyscale image has 1") }
                guard width == columns, height == rows else {
                    throw fail("lossless JPEG: the stream holds \(width)×\(height) pixels where the DICOM header says \(columns)×\(rows)")
                }
                guard (2...8 * bytesPerSample).contains(precision) else {
                    throw fail("lossless JPEG: \(precision)-bit samples do not fit \(8 * bytesPerSample)-bit pixels")
                }
            case 0xC0...0xCF where marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
                throw fail(String(format: "JPEG marker FF%02X: not a lossless (process 14) stream", marker))
            case 0xC4:
                try readHuffmanTables(segment, into: &tables)
            case 0xDD:
                guard segment.count >= 2 else { throw fail("lossless JPEG: a short restart interval") }
                restartInterval = Int(segment[segment.startIndex]) << 8 | Int(segment[segment.startIndex + 1])
            case 0xDA:
                guard precision > 0 else { throw fail("lossless JPEG: a scan before the frame header") }
                guard segment.count >= 6, segment[segment.startIndex] == 1 else { throw fail("lossless JPEG: only single-component scans are read") }
                let tableIndex = Int(segment[segment.startIndex + 2] >> 4)
                guard let table = tables[tableIndex] else { throw fail("lossless JPEG: the scan uses Huffman table \(tableIndex), which is not defined") }
                let predictor = Int(segment[segment.startIndex + 3])
                let pointTransform = Int(segment[segment.startIndex + 5] & 0x0F)
                guard (1...7).contains(predictor) else { throw fail("lossless JPEG: predictor \(predictor) is not one of 1–7") }
                guard pointTransform < precision else { throw fail("lossless JPEG: point transform \(pointTransform) for \(precision)-bit samples") }
                guard restartInterval == 0 || restartInterval % columns == 0 else {
                    throw fail("lossless JPEG: a restart interval of \(restartInterval) samples is not a whole number of \(columns)-sample rows")
                }
                return try decodeScan(table: table, predictor: predictor, precision: precision, pointTransform: pointTransform,
                                      restartRows: restartInterval / columns, columns: columns, rows: rows, bytesPerSample: bytesPerSample)
            case 0xD9:
                throw fail("lossless JPEG: the image ends before its scan")
            default:
                break // APPn, COM, DQT and others carry nothing the samples need.
            }
        }
    }

    private func byte(_ offset: Int) -> UInt8? {
        let index = position + offset
        return index < stream.endIndex ? stream[index] : nil
    }

    private mutating func nextMarker() throws -> UInt8 {
        while let value = byte(0), value == 0xFF, let next = byte(1), next == 0xFF { position += 1 }
        guard byte(0) == 0xFF, let marker = byte(1) else { throw fail("lossless JPEG: truncated, or no marker at byte \(position - stream.startIndex)") }
        position += 2
        return marker
    }

    private mutating func segmentBody() throws -> ArraySlice<UInt8> {
        guard let high = byte(0), let low = byte(1) else { throw fail("lossless JPEG: truncated inside a marker segment") }
        let length = Int(high) << 8 | Int(low)
        guard length >= 2, position + length <= stream.endIndex else { throw fail("lossless JPEG: a marker segment runs past the end of the stream") }
        defer { position += length }
        return stream[(position + 2)..<(position + length)]
    }

    /// Canonical Huffman codes from the code-length counts (T.81 Annex C and F.2.2.3).
    private func readHuffmanTables(_ segment: ArraySlice<UInt8>, into tables: inout [Int: HuffmanTable]) throws {
        var cursor = segment.startIndex
        while cursor < segment.endIndex {
            guard cursor + 17 <= segment.endIndex else { throw fail("lossless JPEG: a short Huffman table") }
            let index = Int(segment[cursor] & 0x0F)
            let counts = (1...16).map { Int(segment[cursor + $0]) }
            let total = counts.reduce(0, +)
            cursor += 17
            guard cursor + total <= segment.endIndex, total <= 256 else { throw fail("lossless JPEG: a Huffman table runs past its segment") }
            var table = HuffmanTable()
            table.values = Array(segment[cursor..<(cursor + total)])
            var code = 0, next = 0
            for length in 1...16 {
                table.valueOffset[length] = next - code
                code += counts[length - 1]
                next += counts[length - 1]
                table.maxCode[length] = counts[length - 1] > 0 ? code - 1 : -1
                code <<= 1
            }
            tables[index] = table
            cursor += total
        }
    }

    private mutating func decodeScan(table: HuffmanTable, predictor: Int, precision: Int, pointTransform: Int, restartRows: Int,
                                     columns: Int, rows: Int, bytesPerSample: Int) throws -> [UInt8] {
        var bits = EntropyBits(stream: stream, position: position)
        var output = [UInt8](repeating: 0, count: columns * rows * bytesPerSample)
        var previousRow = [Int](repeating: 0, count: columns), currentRow = [Int](repeating: 0, count: columns)
        let mask = (1 << precision) - 1
        let initial = 1 << (precision - pointTransform - 1)
        var restartsSeen = 0
        for row in 0..<rows {
            let intervalStart = row == 0 || (restartRows > 0 && row % restartRows == 0)
            if row > 0 && intervalStart {
                guard bits.restart(expected: restartsSeen % 8) else { throw fail("lossless JPEG: restart marker \(restartsSeen % 8) missing before row \(row + 1)") }
                restartsSeen += 1
            }
            for column in 0..<columns {
                let prediction: Int
                if column == 0 {
                    prediction = intervalStart ? initial : previousRow[0]
                } else if intervalStart {
                    prediction = currentRow[column - 1]
                } else {
                    let a = currentRow[column - 1], b = previousRow[column], c = previousRow[column - 1]
                    switch predictor {
                    case 1: prediction = a
                    case 2: prediction = b
                    case 3: prediction = c
                    case 4: prediction = a + b - c
                    case 5: prediction = a + ((b - c) >> 1)
                    case 6: prediction = b + ((a - c) >> 1)
                    default: prediction = (a + b) >> 1
                    }
                }
                guard let difference = bits.difference(table) else {
                    throw fail(bits.exhausted ? "lossless JPEG: the data end at row \(row + 1) of \(rows)" : "lossless JPEG: an invalid Huffman code at row \(row + 1)")
                }
                let value = (prediction + difference) & 0xFFFF & (mask >> pointTransform)
                currentRow[column] = value
                let sample = value << pointTransform
                let at = (row * columns + column) * bytesPerSample
                output[at] = UInt8(truncatingIfNeeded: sample)
                if bytesPerSample == 2 { output[at + 1] = UInt8(truncatingIfNeeded: sample >> 8) }
            }
            swap(&previousRow, &currentRow)
        }
        return output
    }
}

/// The entropy-coded bits of a scan: 0xFF00 is a stuffed 0xFF; any other marker ends the data.
private struct EntropyBits {
    let stream: ArraySlice<UInt8>
    var position: Int
    private var buffer: UInt64 = 0
    private var count = 0
    private(set) var exhausted = false
    private var atMarker = false

    init(stream: ArraySlice<UInt8>, position: Int) {
        self.stream = stream
        self.position = position
    }

    private mutating func fill() {
        while count <= 56 {
            guard !atMarker, position < stream.endIndex else { return }
            let value = stream[position]
            if value == 0xFF {
                guard position + 1 < stream.endIndex, stream[position + 1] == 0x00 else {
                    atMarker = true
                    return
                }
                position += 2
            } else {
                position += 1
            }
            buffer |= UInt64(value) << (56 - count)
            count += 8
        }
    }

    private mutating func take(_ n: Int) -> Int? {
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

    /// One Huffman-coded category and its extra bits (T.81 F.2.2.1; category 16 is 32768 with no extra bits, H.1.2.2).
    mutating func difference(_ table: HuffmanTable) -> Int? {
        var code = 0
        for length in 1...16 {
            guard let bit = take(1) else { return nil }
            code = code << 1 | bit
            guard code > table.maxCode[length] else {
                let index = table.valueOffset[length] + code
                guard index < table.values.count else { return nil }
                let category = Int(table.values[index])
                if category == 0 { return 0 }
                if category == 16 { return 32768 }
                guard category < 16, let extra = take(category) else { return nil }
                return extra < 1 << (category - 1) ? extra - (1 << category) + 1 : extra
            }
        }
        return nil
    }

    /// At a restart interval's end: drop the partial byte, then expect RSTn (FFD0 + n).
    mutating func restart(expected n: Int) -> Bool {
        buffer = 0
        count = 0
        guard position + 1 < stream.endIndex, stream[position] == 0xFF, stream[position + 1] == 0xD0 + UInt8(n) else { return false }
        position += 2
        atMarker = false
        return true
    }
}

private struct HuffmanTable {
    var maxCode = [Int](repeating: -1, count: 18)
    var valueOffset = [Int](repeating: 0, count: 17)
    var values: [UInt8] = []
}
