import Foundation
import VolumeCore

/// A file open for writing; errors name `reportedPath` (the final name, not the temporary one written).
public final class WritableFile {
    private let reportedPath: String
    private var descriptor: Int32

    init(_ path: String, reportedAs reportedPath: String) throws {
        self.reportedPath = reportedPath
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("cannot create the file") }
    }

    /// Writes `data` to `path` in full (no temporary name: callers write into a folder that is itself renamed
    /// into place); errors name `reportedPath` and keep the errno.
    public static func write(_ data: Data, to path: String, reportedAs reportedPath: String) throws {
        let file = try WritableFile(path, reportedAs: reportedPath)
        try data.withUnsafeBytes { try file.write($0) }
        try file.close()
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

    private func failure(_ what: String) -> IMATError {
        IMATError.system(reportedPath, what)
    }
}
