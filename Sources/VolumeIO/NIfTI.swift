import Foundation

/// Reads NIfTI-1/-2 (.nii, .nii.gz) and writes NIfTI-1.
public enum NIfTI {
    public static func read(_ path: String, options: LoadOptions) throws -> LoadedVolume {
        throw VolumeIOError(path, "NIfTI reading is not implemented yet")
    }

    public static func write(_ volume: Volume, to path: String) throws {
        throw VolumeIOError(path, "NIfTI writing is not implemented yet")
    }
}
