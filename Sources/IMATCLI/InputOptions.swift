import ArgumentParser
import Foundation
import VolumeCore
import VolumeIO

/// Options every command that reads volumes shares.
struct InputOptions: ParsableArguments {
    @Option(name: .customLong("spacing"), parsing: .upToNextOption,
            help: "Voxel spacing in mm (x y z) for inputs that carry none, such as PNG slices; overrides scan.json.")
    var spacing: [Double] = []

    @Option(name: .customLong("volume"), help: "For 4-D NIfTI: the volume to read (0-based).")
    var volumeIndex: Int = 0

    @Option(name: .customLong("max-voxels"), help: "Refuse inputs with more voxels than this.")
    var maxVoxels: Int = 1 << 31

    @Option(name: .customLong("series"),
            help: "For a DICOM folder holding several series: the SeriesNumber or SeriesInstanceUID to read; repeat it to stitch several series as stations.")
    var series: [String] = []

    @Option(name: .customLong("station-overlap"),
            help: "Where stations of a whole-body acquisition overlap: blend (images) or cut in the middle (label masks).")
    var stationOverlap: StationOverlap = .blend

    func validate() throws {
        try validateGeometry(spacing: spacing, maxVoxels: maxVoxels)
        guard volumeIndex >= 0 else { throw ValidationError("--volume must be 0 or more") }
    }

    func loadOptions() -> LoadOptions {
        LoadOptions(volumeIndex: volumeIndex,
                    spacing: spacing.count == 3 ? SIMD3(spacing[0], spacing[1], spacing[2]) : nil,
                    maxVoxels: maxVoxels, series: series, stationOverlap: stationOverlap)
    }
}

extension StationOverlap: ExpressibleByArgument {}

/// The checks of --spacing and --max-voxels, shared by every command that takes them.
func validateGeometry(spacing: [Double], maxVoxels: Int) throws {
    guard spacing.isEmpty || (spacing.count == 3 && spacing.allSatisfy { $0 > 0 && $0.isFinite }) else {
        throw ValidationError("--spacing takes three positive numbers (x y z, in mm)")
    }
    guard maxVoxels > 0 else { throw ValidationError("--max-voxels must be positive") }
}

/// Warnings go to stderr, prefixed so they stand apart from results on stdout.
func printWarning(_ message: String) {
    FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
}
