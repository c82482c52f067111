import VolumeCore
/// Reads NIfTI-1/-2 (.nii, .nii.gz) and writes NIfTI-1.
public enum NIfTI {
    /// Reads one 3-D volume (for 4-D files, `options.volumeIndex`) with its affine (sform, else qform,
    /// else nibabel's fallback), spacing (|pixdim[1...3]|) and scl_slope/scl_inter.
    public static func read(_ path: String, options: LoadOptions) throws -> LoadedVolume {
        try NIfTIReader.read(path, options: options)
    }

    /// Writes a NIfTI-1 file, gzip-compressed when `path` ends in .gz; the file appears complete or not at all.
    public static func write(_ volume: Volume, to path: String) throws {
        try NIfTIWriter.write(volume, to: path)
    }

    /// Writes a volume of `grid` whose voxels (unscaled, host byte order) `produce` hands to its argument in voxel
    /// order a part at a time, so that the whole never has to be in memory; as complete or not at all.
    public static func write(grid: VoxelGrid, voxelType: VoxelType, to path: String,
                             produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        try NIfTIWriter.write(grid: grid, voxelType: voxelType, scaling: .identity, to: path, produce: produce)
    }
}
