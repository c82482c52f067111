import Foundation

/// Reads and writes volumes as folders of PNG slices (one file per z), through libpng.
public enum PNGSliceFolder {
    public static func read(_ folder: String, options: LoadOptions) throws -> LoadedVolume {
        throw VolumeIOError(folder, "PNG reading is not implemented yet")
    }

    public static func write(_ volume: Volume, to folder: String) throws {
        throw VolumeIOError(folder, "PNG writing is not implemented yet")
    }
}
