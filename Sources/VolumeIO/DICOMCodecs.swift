import CImageCodecs
import VolumeCore

/// Frames of encapsulated pixel data (PS3.5 A.4) handed to the codec their transfer syntax names: OpenJPEG for
/// JPEG 2000, CharLS for JPEG-LS, libjpeg-turbo for 8-bit DCT JPEG, and decoders here for 12-bit DCT JPEG
/// (`JPEGDCTDecoder`) and lossless JPEG (`JPEGLosslessDecoder`), which that libjpeg-turbo lacks.
enum DICOMCodecs {
    static func decode(frame index: Int, of file: DICOMFile, format: DICOMPixelFormat) throws -> [UInt8] {
        let stream = try frameStream(index, of: file)
        let bytesPerSample = format.bitsAllocated / 8
        func fail(_ problem: String) -> IMATError { IMATError(file.path, "frame \(index + 1): \(problem)") }
        switch file.syntax.pixels {
        case .jpegLossless:
            return try JPEGLosslessDecoder.decode(stream, columns: format.columns, rows: format.rows, bytesPerSample: bytesPerSample, fail: fail)
        case .jpeg where format.bitsStored > 8:
            // libjpeg-turbo as Debian builds it reads 8-bit samples only.
            return try JPEGDCTDecoder.decode(stream, columns: format.columns, rows: format.rows, bytesPerSample: bytesPerSample, fail: fail)
        case .jpeg:
            return try library(imat_decode_jpeg, stream, format: format, fail: fail)
        case .jpegLS:
            return try library(imat_decode_jpegls, stream, format: format, fail: fail)
        default:
            return try library(imat_decode_jpeg2000, stream, format: format, fail: fail)
        }
    }

    private typealias LibraryDecoder = (UnsafePointer<UInt8>?, Int, imat_frame_layout, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<CChar>?, Int) -> Int32

    private static func library(_ decoder: LibraryDecoder, _ stream: ArraySlice<UInt8>, format: DICOMPixelFormat,
                                fail: (String) -> IMATError) throws -> [UInt8] {
        let layout = imat_frame_layout(width: format.columns, height: format.rows, bytes_per_sample: Int32(format.bitsAllocated / 8))
        var output = [UInt8](repeating: 0, count: format.bytesPerFrame)
        var message = [CChar](repeating: 0, count: 512)
        let status = stream.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                decoder(source.baseAddress, source.count, layout, target.baseAddress, &message, message.count)
            }
        }
        guard status == 0 else { throw fail(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)) }
        return output
    }

    /// The bytes of one frame's codestream: its fragments, told apart by the basic offset table when a frame
    /// spans several; one fragment per frame otherwise, or all of them for a single-frame image.
    private static func frameStream(_ index: Int, of file: DICOMFile) throws -> ArraySlice<UInt8> {
        let set = file.dataSet
        guard let element = set[.pixelData], let fragments = element.fragments, !fragments.isEmpty else {
            throw IMATError(file.path, "compressed pixel data holds no fragments")
        }
        let frames = set.integer(.numberOfFrames) ?? 1
        let parts: ArraySlice<Range<Int>>
        if frames == 1 {
            parts = fragments[...]
        } else if let starts = offsetTable(element, set: set), starts.count == frames {
            // Offsets count from the first fragment's item tag, 8 bytes before its value.
            let first = fragments[0].lowerBound - 8
            let upper = index + 1 < frames ? starts[index + 1] : Int.max
            parts = fragments.filter { (starts[index]..<upper).contains($0.lowerBound - 8 - first) }[...]
        } else if fragments.count == frames {
            parts = fragments[index...index]
        } else {
            throw IMATError(file.path, "\(fragments.count) fragments for \(frames) frames and no basic offset table to tell them apart")
        }
        guard !parts.isEmpty else { throw IMATError(file.path, "the basic offset table points frame \(index + 1) at no fragment") }
        if parts.count == 1 { return set.bytes[parts[parts.startIndex]] }
        return ArraySlice(parts.flatMap { set.bytes[$0] })
    }

    private static func offsetTable(_ element: DICOMDataSet.Element, set: DICOMDataSet) -> [Int]? {
        let table = set.bytes[element.value]
        guard !table.isEmpty, table.count % 4 == 0 else { return nil }
        let offsets = stride(from: table.startIndex, to: table.endIndex, by: 4).map { k in
            (0..<4).reduce(0) { $0 | Int(table[k + $1]) << (8 * $1) }
        }
        return zip(offsets, offsets.dropFirst()).allSatisfy { $0 < $1 } ? offsets : nil
    }
}
