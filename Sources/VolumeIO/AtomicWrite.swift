import Foundation
import VolumeCore

/// Writes that are complete or absent: everything goes to a hidden temporary name beside the
/// target and is renamed into place only when it was written in full.
public enum AtomicWrite {
    /// A temporary path in the same folder as `path` (so the final rename stays on one file system).
    static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let name = ".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Writes `data` to `path` through a temporary file and a rename.
    public static func write(_ data: Data, to path: String) throws {
        try produce(path) { tmp in try WritableFile.write(data, to: tmp, reportedAs: path) }
    }

    /// Runs `body` with a temporary path (file or folder) and renames it to `path` when `body`
    /// returns; if `body` throws, the temporary output is removed and `path` is left untouched.
    public static func produce(_ path: String, _ body: (String) throws -> Void) throws {
        let fm = FileManager.default
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !fm.fileExists(atPath: parent) {
            do { try fm.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
                throw IMATError(path, "cannot create the folder \(parent)")
            }
        }
        let tmp = temporaryPath(for: path)
        do {
            try body(tmp)
            try replace(path, with: tmp)
        } catch {
            try? fm.removeItem(atPath: tmp)
            throw error
        }
    }

    /// Moves `tmp` over `path`: a file is replaced by rename(2); an existing folder is moved aside first.
    static func replace(_ path: String, with tmp: String) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            let old = temporaryPath(for: path)
            guard rename(path, old) == 0 else { throw IMATError.system(path, "cannot replace the existing folder") }
            guard rename(tmp, path) == 0 else {
                _ = rename(old, path)
                throw IMATError.system(path, "cannot move the new output into place")
            }
            try? fm.removeItem(atPath: old)
        } else {
            guard rename(tmp, path) == 0 else {
                throw IMATError.system(path, "cannot move the new output into place")
            }
        }
    }
}
