import Foundation
import VolumeCore

/// A file open for reading through its descriptor, so bytes land directly in the caller's buffer.
final class ReadableFile {
    let path: String
    private let descriptor: Int32
    /// The file's size in bytes when it was opened.
    let size: Int

    init(_ path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw errno == ENOENT ? IMATError(path, "no such file") : IMATError.system(path, "cannot open the file")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw IMATError(path, "not a regular file")
        }
        size = Int(status.st_size)
    }

    deinit { close(descriptor) }

    /// Fills `buffer` from the current position; returns the bytes read, fewer only at the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = Foundation.read(descriptor, buffer.baseAddress! + done, buffer.count - done)
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw IMATError.system(path, "cannot read the file")
            }
            done += n
        }
        return done
    }

    /// Moves the read position `count` bytes forward.
    func skip(_ count: Int) throws {
        guard lseek(descriptor, off_t(count), SEEK_CUR) >= 0 else {
            throw IMATError.system(path, "cannot seek in the file")
        }
    }

    /// True when the file starts with the gzip signature 1f 8b (whatever its name says); leaves the position at 0.
    func startsWithGzipSignature() throws -> Bool {
        var signature: (UInt8, UInt8) = (0, 0)
        let n = try withUnsafeMutableBytes(of: &signature) { try read(into: $0) }
        guard lseek(descriptor, 0, SEEK_SET) == 0 else {
            throw IMATError.system(path, "cannot seek in the file")
        }
        return n == 2 && signature == (0x1F, 0x8B)
    }
}
