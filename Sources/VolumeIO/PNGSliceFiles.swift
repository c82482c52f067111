import Foundation
import VolumeCore

/// Which files of a folder are its slices, and in which order; the names the writer gives them.
enum PNGSliceFiles {
    /// The visible `.png` files (any case) of `folder`, in natural order, as full paths.
    static func list(_ folder: String) throws -> [String] {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: folder, isDirectory: &isFolder) else { throw IMATError(folder, "no such folder") }
        guard isFolder.boolValue else { throw IMATError(folder, "not a folder: expected a folder of PNG slices") }
        let names: [String]
        do { names = try fm.contentsOfDirectory(atPath: folder) } catch {
            throw IMATError(folder, "cannot list the folder (\(error.localizedDescription))")
        }
        let visible = names.filter { !$0.hasPrefix(".") }
        guard !visible.isEmpty else { throw IMATError(folder, "the folder is empty: expected PNG slices") }
        let paths = visible.filter { $0.lowercased().hasSuffix(".png") }
            .sorted(by: naturalOrder)
            .map { (folder as NSString).appendingPathComponent($0) }
            .filter { fm.fileExists(atPath: $0, isDirectory: &isFolder) && !isFolder.boolValue }
        guard !paths.isEmpty else {
            throw IMATError(folder, "no PNG slices (*.png) in the folder, only \(visible.count) other file(s)")
        }
        return paths
    }

    /// Natural order: runs of digits compare by their numeric value (`slice_2` before `slice_10`), everything
    /// else byte by byte (UTF-8); names that tie that way (`s01`, `s1`) fall back to plain byte order, so the
    /// order is total and the same on every machine.
    static func naturalOrder(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var i = 0, j = 0
        while i < x.count && j < y.count {
            guard isDigit(x[i]) && isDigit(y[j]) else {
                if x[i] != y[j] { return x[i] < y[j] }
                i += 1
                j += 1
                continue
            }
            let (xDigits, xEnd) = significantDigits(x, from: i)
            let (yDigits, yEnd) = significantDigits(y, from: j)
            // Without leading zeros, a longer run is a larger number; equal lengths compare digit by digit.
            if xDigits.count != yDigits.count { return xDigits.count < yDigits.count }
            if xDigits != yDigits { return xDigits.lexicographicallyPrecedes(yDigits) }
            i = xEnd
            j = yEnd
        }
        if i < x.count || j < y.count { return i == x.count }  // a name that is a prefix of the other comes first
        return x.lexicographicallyPrecedes(y)
    }

    /// Slice file names for `count` slices: `slice_0000.png`, … zero-padded to at least four digits.
    static func names(count: Int) -> [String] {
        let width = max(4, String(max(count - 1, 0)).count)
        return (0..<count).map { k in
            let digits = String(k)
            return "slice_" + String(repeating: "0", count: width - digits.count) + digits + ".png"
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// The digit run starting at `start` without its leading zeros, and the index just past the run.
    private static func significantDigits(_ bytes: [UInt8], from start: Int) -> (ArraySlice<UInt8>, Int) {
        var end = start
        while end < bytes.count && isDigit(bytes[end]) { end += 1 }
        var first = start
        while first < end && bytes[first] == UInt8(ascii: "0") { first += 1 }
        return (bytes[first..<end], end)
    }
}
