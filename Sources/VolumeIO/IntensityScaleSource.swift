import VolumeCore
/// Where a volume's map from stored to physical values came from. Images whose values are compared with each
/// other (water and fat, in-phase and opposed-phase) must share a source, or their ratios mean nothing.
public enum IntensityScaleSource: String, Sendable, Equatable {
    /// No scaling in the file: the stored values are the values.
    case stored = "stored values (no scaling in the file)"
    /// DICOM RescaleSlope/RescaleIntercept (0028,1053/1052).
    case rescale = "RescaleSlope/RescaleIntercept (0028,1053/1052)"
    /// NIfTI scl_slope/scl_inter.
    case niftiScale = "NIfTI scl_slope/scl_inter"
    /// Philips' RealWorldValueMappingSequence (0040,9096), used where no RescaleSlope is given, as dcm2niix does.
    case realWorldValueMapping = "Philips RealWorldValueMapping (0040,9096)"
    /// Philips floating-point values from the private ScaleSlope (2005,100E): FP = (PV·RS + RI) / (RS·SS),
    /// dcm2niix's default (-p y). Comparable between the series of one scan.
    case philipsFloatingPoint = "Philips floating point: (value × RS + RI) / (RS × private ScaleSlope 2005,100E)"
    /// Philips display values: a RescaleSlope without the private ScaleSlope (removed by an anonymiser, say).
    /// The scanner scales each series to its own display range, so two series do not share a scale.
    case philipsDisplay = "Philips display values (RescaleSlope without the private ScaleSlope 2005,100E)"
}

/// The scaling of one DICOM frame as dcm2niix computes it (nii_dicom.cpp and PhilipsPrecise in nii_dcm2nii.cpp):
/// RescaleSlope/Intercept; for Philips, the Real World Value Mapping where those are absent (slope 1,
/// intercept 0), then the private ScaleSlope turning display values into floating-point values.
struct DICOMVendorScaling {
    var scaling: IntensityScaling
    var source: IntensityScaleSource

    init(rescaleSlope: Double?, rescaleIntercept: Double?, realWorldSlope: Double?, realWorldIntercept: Double?,
         philipsScaleSlope: Double?, isPhilips: Bool) {
        // A zero slope would map every value to the intercept; dcm2niix reads it as 1, and so does this reader.
        var slope = rescaleSlope.flatMap { $0 == 0 ? nil : $0 } ?? 1
        var intercept = rescaleIntercept ?? 0
        var source: IntensityScaleSource = .rescale
        if isPhilips, let realWorldSlope, realWorldSlope != 0, slope == 1 {
            slope = realWorldSlope
            intercept = intercept == 0 ? realWorldIntercept ?? 0 : intercept
            source = .realWorldValueMapping
        }
        if isPhilips, let philipsScaleSlope, philipsScaleSlope != 0, philipsScaleSlope.isFinite {
            let denominator = slope * philipsScaleSlope
            scaling = IntensityScaling(slope: slope / denominator, intercept: intercept / denominator)
            self.source = .philipsFloatingPoint
            return
        }
        scaling = IntensityScaling(slope: slope, intercept: intercept)
        // Without the private ScaleSlope, a Philips RescaleSlope scales to display values only.
        self.source = scaling.isIdentity ? .stored : (isPhilips && source == .rescale ? .philipsDisplay : source)
    }
}
