import VolumeCore
/// Where the bytes of a NIfTI file come from: the file itself (.nii) or its gzip stream (.nii.gz).
protocol NIfTIByteSource: AnyObject {
    /// Fills `buffer` with the next bytes; returns how many it got, fewer only where the data ends.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Passes over the next `count` bytes (extensions, earlier volumes); `what` names them should they be missing.
    func skip(_ count: Int, what: String) throws
    /// Refuses, before anything is allocated, a header that claims more bytes than this file can hold.
    func checkCapacity(claimedBytes: Int, dataOffset: Int) throws
    /// The error for data that ended after `got` of the `expected` bytes of `what`.
    func shortfall(expected: Int, got: Int, of what: String) -> IMATError
    /// After the volume read: reads on to the end of the file, checking what the format can check (every gzip
    /// member's CRC and length, so that a corrupt stream is never taken for a shorter or longer one), and
    /// returns how many bytes follow the `remaining` bytes of later volumes the header declares (negative when
    /// the data end before them).
    func finish(remaining: Int) throws -> Int
}

extension NIfTIByteSource {
    /// Fills `buffer` completely or throws `shortfall`.
    func readExactly(into buffer: UnsafeMutableRawBufferPointer, what: String) throws {
        let got = try read(into: buffer)
        guard got == buffer.count else { throw shortfall(expected: buffer.count, got: got, of: what) }
    }
}

/// An uncompressed .nii: reads go straight from the file into the destination.
final class PlainNIfTISource: NIfTIByteSource {
    private let file: ReadableFile
    private var position = 0

    init(_ file: ReadableFile) { self.file = file }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let got = try file.read(into: buffer)
        position += got
        return got
    }

    func skip(_ count: Int, what: String) throws {
        guard position + count <= file.size else {
            throw shortfall(expected: count, got: max(0, file.size - position), of: what)
        }
        try file.skip(count)
        position += count
    }

    func checkCapacity(claimedBytes: Int, dataOffset: Int) throws {
        guard dataOffset <= file.size, claimedBytes <= file.size - dataOffset else {
            throw IMATError(file.path, "header claims \(claimedBytes) bytes of voxel data from offset \(dataOffset), but the file holds only \(file.size) bytes")
        }
    }

    func shortfall(expected: Int, got: Int, of what: String) -> IMATError {
        IMATError(file.path, "file too short: expected \(expected) bytes of \(what), got \(got)")
    }

    func finish(remaining: Int) throws -> Int {
        file.size - position - remaining
    }
}
