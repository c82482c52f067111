import Foundation

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
            throw VolumeIOError(path, errno == ENOENT ? "no such file" : "cannot open the file (\(String(cString: strerror(errno))))")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw VolumeIOError(path, "not a regular file")
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
                throw VolumeIOError(path, "cannot read the file (\(String(cString: strerror(errno))))")
            }
            done += n
        }
        return done
    }

    /// Moves the read position `count` bytes forward.
    func skip(_ count: Int) throws {
        guard lseek(descriptor, off_t(count), SEEK_CUR) >= 0 else {
            throw VolumeIOError(path, "cannot seek in the file (\(String(cString: strerror(errno))))")
        }
    }

    /// True when the file starts with the gzip signature 1f 8b (whatever its name says); leaves the position at 0.
    func startsWithGzipSignature() throws -> Bool {
        var signature: (UInt8, UInt8) = (0, 0)
        let n = try withUnsafeMutableBytes(of: &signature) { try read(into: $0) }
        guard lseek(descriptor, 0, SEEK_SET) == 0 else {
            throw VolumeIOError(path, "cannot seek in the file (\(String(cString: strerror(errno))))")
        }
        return n == 2 && signature == (0x1F, 0x8B)
    }
}

/// A file open for writing; errors name `reportedPath` (the final name, not the temporary one written).
final class WritableFile {
    private let reportedPath: String
    private var descriptor: Int32

    init(_ path: String, reportedAs reportedPath: String) throws {
        self.reportedPath = reportedPath
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("cannot create the file") }
    }

    deinit { if descriptor >= 0 { Foundation.close(descriptor) } }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = Foundation.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("cannot write the file")
            }
            done += n
        }
    }

    /// Closes the file, reporting a failed close (the last chance to hear of a full disk).
    func close() throws {
        let status = Foundation.close(descriptor)
        descriptor = -1
        guard status == 0 else { throw failure("cannot write the file") }
    }

    private func failure(_ what: String) -> VolumeIOError {
        VolumeIOError(reportedPath, "\(what) (\(String(cString: strerror(errno))))")
    }
}
