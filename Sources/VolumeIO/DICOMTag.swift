import VolumeCore
/// A DICOM attribute tag (group, element), and the few attributes this reader uses with their VRs (PS3.6),
/// which implicit-VR files do not carry.
struct DICOMTag: Hashable, Comparable, CustomStringConvertible {
    var group: UInt16
    var element: UInt16

    init(_ group: UInt16, _ element: UInt16) {
        self.group = group
        self.element = element
    }

    static func < (a: DICOMTag, b: DICOMTag) -> Bool { (a.group, a.element) < (b.group, b.element) }

    var description: String { "(" + hex(group) + "," + hex(element) + ")" }

    private func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// Value representations (PS3.5 §6.2); the raw value is the two ASCII letters as written.
    enum VR: String {
        case AE, AS, AT, CS, DA, DS, DT, FL, FD, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV, TM, UC, UI, UL, UN, UR, US, UT, UV

        /// VRs whose explicit encoding has two reserved bytes and a 32-bit length (PS3.5 Table 7.1-1).
        var hasLongLength: Bool {
            switch self {
            case .OB, .OD, .OF, .OL, .OV, .OW, .SQ, .SV, .UC, .UN, .UR, .UT, .UV: true
            default: false
            }
        }
    }

    // File meta information (group 0002).
    static let transferSyntaxUID = DICOMTag(0x0002, 0x0010)
    // Identification and series.
    static let sopClassUID = DICOMTag(0x0008, 0x0016)
    static let modality = DICOMTag(0x0008, 0x0060)
    static let seriesDescription = DICOMTag(0x0008, 0x103E)
    static let seriesInstanceUID = DICOMTag(0x0020, 0x000E)
    static let seriesNumber = DICOMTag(0x0020, 0x0011)
    static let instanceNumber = DICOMTag(0x0020, 0x0013)
    // Geometry.
    static let mrAcquisitionType = DICOMTag(0x0018, 0x0023)
    static let sliceThickness = DICOMTag(0x0018, 0x0050)
    static let spacingBetweenSlices = DICOMTag(0x0018, 0x0088)
    static let imagePositionPatient = DICOMTag(0x0020, 0x0032)
    static let imageOrientationPatient = DICOMTag(0x0020, 0x0037)
    static let pixelSpacing = DICOMTag(0x0028, 0x0030)
    // Image pixel module.
    static let samplesPerPixel = DICOMTag(0x0028, 0x0002)
    static let photometricInterpretation = DICOMTag(0x0028, 0x0004)
    static let numberOfFrames = DICOMTag(0x0028, 0x0008)
    static let rows = DICOMTag(0x0028, 0x0010)
    static let columns = DICOMTag(0x0028, 0x0011)
    static let bitsAllocated = DICOMTag(0x0028, 0x0100)
    static let bitsStored = DICOMTag(0x0028, 0x0101)
    static let highBit = DICOMTag(0x0028, 0x0102)
    static let pixelRepresentation = DICOMTag(0x0028, 0x0103)
    static let rescaleIntercept = DICOMTag(0x0028, 0x1052)
    static let rescaleSlope = DICOMTag(0x0028, 0x1053)
    static let pixelData = DICOMTag(0x7FE0, 0x0010)
    // Vendor scaling (dcm2niix applies both for Philips): Real World Value Mapping (PS3.3 C.7.6.16.2.11) and the
    // private ScaleSlope of block 0x10 reserved by "Philips MR Imaging DD 001" (per frame inside 2005,140F).
    static let manufacturer = DICOMTag(0x0008, 0x0070)
    static let realWorldValueMapping = DICOMTag(0x0040, 0x9096)
    static let realWorldValueIntercept = DICOMTag(0x0040, 0x9224)
    static let realWorldValueSlope = DICOMTag(0x0040, 0x9225)
    static let philipsPrivateCreator = DICOMTag(0x2005, 0x0010)
    static let philipsScaleSlope = DICOMTag(0x2005, 0x100E)
    static let philipsPerFrame = DICOMTag(0x2005, 0x140F)
    // Enhanced multi-frame functional groups (PS3.3 C.7.6.16).
    static let sharedFunctionalGroups = DICOMTag(0x5200, 0x9229)
    static let perFrameFunctionalGroups = DICOMTag(0x5200, 0x9230)
    static let pixelMeasures = DICOMTag(0x0028, 0x9110)
    static let planePosition = DICOMTag(0x0020, 0x9113)
    static let planeOrientation = DICOMTag(0x0020, 0x9116)
    static let pixelValueTransformation = DICOMTag(0x0028, 0x9145)
    // Items and delimiters (PS3.5 §7.5), always in implicit form.
    static let item = DICOMTag(0xFFFE, 0xE000)
    static let itemDelimitation = DICOMTag(0xFFFE, 0xE00D)
    static let sequenceDelimitation = DICOMTag(0xFFFE, 0xE0DD)

    /// The VRs of the attributes read, for implicit-VR data sets.
    static let dictionary: [DICOMTag: VR] = [
        transferSyntaxUID: .UI, sopClassUID: .UI, mrAcquisitionType: .CS, modality: .CS, seriesDescription: .LO, seriesInstanceUID: .UI,
        seriesNumber: .IS, instanceNumber: .IS, sliceThickness: .DS, spacingBetweenSlices: .DS,
        imagePositionPatient: .DS, imageOrientationPatient: .DS, pixelSpacing: .DS, samplesPerPixel: .US,
        photometricInterpretation: .CS, numberOfFrames: .IS, rows: .US, columns: .US, bitsAllocated: .US,
        bitsStored: .US, highBit: .US, pixelRepresentation: .US, rescaleIntercept: .DS, rescaleSlope: .DS,
        pixelData: .OW, sharedFunctionalGroups: .SQ, perFrameFunctionalGroups: .SQ, pixelMeasures: .SQ,
        planePosition: .SQ, planeOrientation: .SQ, pixelValueTransformation: .SQ,
        manufacturer: .LO, realWorldValueMapping: .SQ, realWorldValueIntercept: .FD, realWorldValueSlope: .FD,
        philipsPrivateCreator: .LO, philipsScaleSlope: .FL, philipsPerFrame: .SQ,
    ]
}
