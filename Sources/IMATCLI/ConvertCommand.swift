import ArgumentParser
import VolumeCore
import VolumeIO

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a volume (NIfTI, DICOM, PNG slices) to .nii, .nii.gz or a folder of PNG slices, values unchanged.",
        discussion: """
        The output format follows OUT: a name ending in .nii or .nii.gz is written as NIfTI-1, anything \
        else as a folder of PNG slices. Values are written as read; when the input carries a scale \
        (DICOM RescaleSlope/Intercept, Philips real-world or floating-point scaling, NIfTI \
        scl_slope/scl_inter; `imat info` says which) the scaled values are written as float32.
        """
    )

    @Argument(help: "Input: a .nii/.nii.gz file, a DICOM file, or a folder of PNG slices, NIfTI stations or DICOM files.")
    var input: String

    @Argument(help: "Output: a .nii/.nii.gz file or a folder for PNG slices.")
    var output: String

    @OptionGroup var options: InputOptions

    func run() throws {
        let loaded = try VolumeFile.load(input, options: options.loadOptions())
        for warning in loaded.warnings { printWarning("\(input): \(warning)") }
        var volume = loaded.volume
        if !volume.scaling.isIdentity {
            volume = Volume(dimensions: volume.dimensions, spacing: volume.spacing, affine: volume.affine,
                            storage: .float32(volume.floatValues()))
        }
        try VolumeFile.save(volume, to: output)
    }
}
