import Foundation
import VolumeCore

/// A problem with one input or output file, worded for the person who named the file.
public struct VolumeIOError: Error, CustomStringConvertible, Equatable, Sendable {
    public var path: String
    public var problem: String
    /// The errno behind a failed system call, when there was one: a batch tells a full disk (ENOSPC), which
    /// no other participant can get past either, from a problem with one participant's files.
    public var systemError: Int32?

    public init(_ path: String, _ problem: String, systemError: Int32? = nil) {
        self.path = path
        self.problem = problem
        self.systemError = systemError
    }

    /// `what` followed by the system's wording of `errno`, which is kept in `systemError`.
    public static func system(_ path: String, _ what: String, errno code: Int32 = errno) -> VolumeIOError {
        VolumeIOError(path, "\(what) (\(String(cString: strerror(code))))", systemError: code)
    }

    /// True when the storage written to has no room left (full disk or quota) or refuses writes altogether.
    public var isOutputStorageExhausted: Bool {
        guard let systemError else { return false }
        return [ENOSPC, EDQUOT, EROFS].contains(systemError)
    }

    public var description: String { "\(path): \(problem)" }
}
