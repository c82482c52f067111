import Foundation

/// The files below `folder`, searched recursively (symbolic links followed), hidden ones and those in hidden
/// folders skipped, each as `folder` + "/" + its relative path, sorted so that nothing depends on the order
/// the file system lists them in.
package func regularFiles(under folder: String) throws -> [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: folder) else { throw IMATError(folder, "cannot list the folder") }
    var files: [String] = []
    while let relative = enumerator.nextObject() as? String {
        guard !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { continue }
        let path = (folder as NSString).appendingPathComponent(relative)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue { files.append(path) }
    }
    return files.sorted()
}
