import CZlib
import VolumeCore

/// A .nii.gz as a byte source: zlib inflates the file in one streaming pass straight into the caller's
/// buffers, across concatenated gzip members (as `cat a.gz b.gz` makes), without a decompressed copy.
final class GzipReader: NIfTIByteSource {
    /// Deflate's best case: a 258-byte match coded in about 2 bits, so no stream inflates more than 1032-fold
    /// (zlib technical details, "Maximum expansion factor").
    static let maximumRatio = 1032

    private let file: ReadableFile
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var scratch: UnsafeMutableRawBufferPointer?
    private var fileEnded = false
    /// Set once the last member's end marker and CRC have been read.
    private var streamEnded = false

    init(_ file: ReadableFile) throws {
        self.file = file
        // zlib keeps a pointer back to the z_stream, so it must not move: it lives on the heap.
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(byteCount: 1 << 18, alignment: 16)
        // 15 + 32: a 32 KiB window, and zlib parses the gzip wrapper itself and checks each member's CRC.
        let status = inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            input.deallocate()
            throw IMATError(file.path, "cannot start zlib (error \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        input.deallocate()
        scratch?.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var produced = 0
        while produced < buffer.count, !streamEnded {
            if stream.pointee.avail_in == 0, !fileEnded { try refill() }
            // avail_out is 32-bit: hand zlib at most 4 GiB at a time.
            let chunk = min(buffer.count - produced, Int(UInt32.max))
            stream.pointee.next_out = (buffer.baseAddress! + produced).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = UInt32(chunk)
            let status = inflate(stream, Z_NO_FLUSH)
            produced += chunk - Int(stream.pointee.avail_out)
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                try startNextMemberOrEnd()
            case Z_BUF_ERROR where stream.pointee.avail_in == 0:
                // No progress without more input: if the file has none left, the stream is cut short.
                if fileEnded { return produced }
            default:
                throw corruption(status)
            }
        }
        return produced
    }

    func skip(_ count: Int, what: String) throws {
        let buffer = scratch ?? .allocate(byteCount: 1 << 16, alignment: 16)
        scratch = buffer
        var skipped = 0
        while skipped < count {
            let want = min(count - skipped, buffer.count)
            let got = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]))
            skipped += got
            guard got == want else { throw shortfall(expected: count, got: skipped, of: what) }
        }
    }

    func checkCapacity(claimedBytes: Int, dataOffset: Int) throws {
        let (capacity, overflow) = file.size.multipliedReportingOverflow(by: Self.maximumRatio)
        guard !overflow else { return }
        guard dataOffset <= capacity, claimedBytes <= capacity - dataOffset else {
            throw IMATError(file.path, "header claims \(claimedBytes) bytes of voxel data from offset \(dataOffset), but a gzip file of \(file.size) bytes holds at most \(capacity) (zlib's maximum ratio is 1032:1)")
        }
    }

    func shortfall(expected: Int, got: Int, of what: String) -> IMATError {
        IMATError(file.path, "truncated gzip stream: expected \(expected) bytes of \(what), got \(got)")
    }

    /// If the data read was the end of the stream, reads the member's trailer so that zlib checks its CRC;
    /// more data after it (later volumes of a 4-D file) is left unread.
    func finish() throws {
        var next: UInt8 = 0
        let got = try withUnsafeMutableBytes(of: &next) { try read(into: $0) }
        guard got > 0 || streamEnded else {
            throw IMATError(file.path, "truncated gzip stream: it ends before the gzip trailer (CRC and length)")
        }
    }

    /// After a member's end: a further member starts with the gzip signature; anything else ends the stream
    /// (gzip ignores trailing garbage too).
    private func startNextMemberOrEnd() throws {
        if stream.pointee.avail_in < 2, !fileEnded { try refill() }
        let next = stream.pointee.next_in
        if stream.pointee.avail_in >= 2, next![0] == 0x1F, next![1] == 0x8B {
            inflateReset(stream)
        } else {
            streamEnded = true
        }
    }

    /// Tops up the input buffer from the file, keeping bytes zlib has not consumed yet.
    private func refill() throws {
        let kept = Int(stream.pointee.avail_in)
        if kept > 0 { input.baseAddress!.copyMemory(from: stream.pointee.next_in, byteCount: kept) }
        let room = UnsafeMutableRawBufferPointer(rebasing: input[kept...])
        let got = try file.read(into: room)
        fileEnded = got < room.count
        stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = UInt32(kept + got)
    }

    private func corruption(_ status: Int32) -> IMATError {
        switch status {
        case Z_MEM_ERROR: return IMATError(file.path, "out of memory while inflating the gzip stream")
        case Z_NEED_DICT: return IMATError(file.path, "corrupt gzip stream (it asks for a preset dictionary)")
        default:
            let detail = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            return IMATError(file.path, "corrupt gzip stream (\(detail))")
        }
    }
}
