import CIsal
import VolumeCore

/// A .nii.gz as a byte source: ISA-L's igzip inflates the file in one streaming pass straight into the
/// caller's buffers, across concatenated gzip members (as `cat a.gz b.gz` makes), without a decompressed
/// copy, checking each member's CRC-32 and length.
final class GzipReader: NIfTIByteSource {
    /// Deflate's best case: a 258-byte match coded in about 2 bits, so no stream inflates more than 1032-fold
    /// (zlib technical details, "Maximum expansion factor").
    static let maximumRatio = 1032

    private let file: ReadableFile
    private let stream: UnsafeMutablePointer<inflate_state>
    private let input: UnsafeMutableRawBufferPointer
    private var scratch: UnsafeMutableRawBufferPointer?
    private var fileEnded = false
    /// Set once the last member's end marker and CRC have been read.
    private var streamEnded = false

    init(_ file: ReadableFile) throws {
        self.file = file
        // The state is large (tens of KiB) and holds pointers into itself: it lives on the heap.
        stream = .allocate(capacity: 1)
        stream.initialize(to: inflate_state())
        input = .allocate(byteCount: 1 << 18, alignment: 16)
        startMember()
    }

    deinit {
        stream.deallocate()
        input.deallocate()
        scratch?.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var produced = 0
        while produced < buffer.count, !streamEnded {
            if stream.pointee.avail_in == 0, !fileEnded { try refill() }
            // avail_out is 32-bit: hand igzip at most 4 GiB at a time.
            let chunk = min(buffer.count - produced, Int(UInt32.max))
            stream.pointee.next_out = (buffer.baseAddress! + produced).assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_out = UInt32(chunk)
            let status = imat_isal_inflate(stream)
            let made = chunk - Int(stream.pointee.avail_out)
            produced += made
            guard status == ISAL_DECOMP_OK || status == ISAL_END_INPUT || status == ISAL_OUT_OVERFLOW else {
                throw corruption(status)
            }
            if stream.pointee.block_state == ISAL_BLOCK_FINISH {
                try startNextMemberOrEnd()
            } else if made == 0, stream.pointee.avail_in == 0, fileEnded {
                // No progress and no input left: the stream is cut short.
                return produced
            }
        }
        return produced
    }

    func skip(_ count: Int, what: String) throws {
        let buffer = scratchBuffer()
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
            throw IMATError(file.path, "header claims \(claimedBytes) bytes of voxel data from offset \(dataOffset), but a gzip file of \(file.size) bytes holds at most \(capacity) (deflate's maximum ratio is 1032:1)")
        }
    }

    func shortfall(expected: Int, got: Int, of what: String) -> IMATError {
        IMATError(file.path, "truncated gzip stream: expected \(expected) bytes of \(what), got \(got)")
    }

    func finish(remaining: Int) throws -> Int {
        let buffer = scratchBuffer()
        var following = 0
        while !streamEnded {
            let got = try read(into: buffer)
            guard got > 0 else { break }
            following += got
        }
        guard streamEnded else {
            throw IMATError(file.path, "truncated gzip stream: it ends before the gzip trailer (CRC and length)")
        }
        return following - remaining
    }

    /// Where skipped and surplus bytes are inflated to, allocated on first use.
    private func scratchBuffer() -> UnsafeMutableRawBufferPointer {
        let buffer = scratch ?? .allocate(byteCount: 1 << 16, alignment: 16)
        scratch = buffer
        return buffer
    }

    /// After a member's end: a further member starts with the gzip signature; anything else ends the stream
    /// (gzip ignores trailing garbage too).
    private func startNextMemberOrEnd() throws {
        if stream.pointee.avail_in < 2, !fileEnded { try refill() }
        let next = stream.pointee.next_in
        if stream.pointee.avail_in >= 2, next![0] == 0x1F, next![1] == 0x8B {
            let (pending, count) = (stream.pointee.next_in, stream.pointee.avail_in)
            startMember()
            (stream.pointee.next_in, stream.pointee.avail_in) = (pending, count)
        } else {
            streamEnded = true
        }
    }

    /// A fresh inflate for one gzip member: igzip parses its header and checks its trailer (CRC-32, length).
    private func startMember() {
        isal_inflate_init(stream)
        stream.pointee.crc_flag = UInt32(ISAL_GZIP)
    }

    /// Tops up the input buffer from the file, keeping bytes igzip has not consumed yet.
    private func refill() throws {
        let kept = Int(stream.pointee.avail_in)
        if kept > 0 { input.baseAddress!.copyMemory(from: stream.pointee.next_in, byteCount: kept) }
        let room = UnsafeMutableRawBufferPointer(rebasing: input[kept...])
        let got = try file.read(into: room)
        fileEnded = got < room.count
        stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_in = UInt32(kept + got)
    }

    private func corruption(_ status: Int32) -> IMATError {
        let detail: String
        switch status {
        case ISAL_INCORRECT_CHECKSUM: detail = "incorrect data check"
        case ISAL_INVALID_BLOCK: detail = "invalid block type or lengths"
        case ISAL_INVALID_SYMBOL: detail = "invalid code"
        case ISAL_INVALID_LOOKBACK: detail = "invalid distance too far back"
        case ISAL_INVALID_WRAPPER: detail = "incorrect header check"
        case ISAL_UNSUPPORTED_METHOD: detail = "unknown compression method"
        case ISAL_NEED_DICT: detail = "it asks for a preset dictionary"
        default: detail = "igzip error \(status)"
        }
        return IMATError(file.path, "corrupt gzip stream (\(detail))")
    }
}
