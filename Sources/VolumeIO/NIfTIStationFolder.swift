import Foundation
import VolumeCore

/// A folder of NIfTI files, one per station of a whole-body acquisition (`water/station1.nii.gz`,
/// `water/station2.nii.gz`, …), read as one volume stitched by the files' affines. One file alone is that volume.
enum NIfTIStationFolder {
    /// The `.nii`/`.nii.gz` files directly in `folder` (hidden ones skipped), by name.
    static func files(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { !$0.hasPrefix(".") && VolumeFile.isNIfTIPath($0) }.sorted()
            .map { (folder as NSString).appendingPathComponent($0) }
    }

    static func read(_ files: [String], folder: String, options: LoadOptions) throws -> LoadedVolume {
        if files.count == 1 { return try NIfTI.read(files[0], options: options) }
        var stations: [Station] = [], warnings: [String] = [], format = VolumeFormat.nifti1
        for file in files {
            let loaded = try NIfTI.read(file, options: options)
            stations.append(Station(name: file, volume: loaded.volume))
            warnings += loaded.warnings.map { "\((file as NSString).lastPathComponent): \($0)" }
            if loaded.format == .nifti2 { format = .nifti2 }
        }
        let stitched = try StationStitching.stitch(stations, overlap: options.stationOverlap, maxVoxels: options.maxVoxels, folder: folder)
        return LoadedVolume(volume: stitched.volume, format: format, warnings: warnings + [stitched.summary])
    }
}
