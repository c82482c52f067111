import Foundation
import VolumeCore

/// A text file's contents as UTF-8, inflated first when the file is gzip-compressed (told by its signature,
/// whatever its name), every gzip member's CRC and length checked.
public enum TextFile {
    public static func read(_ path: String) throws -> String {
        let file = try ReadableFile(path)
        let data: Data
        if try file.startsWithGzipSignature() {
            let reader = try GzipReader(file)
            data = try readAll(reader.read(into:))
            _ = try reader.finish(remaining: 0)
        } else {
            data = try readAll(file.read(into:))
        }
        guard let text = String(data: data, encoding: .utf8) else { throw IMATError(path, "is not UTF-8 text") }
        return text
    }

    /// Calls `read` until it returns less than it was offered, which both sources do only at their end.
    private static func readAll(_ read: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> Data {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let got = try chunk.withUnsafeMutableBytes { try read($0) }
            data.append(contentsOf: chunk[..<got])
            if got < chunk.count { return data }
        }
    }
}
