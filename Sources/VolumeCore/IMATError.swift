import Foundation

/// A problem for the person running IMATKit, worded for them and naming what it concerns: the file they
/// named (the usual case), the command-line argument or setting that is wrong, or, for a model that cannot be
/// fitted to the data given, nothing but the problem. Every module reports user errors with it, so the
/// command line prints them all the same way and a batch can sort them.
public struct IMATError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Subject: Equatable, Sendable {
        case file
        /// A command-line argument, option value or setting, quoted as given.
        case argument
        /// The data as a whole (a model that cannot be fitted to them); `path` is empty.
        case data
    }

    /// The file the problem concerns, or the argument as given; empty for `.data`.
    public var path: String
    public var problem: String
    public var subject: Subject
    /// The errno behind a failed system call, when there was one: a batch tells a full disk (ENOSPC), which
    /// no other participant can get past either, from a problem with one participant's files.
    public var systemError: Int32?

    public init(_ path: String, _ problem: String, systemError: Int32? = nil) {
        self.path = path
        self.problem = problem
        self.subject = .file
        self.systemError = systemError
    }

    /// A problem with an argument or setting rather than a file.
    public init(argument: String, _ problem: String) {
        self.init(argument, problem)
        subject = .argument
    }

    /// A problem with the data as a whole rather than with one file or argument.
    public init(data problem: String) {
        self.init("", problem)
        subject = .data
    }

    /// `what` followed by the system's wording of `errno`, which is kept in `systemError`.
    public static func system(_ path: String, _ what: String, errno code: Int32 = errno) -> IMATError {
        IMATError(path, "\(what) (\(String(cString: strerror(code))))", systemError: code)
    }

    /// True when the storage written to has no room left (full disk or quota) or refuses writes altogether.
    public var isOutputStorageExhausted: Bool {
        guard let systemError else { return false }
        return [ENOSPC, EDQUOT, EROFS].contains(systemError)
    }

    public var description: String { subject == .data ? problem : "\(path): \(problem)" }
}
