import Foundation
import VolumeCore

/// The on-disk forms a volume can take.
public enum VolumeFormat: String, Sendable {
    case pngSlices = "PNG slice folder"
    case nifti1 = "NIfTI-1"
    case nifti2 = "NIfTI-2"
    case dicom = "DICOM series"
}

/// What a reader may do: which 4-D volume to take, what spacing to assume, and how large a volume it may allocate.
public struct LoadOptions: Sendable {
    /// For 4-D NIfTI: the volume (index along t) to read.
    public var volumeIndex: Int = 0
    /// Voxel spacing in mm for formats that carry none (PNG); overrides `scan.json`.
    public var spacing: SIMD3<Double>?
    /// Inputs with more voxels than this are refused before anything is allocated.
    public var maxVoxels: Int = 1 << 31
    /// Threads for readers that decode in parallel (PNG slices, DICOM files); the volume is the same for any value.
    public var workers: Int = Parallel.defaultWorkers
    /// For a folder of DICOM files holding several series: the SeriesInstanceUIDs or SeriesNumbers to read;
    /// several are stitched as stations of one acquisition.
    public var series: [String]
    /// How stations stitched from a folder (NIfTI files or DICOM series) combine where they overlap:
    /// blend for images, cut for label masks.
    public var stationOverlap: StationOverlap

    public init(volumeIndex: Int = 0, spacing: SIMD3<Double>? = nil, maxVoxels: Int = 1 << 31,
                workers: Int = Parallel.defaultWorkers, series: [String] = [], stationOverlap: StationOverlap = .blend) {
        self.volumeIndex = volumeIndex
        self.spacing = spacing
        self.maxVoxels = maxVoxels
        self.workers = workers
        self.series = series
        self.stationOverlap = stationOverlap
    }
}

/// A volume as read from disk, with what the reader noticed on the way.
public struct LoadedVolume: Sendable {
    public var volume: Volume
    public var format: VolumeFormat
    /// Things the user should know but that did not stop the read (assumed spacing, colour converted to grey, …).
    public var warnings: [String]
    /// Where `volume.scaling` came from.
    public var scaleSource: IntensityScaleSource

    public init(volume: Volume, format: VolumeFormat, warnings: [String] = [], scaleSource: IntensityScaleSource = .stored) {
        self.volume = volume
        self.format = format
        self.warnings = warnings
        self.scaleSource = scaleSource
    }
}

/// The everyday API: `load` a path in any supported format, `save` a volume by the target's name.
public enum VolumeFile {
    /// Reads a `.nii`/`.nii.gz` file, a folder of PNG slices, a folder of NIfTI files (stations stitched onto
    /// one grid), a folder of DICOM files or one DICOM file.
    public static func load(_ path: String, options: LoadOptions = LoadOptions()) throws -> LoadedVolume {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw IMATError(path, "no such file or folder")
        }
        if isDir.boolValue {
            if isPNGSliceFolder(path) { return try PNGSliceFolder.read(path, options: options) }
            let stations = NIfTIStationFolder.files(in: path)
            return try stations.isEmpty ? DICOMSeries.read(path, options: options) : NIfTIStationFolder.read(stations, folder: path, options: options)
        }
        if isNIfTIPath(path) { return try NIfTI.read(path, options: options) }
        if DICOMSeries.isDICOMFile(path) { return try DICOMSeries.read(path, options: options) }
        throw IMATError(path, "unknown format: expected a .nii or .nii.gz file, a DICOM file, or a folder of PNG slices or DICOM files")
    }

    /// Whether `path` would load, without keeping its voxels: a NIfTI file's voxel data are inflated through a small
    /// buffer (the stream and its CRC checked as `load` does); other formats are loaded and let go. The warnings
    /// `load` would give; throws what `load` would throw.
    public static func check(_ path: String, options: LoadOptions = LoadOptions()) throws -> [String] {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue, isNIfTIPath(path) {
            return try NIfTIReader.check(path, options: options)
        }
        return try load(path, options: options).warnings
    }

    /// A folder is read as PNG slices when it holds any .png file, else as NIfTI stations when it holds any
    /// .nii or .nii.gz file, else as DICOM.
    static func isPNGSliceFolder(_ path: String) -> Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).contains { $0.lowercased().hasSuffix(".png") }
    }

    /// Writes `volume` as NIfTI-1 when `path` ends in .nii or .nii.gz, else as a folder of PNG slices;
    /// the output appears complete or not at all.
    public static func save(_ volume: Volume, to path: String) throws {
        if isNIfTIPath(path) {
            try NIfTI.write(volume, to: path)
        } else {
            try PNGSliceFolder.write(volume, to: path)
        }
    }

    public static func isNIfTIPath(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".nii") || lower.hasSuffix(".nii.gz")
    }
}
