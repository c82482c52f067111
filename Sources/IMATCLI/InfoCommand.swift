import ArgumentParser
import Foundation
import VolumeCore
import VolumeIO

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print a volume's dimensions, spacing, datatype, scaling and where it came from, intensity range and orientation."
    )

    @Argument(help: "A .nii/.nii.gz file, a DICOM file, or a folder of PNG slices or DICOM files (several series are listed).")
    var paths: [String]

    @OptionGroup var input: InputOptions

    func run() throws {
        for path in paths {
            let loaded: LoadedVolume
            do { loaded = try VolumeFile.load(path, options: input.loadOptions()) } catch {
                // A DICOM folder of several series is not an error here: info lists them (scanned only in this case).
                guard input.series.isEmpty, let series = try? DICOMSeries.list(in: path), series.count > 1 else { throw error }
                print(path + "\n" + series.map { "  \($0.summary)" }.joined(separator: "\n"))
                continue
            }
            print(VolumeSummary(path: path, loaded: loaded).text)
            for warning in loaded.warnings { printWarning("\(path): \(warning)") }
        }
    }
}

/// What `imat info` prints about one volume.
struct VolumeSummary {
    var path: String
    var loaded: LoadedVolume

    var text: String {
        let v = loaded.volume
        let values = v.doubleValues()
        var low = Double.infinity, high = -Double.infinity
        for x in values { low = min(low, x); high = max(high, x) }
        let spacing = [v.spacing.x, v.spacing.y, v.spacing.z].map { String(format: "%.4g", $0) }.joined(separator: " × ")
        var lines = [
            path,
            "  format       \(loaded.format.rawValue)",
            "  dimensions   \(v.dimensions) (\(v.voxelCount) voxels)",
            "  spacing      \(spacing) mm",
            "  datatype     \(v.voxelType.rawValue)",
            "  range        \(format(low)) … \(format(high))",
            "  orientation  \(v.affine.orientationCode)",
            "  affine       \(v.affine)",
        ]
        if !v.scaling.isIdentity {
            lines.insert("  scaling      value × \(v.scaling.slope) + \(v.scaling.intercept), from \(loaded.scaleSource.rawValue)", at: 5)
        }
        return lines.joined(separator: "\n")
    }

    private func format(_ x: Double) -> String { x.isFinite ? String(format: "%g", x) : "n/a" }
}
