import CZlib
import VolumeCore

/// Compresses bytes into a single gzip member as they are handed over, writing to `file` in 256 KiB blocks.
final class GzipWriter {
    private let file: WritableFile
    private let reportedPath: String
    private let stream: UnsafeMutablePointer<z_stream>
    private let header: UnsafeMutablePointer<gz_header>
    private let output: UnsafeMutableRawBufferPointer

    /// `level` is zlib's 1 (fastest) … 9 (smallest).
    init(_ file: WritableFile, level: Int32, reportedAs reportedPath: String) throws {
        self.file = file
        self.reportedPath = reportedPath
        // zlib keeps pointers to the z_stream and the gzip header until the first output, so neither may move.
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // No name, mtime 0 and a fixed OS byte (3, Unix): the bytes depend only on the data and zlib.
        header = .allocate(capacity: 1)
        header.initialize(to: gz_header())
        header.pointee.os = 3
        output = .allocate(byteCount: 1 << 18, alignment: 16)
        // 15 + 16: a 32 KiB window wrapped as gzip rather than zlib.
        var status = deflateInit2_(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        if status == Z_OK { status = deflateSetHeader(stream, header) }
        guard status == Z_OK else {
            stream.deallocate()
            header.deallocate()
            output.deallocate()
            throw IMATError(reportedPath, "cannot start zlib (error \(status))")
        }
        resetOutput()
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
        header.deallocate()
        output.deallocate()
    }

    /// Compresses `bytes` (read in place, never copied).
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            // avail_in is 32-bit: hand zlib at most 4 GiB at a time.
            let chunk = min(bytes.count - offset, Int(UInt32.max))
            stream.pointee.next_in = UnsafeMutablePointer(mutating: (bytes.baseAddress! + offset).assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = UInt32(chunk)
            while stream.pointee.avail_in > 0 { try deflateStep(Z_NO_FLUSH) }
            offset += chunk
        }
    }

    /// Ends the member (final block, CRC, length) and writes everything still held.
    func finish() throws {
        while try deflateStep(Z_FINISH) != Z_STREAM_END {}
        try flushOutput()
    }

    @discardableResult
    private func deflateStep(_ flush: Int32) throws -> Int32 {
        let status = deflate(stream, flush)
        guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
            throw IMATError(reportedPath, "zlib failed to compress (error \(status))")
        }
        if stream.pointee.avail_out == 0 { try flushOutput() }
        return status
    }

    private func flushOutput() throws {
        let filled = output.count - Int(stream.pointee.avail_out)
        try file.write(UnsafeRawBufferPointer(rebasing: output[0..<filled]))
        resetOutput()
    }

    private func resetOutput() {
        stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(output.count)
    }
}
