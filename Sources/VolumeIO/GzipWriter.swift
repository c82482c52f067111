import CIsal
import VolumeCore

/// Compresses bytes into a single gzip member as they are handed over, with ISA-L's igzip, writing to
/// `file` in 256 KiB blocks. The header is igzip's generic one (no name, mtime 0, OS 255): the bytes depend
/// only on the data, the level and igzip.
final class GzipWriter {
    private let file: WritableFile
    private let reportedPath: String
    private let stream: UnsafeMutablePointer<isal_zstream>
    private let levelBuffer: UnsafeMutableRawBufferPointer
    private let output: UnsafeMutableRawBufferPointer

    /// `level` is igzip's 0 (fastest) … 3 (smallest).
    init(_ file: WritableFile, level: Int, reportedAs reportedPath: String) throws {
        guard (0...3).contains(level) else { throw IMATError(reportedPath, "igzip has no compression level \(level)") }
        self.file = file
        self.reportedPath = reportedPath
        // igzip keeps pointers into the stream state, so it must not move: it lives on the heap.
        stream = .allocate(capacity: 1)
        stream.initialize(to: isal_zstream())
        let bufferSize = withUnsafePointer(to: imat_isal_level_buffer_sizes) {
            $0.withMemoryRebound(to: UInt32.self, capacity: 4) { Int($0[level]) }
        }
        levelBuffer = .allocate(byteCount: max(bufferSize, 1), alignment: 16)
        output = .allocate(byteCount: 1 << 18, alignment: 16)
        isal_deflate_init(stream)
        stream.pointee.level = UInt32(level)
        stream.pointee.level_buf = levelBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.pointee.level_buf_size = UInt32(bufferSize)
        stream.pointee.gzip_flag = UInt16(IGZIP_GZIP)
        resetOutput()
    }

    deinit {
        stream.deallocate()
        levelBuffer.deallocate()
        output.deallocate()
    }

    /// Compresses `bytes` (read in place, never copied).
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            // avail_in is 32-bit: hand igzip at most 4 GiB at a time.
            let chunk = min(bytes.count - offset, Int(UInt32.max))
            stream.pointee.next_in = UnsafeMutablePointer(mutating: (bytes.baseAddress! + offset).assumingMemoryBound(to: UInt8.self))
            stream.pointee.avail_in = UInt32(chunk)
            while stream.pointee.avail_in > 0 { try deflateStep() }
            offset += chunk
        }
    }

    /// Ends the member (final block, CRC, length) and writes everything still held.
    func finish() throws {
        stream.pointee.end_of_stream = 1
        while stream.pointee.internal_state.state != ZSTATE_END { try deflateStep() }
        try flushOutput()
    }

    private func deflateStep() throws {
        let status = imat_isal_deflate(stream)
        guard status == COMP_OK else { throw IMATError(reportedPath, "igzip failed to compress (error \(status))") }
        if stream.pointee.avail_out == 0 { try flushOutput() }
    }

    private func flushOutput() throws {
        let filled = output.count - Int(stream.pointee.avail_out)
        try file.write(UnsafeRawBufferPointer(rebasing: output[0..<filled]))
        resetOutput()
    }

    private func resetOutput() {
        stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_out = UInt32(output.count)
    }
}
