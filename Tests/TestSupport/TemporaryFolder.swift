import Foundation

/// A fresh temporary folder, removed when the test's scope ends.
public final class TemporaryFolder {
    public let path: String

    public init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("imat-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public var url: URL { URL(fileURLWithPath: path) }

    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A fresh folder under the system's temporary folder, removed when `body` returns.
public func withTemporaryFolder<R>(_ body: (URL) throws -> R) throws -> R {
    let folder = try TemporaryFolder()
    return try body(folder.url)
}

/// `withTemporaryFolder` for code that works with path strings.
public func withTemporaryPath<R>(_ body: (String) throws -> R) throws -> R {
    let folder = try TemporaryFolder()
    return try body(folder.path)
}
