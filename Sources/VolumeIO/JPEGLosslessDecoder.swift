import VolumeCore
/// Lossless JPEG (ITU-T T.81 Annex H, process 14): Huffman-coded differences from a predicted neighbour, as DICOM
/// stores it under 1.2.840.10008.1.2.4.57 (any predictor) and .70 (predictor 1). libjpeg-turbo before 3.0 has no
/// lossless decoder, hence this one. Greyscale only: one component, one scan.
enum JPEGLosslessDecoder {
    /// Decodes `stream` into `columns` × `rows` samples of `bytesPerSample` bytes, little endian.
    static func decode(_ stream: ArraySlice<UInt8>, columns: Int, rows: Int, bytesPerSample: Int,
                       fail: @escaping (String) -> IMATError) throws -> [UInt8] {
        var jpeg = try JPEGStream(stream, codec: "lossless JPEG", fail: fail)
        var tables: [Int: JPEGHuffmanTable] = [:]
        var precision = 0
        var restartInterval = 0
        while true {
            let (marker, segment) = try jpeg.next()
            switch marker {
            case 0xC3:
                precision = try jpeg.frame(segment, columns: columns, rows: rows, precisions: 2...(8 * bytesPerSample))
            case 0xC0...0xCF where marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
                throw jpeg.error(String(format: "marker FF%02X: not a lossless (process 14) stream", marker))
            case 0xC4:
                try jpeg.huffmanTables(segment, into: &tables)
            case 0xDD:
                guard segment.count >= 2 else { throw jpeg.error("a short restart interval") }
                restartInterval = Int(segment[segment.startIndex]) << 8 | Int(segment[segment.startIndex + 1])
            case 0xDA:
                guard precision > 0 else { throw jpeg.error("a scan before the frame header") }
                guard segment.count >= 6, segment[segment.startIndex] == 1 else { throw jpeg.error("only single-component scans are read") }
                let tableIndex = Int(segment[segment.startIndex + 2] >> 4)
                guard let table = tables[tableIndex] else { throw jpeg.error("the scan uses Huffman table \(tableIndex), which is not defined") }
                let predictor = Int(segment[segment.startIndex + 3])
                let pointTransform = Int(segment[segment.startIndex + 5] & 0x0F)
                guard (1...7).contains(predictor) else { throw jpeg.error("predictor \(predictor) is not one of 1–7") }
                guard pointTransform < precision else { throw jpeg.error("point transform \(pointTransform) for \(precision)-bit samples") }
                guard restartInterval == 0 || restartInterval % columns == 0 else {
                    throw jpeg.error("a restart interval of \(restartInterval) samples is not a whole number of \(columns)-sample rows")
                }
                return try decodeScan(jpeg, table: table, predictor: predictor, precision: precision, pointTransform: pointTransform,
                                      restartRows: restartInterval / columns, columns: columns, rows: rows, bytesPerSample: bytesPerSample)
            case 0xD9:
                throw jpeg.error("the image ends before its scan")
            default:
                break // APPn, COM, DQT and others carry nothing the samples need.
            }
        }
    }

    private static func decodeScan(_ jpeg: JPEGStream, table: JPEGHuffmanTable, predictor: Int, precision: Int, pointTransform: Int,
                                   restartRows: Int, columns: Int, rows: Int, bytesPerSample: Int) throws -> [UInt8] {
        var bits = jpeg.scanBits
        var output = [UInt8](repeating: 0, count: columns * rows * bytesPerSample)
        var previousRow = [Int](repeating: 0, count: columns), currentRow = [Int](repeating: 0, count: columns)
        let mask = (1 << precision) - 1
        let initial = 1 << (precision - pointTransform - 1)
        var restartsSeen = 0
        for row in 0..<rows {
            let intervalStart = row == 0 || (restartRows > 0 && row % restartRows == 0)
            if row > 0 && intervalStart {
                guard bits.restart(expected: restartsSeen % 8) else { throw jpeg.error("restart marker \(restartsSeen % 8) missing before row \(row + 1)") }
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
                // Category 16 is 32768 with no extra bits (H.1.2.2).
                guard let category = bits.symbol(table), category <= 16,
                      let difference = category == 16 ? 32768 : bits.value(category: category) else {
                    throw jpeg.error(bits.exhausted ? "the data end at row \(row + 1) of \(rows)" : "an invalid Huffman code at row \(row + 1)")
                }
                let value = (prediction + difference) & 0xFFFF & (mask >> pointTransform)
                currentRow[column] = value
                output.storeSample(value << pointTransform, at: row * columns + column, bytesPerSample: bytesPerSample)
            }
            swap(&previousRow, &currentRow)
        }
        return output
    }
}
