import Foundation
import VolumeCore

/// Sequential DCT JPEG with Huffman coding (ITU-T T.81 Annex F, processes 1 and 4) for one greyscale component:
/// the 12-bit samples of DICOM's JPEG Extended (1.2.840.10008.1.2.4.51), which Debian's libjpeg-turbo, built
/// for 8-bit samples, cannot decode. The inverse DCT is computed in double precision and rounded once, so it
/// differs from other decoders' integer transforms by at most a grey level.
enum JPEGDCTDecoder {
    /// Natural (row-major) position of each zig-zag index (T.81 Figure A.6).
    static let zigzag = [0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
                         35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63]

    /// cos((2x + 1)uπ/16) · C(u) / 2, indexed [x * 8 + u].
    static let basis: [Double] = (0..<64).map { k in
        let (x, u) = (k / 8, k % 8)
        return (u == 0 ? 1 / 2.0.squareRoot() : 1) * cos(Double((2 * x + 1) * u) * .pi / 16) / 2
    }

    /// Decodes `stream` into `columns` × `rows` samples of `bytesPerSample` bytes, little endian.
    static func decode(_ stream: ArraySlice<UInt8>, columns: Int, rows: Int, bytesPerSample: Int,
                       fail: @escaping (String) -> IMATError) throws -> [UInt8] {
        var jpeg = try JPEGStream(stream, codec: "extended DCT JPEG", fail: fail)
        var huffman: [Int: JPEGHuffmanTable] = [:]
        var quantization: [Int: [Int]] = [:]
        var precision = 0, quantizationIndex = 0, restartInterval = 0
        while true {
            let (marker, segment) = try jpeg.next()
            let s = segment.startIndex
            switch marker {
            case 0xC0, 0xC1:
                precision = try jpeg.frame(segment, columns: columns, rows: rows, precisions: 8...min(12, 8 * bytesPerSample))
                guard segment.count >= 9 else { throw jpeg.error("a short frame header") }
                quantizationIndex = Int(segment[s + 8])
            case 0xC2...0xCF where marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
                throw jpeg.error(String(format: "marker FF%02X: not a sequential Huffman DCT stream", marker))
            case 0xC4:
                try jpeg.huffmanTables(segment, into: &huffman)
            case 0xDB:
                try readQuantization(segment, into: &quantization, jpeg: jpeg)
            case 0xDD:
                guard segment.count >= 2 else { throw jpeg.error("a short restart interval") }
                restartInterval = Int(segment[s]) << 8 | Int(segment[s + 1])
            case 0xDA:
                guard precision > 0 else { throw jpeg.error("a scan before the frame header") }
                guard segment.count >= 6, segment[s] == 1 else { throw jpeg.error("only single-component scans are read") }
                guard segment[s + 3] == 0, segment[s + 4] == 63, segment[s + 5] == 0 else { throw jpeg.error("not a sequential scan") }
                let dcKey = Int(segment[s + 2] >> 4), acKey = 16 + Int(segment[s + 2] & 0x0F)
                guard let dc = huffman[dcKey], let ac = huffman[acKey] else { throw jpeg.error("the scan uses a Huffman table that is not defined") }
                guard let table = quantization[quantizationIndex] else { throw jpeg.error("quantization table \(quantizationIndex) is not defined") }
                let samples = try decodeScan(jpeg, dc: dc, ac: ac, quantization: table, precision: precision,
                                             restartInterval: restartInterval, columns: columns, rows: rows)
                var output = [UInt8](repeating: 0, count: columns * rows * bytesPerSample)
                for (k, sample) in samples.enumerated() { output.storeSample(sample, at: k, bytesPerSample: bytesPerSample) }
                return output
            case 0xD9:
                throw jpeg.error("the image ends before its scan")
            default:
                break
            }
        }
    }

    /// Quantization tables (DQT, B.2.4.1): 8- or 16-bit values in zig-zag order, stored here in natural order.
    private static func readQuantization(_ segment: ArraySlice<UInt8>, into tables: inout [Int: [Int]], jpeg: JPEGStream) throws {
        var cursor = segment.startIndex
        while cursor < segment.endIndex {
            let wide = segment[cursor] >> 4 == 1, index = Int(segment[cursor] & 0x0F)
            let size = wide ? 128 : 64
            guard cursor + 1 + size <= segment.endIndex else { throw jpeg.error("a quantization table runs past its segment") }
            var table = [Int](repeating: 0, count: 64)
            for k in 0..<64 {
                table[zigzag[k]] = wide ? Int(segment[cursor + 1 + 2 * k]) << 8 | Int(segment[cursor + 2 + 2 * k]) : Int(segment[cursor + 1 + k])
            }
            tables[index] = table
            cursor += 1 + size
        }
    }

    private static func decodeScan(_ jpeg: JPEGStream, dc: JPEGHuffmanTable, ac: JPEGHuffmanTable, quantization: [Int], precision: Int,
                                   restartInterval: Int, columns: Int, rows: Int) throws -> [Int] {
        var bits = jpeg.scanBits
        let blocksAcross = (columns + 7) / 8, blocksDown = (rows + 7) / 8
        var samples = [Int](repeating: 0, count: columns * rows)
        let level = Double(1 << (precision - 1)), maximum = (1 << precision) - 1
        var prediction = 0, restarts = 0
        var coefficients = [Double](repeating: 0, count: 64), rowPass = [Double](repeating: 0, count: 64)
        for block in 0..<(blocksAcross * blocksDown) {
            if restartInterval > 0, block > 0, block % restartInterval == 0 {
                guard bits.restart(expected: restarts % 8) else { throw jpeg.error("restart marker \(restarts % 8) missing before block \(block + 1)") }
                restarts += 1
                prediction = 0
            }
            func broken() -> IMATError {
                jpeg.error(bits.exhausted ? "the data end at block \(block + 1) of \(blocksAcross * blocksDown)" : "an invalid Huffman code in block \(block + 1)")
            }
            for k in 0..<64 { coefficients[k] = 0 }
            guard let category = bits.symbol(dc), category <= 16, let difference = bits.value(category: category) else { throw broken() }
            prediction += difference
            coefficients[0] = Double(prediction * quantization[0])
            var k = 1
            while k < 64 {
                guard let runSize = bits.symbol(ac) else { throw broken() }
                let (run, size) = (runSize >> 4, runSize & 0x0F)
                if size == 0 {
                    if run == 15 { k += 16; continue }
                    break
                }
                k += run
                guard k < 64, let value = bits.value(category: size) else { throw broken() }
                coefficients[zigzag[k]] = Double(value * quantization[zigzag[k]])
                k += 1
            }
            // Separable inverse DCT (A.3.3): rows, then columns.
            for y in 0..<8 {
                for x in 0..<8 {
                    var sum = 0.0
                    for u in 0..<8 { sum += basis[x * 8 + u] * coefficients[y * 8 + u] }
                    rowPass[y * 8 + x] = sum
                }
            }
            let (bx, by) = (block % blocksAcross * 8, block / blocksAcross * 8)
            for x in 0..<8 where bx + x < columns {
                for y in 0..<8 where by + y < rows {
                    var sum = 0.0
                    for v in 0..<8 { sum += basis[y * 8 + v] * rowPass[v * 8 + x] }
                    samples[(by + y) * columns + bx + x] = min(max(Int((sum + level).rounded()), 0), maximum)
                }
            }
        }
        return samples
    }
}
