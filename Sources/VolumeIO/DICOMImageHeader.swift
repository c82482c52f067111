import VolumeCore
/// What one DICOM image file says about its series, pixels and the geometry of each of its frames: from the
/// top-level attributes for a single-frame image, from the functional groups for an enhanced multi-frame one
/// (PS3.3 C.7.6.16; a per-frame group overrides the shared one).
struct DICOMImageHeader {
    struct Frame {
        var file: Int
        var index: Int
        var position: SIMD3<Double>?
        var orientation: [Double]?
        /// PixelSpacing: between rows, then between columns (mm).
        var pixelSpacing: [Double]?
        var rescale: IntensityScaling
        var scaleSource: IntensityScaleSource
    }

    var path: String
    var seriesUID: String
    var seriesNumber: Int?
    var seriesDescription: String
    var format: DICOMPixelFormat
    var frames: [Frame]
    /// MRAcquisitionType "3D": dcm2niix then stores the volume closest to RAS, and so does this reader.
    var isThreeDimensionalAcquisition: Bool
    /// SpacingBetweenSlices, else SliceThickness: used only where positions cannot give the slice step.
    var nominalSliceStep: Double?

    /// Nil for a DICOM object that is no image (a DICOMDIR, a report, a presentation state: no Rows).
    init?(_ file: DICOMFile, fileIndex: Int) throws {
        let set = file.dataSet
        guard set[.rows] != nil else { return nil }
        path = file.path
        seriesUID = set.string(.seriesInstanceUID) ?? ""
        seriesNumber = set.integer(.seriesNumber)
        seriesDescription = set.string(.seriesDescription) ?? ""
        format = try DICOMPixelFormat(set, path: file.path)
        isThreeDimensionalAcquisition = set.string(.mrAcquisitionType) == "3D"
        guard set[.pixelData] != nil else { throw IMATError(file.path, "no pixel data (7FE0,0010): the image holds no pixels") }
        nominalSliceStep = (set.numbers(.spacingBetweenSlices)?.first ?? set.numbers(.sliceThickness)?.first).flatMap { $0 > 0 ? $0 : nil }

        let count = set.integer(.numberOfFrames) ?? 1
        guard count >= 1 else { throw IMATError(file.path, "NumberOfFrames is \(count)") }
        try Self.checkPixelDataCanHold(count, format: format, file: file)
        let shared = set.item(.sharedFunctionalGroups)
        let isPhilips = (set.string(.manufacturer) ?? "").lowercased().contains("philips")
        // The private ScaleSlope counts only where its block is Philips' (or, stripped of its creator, in a Philips file).
        let philipsBlock = set.string(.philipsPrivateCreator).map { $0.hasPrefix("Philips") } ?? true
        let perFrame = set[.perFrameFunctionalGroups]?.items ?? []
        if !perFrame.isEmpty && perFrame.count != count {
            throw IMATError(file.path, "\(perFrame.count) per-frame functional groups for \(count) frames")
        }
        frames = (0..<count).map { k in
            // The per-frame group, else the shared group, else the top level.
            func value(_ macro: DICOMTag, _ tag: DICOMTag) -> [Double]? {
                if !perFrame.isEmpty, let found = perFrame[k].item(macro)?.numbers(tag) { return found }
                return shared?.item(macro)?.numbers(tag) ?? set.numbers(tag)
            }
            let position = value(.planePosition, .imagePositionPatient).flatMap { $0.count == 3 ? SIMD3($0[0], $0[1], $0[2]) : nil }
            // The mapping and Philips' private group sit directly in the frame's functional groups.
            func item(_ tag: DICOMTag) -> DICOMDataSet? {
                (perFrame.isEmpty ? nil : perFrame[k].item(tag)) ?? shared?.item(tag) ?? set.item(tag)
            }
            let philipsSlope = isPhilips && philipsBlock ? (item(.philipsPerFrame)?.numbers(.philipsScaleSlope) ?? set.numbers(.philipsScaleSlope))?.first : nil
            let mapping = item(.realWorldValueMapping)
            let vendor = DICOMVendorScaling(rescaleSlope: value(.pixelValueTransformation, .rescaleSlope)?.first,
                                            rescaleIntercept: value(.pixelValueTransformation, .rescaleIntercept)?.first,
                                            realWorldSlope: mapping?.numbers(.realWorldValueSlope)?.first,
                                            realWorldIntercept: mapping?.numbers(.realWorldValueIntercept)?.first,
                                            philipsScaleSlope: philipsSlope, isPhilips: isPhilips)
            return Frame(file: fileIndex, index: k, position: position,
                         orientation: value(.planeOrientation, .imageOrientationPatient),
                         pixelSpacing: value(.pixelMeasures, .pixelSpacing),
                         rescale: vendor.scaling, scaleSource: vendor.source)
        }
    }

    /// A header may claim any number of frames: it is believed only as far as the bytes in the file can hold them.
    private static func checkPixelDataCanHold(_ frames: Int, format: DICOMPixelFormat, file: DICOMFile) throws {
        guard let element = file.dataSet[.pixelData] else { return }
        switch file.syntax.pixels {
        case .native:
            let needed = frames.multipliedReportingOverflow(by: format.bytesPerFrame)
            guard !needed.overflow, element.value.count >= needed.partialValue else {
                throw IMATError(file.path, "pixel data holds \(element.value.count) bytes; \(frames) frame(s) of \(format.columns)×\(format.rows) at \(format.bitsAllocated) bits need \(needed.overflow ? "more" : String(needed.partialValue))")
            }
        case .rle:
            let fragments = element.fragments ?? []
            guard fragments.count >= frames else {
                throw IMATError(file.path, "RLE pixel data holds \(fragments.count) fragment(s) for \(frames) frame(s)")
            }
            // PackBits expands at most 64-fold (two bytes code a run of 128), so a short fragment cannot hold a large frame.
            for (k, fragment) in fragments.prefix(frames).enumerated() where fragment.count * 64 < format.bytesPerFrame {
                throw IMATError(file.path, "RLE frame \(k + 1) of \(fragment.count) bytes cannot hold \(format.columns)×\(format.rows) pixels")
            }
        case .jpeg, .jpegLossless, .jpegLS, .jpeg2000:
            // Each codec checks its stream's dimensions against the header before it writes a pixel.
            guard let fragments = element.fragments, !fragments.isEmpty else {
                throw IMATError(file.path, "compressed pixel data holds no fragments")
            }
        case .unsupported:
            break
        }
    }
}
