import Foundation
import Testing
import VolumeCore
import VolumeIO

/// Checks that the reader returned `expected`: the grid, the stored values and their scaling.
func expectSameVolume(_ actual: Volume, _ expected: Volume, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.dimensions == expected.dimensions, sourceLocation: sourceLocation)
    #expect(actual.storage == expected.storage, "stored values differ", sourceLocation: sourceLocation)
    #expect(actual.scaling == expected.scaling, sourceLocation: sourceLocation)
    #expect(actual.affine.isClose(to: expected.affine, tolerance: 1e-6), "\(actual.affine) ≠ \(expected.affine)",
            sourceLocation: sourceLocation)
    #expect(length(actual.spacing - expected.spacing) < 1e-9, "\(actual.spacing) ≠ \(expected.spacing)",
            sourceLocation: sourceLocation)
}

/// The IMATError loading `path` throws, checking that it names one of `files` (by default `path` itself):
/// as its path, or by name in its message when the path is the folder holding it.
@discardableResult
func loadingError(_ path: String, options: LoadOptions = LoadOptions(), namingOneOf files: [String]? = nil,
                  sourceLocation: SourceLocation = #_sourceLocation) throws -> IMATError {
    let error = try #require(throws: IMATError.self, sourceLocation: sourceLocation) {
        try VolumeFile.load(path, options: options)
    }
    let candidates = files ?? [path]
    #expect(candidates.contains { error.path == $0 || error.problem.contains(($0 as NSString).lastPathComponent) },
            "\(error) names none of \(candidates)", sourceLocation: sourceLocation)
    return error
}

/// Writes `bytes` to `name` in `folder` and returns the path.
@discardableResult
func writeFile(_ bytes: [UInt8], in folder: URL, named name: String) throws -> String {
    let path = folder.appendingPathComponent(name).path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}
