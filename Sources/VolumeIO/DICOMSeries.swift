import Foundation
import VolumeCore

/// One series found in a folder of DICOM files.
public struct DICOMSeriesInfo: Sendable, Equatable, CustomStringConvertible {
    public var uid: String
    public var number: Int?
    public var description: String
    public var files: Int
    public var slices: Int
    /// ImageOrientationPatient and PixelSpacing of the first slice, which tell stations from other series.
    var orientation: [Double]? = nil
    var pixelSpacing: [Double]? = nil

    public var summary: String {
        "series \(number.map(String.init) ?? "-") \"\(description)\" (\(uid), \(files) file(s), \(slices) slice(s))"
    }

    /// The name a station goes by in messages.
    var stationName: String { "series \(number.map(String.init) ?? "-") (\(uid))" }

    /// True when `series` may be stations of one acquisition (NAKO and UK Biobank export one series per table
    /// position): one SeriesDescription, one orientation and one pixel spacing. Whether their slabs meet is
    /// checked when they are stitched.
    package static func mayBeStations(_ series: [DICOMSeriesInfo]) -> Bool {
        guard let first = series.first else { return false }
        func close(_ a: [Double]?, _ b: [Double]?) -> Bool {
            guard let a, let b else { return a == nil && b == nil }
            return a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-3 }
        }
        return series.allSatisfy {
            $0.description == first.description && close($0.orientation, first.orientation) && close($0.pixelSpacing, first.pixelSpacing)
        }
    }
}

/// Reads DICOM Part 10 images as volumes: a folder (searched recursively) holding one series, or the series
/// chosen by `LoadOptions.series`, or a single file (single-frame or enhanced multi-frame).
///
/// Slices are ordered by the projection of ImagePositionPatient on the slice normal, never by file name or
/// InstanceNumber; the spacing comes from PixelSpacing and the steps between positions, not SliceThickness;
/// the affine maps DICOM's LPS patient coordinates to NIfTI's RAS, with rows stored bottom-up as dcm2niix
/// stores them, so the volume equals dcm2niix's output voxel for voxel.
public enum DICOMSeries {
    /// The image series under `path` (a folder or one file), by series number then UID.
    public static func list(in path: String, options: LoadOptions = LoadOptions()) throws -> [DICOMSeriesInfo] {
        let scan = try Scan(path, options: options)
        return scan.series.map(\.info)
    }

    static func read(_ path: String, options: LoadOptions) throws -> LoadedVolume {
        let scan = try Scan(path, options: options)
        let chosen = try scan.select(options.series)
        if chosen.count == 1 { return try assemble(chosen[0], scan: scan, options: options) }
        return try stitch(chosen, scan: scan, options: options, chosenByUser: !options.series.isEmpty)
    }

    /// Several series stitched as stations. Series taken as stations only because they share a description
    /// that turn out not to be (a repeated acquisition at one table position) get the error that lists them.
    static func stitch(_ chosen: [Series], scan: Scan, options: LoadOptions, chosenByUser: Bool) throws -> LoadedVolume {
        var stations: [Station] = [], warnings: [String] = []
        for series in chosen {
            let loaded = try assemble(series, scan: scan, options: options)
            stations.append(Station(name: series.info.stationName, volume: loaded.volume))
            warnings += loaded.warnings.map { "\(series.info.stationName): \($0)" }
        }
        do {
            let stitched = try StationStitching.stitch(stations, overlap: options.stationOverlap, maxVoxels: options.maxVoxels, folder: scan.path)
            return LoadedVolume(volume: stitched.volume, format: .dicom, warnings: warnings + [stitched.summary])
        } catch let error as IMATError where !chosenByUser {
            throw IMATError(scan.path, "holds \(chosen.count) series named \"\(chosen[0].info.description)\" that are not stations of one acquisition "
                                + "(\(error.description)); choose one with --series NUMBER or --series UID: \(scan.listing)")
        }
    }

    /// True when `path` is a file with the Part 10 signature.
    static func isDICOMFile(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return DICOMFile.hasSignature([UInt8](handle.readData(ofLength: 132)))
    }

    // MARK: Finding the series

    struct Series {
        var uid: String
        var headers: [DICOMImageHeader]
        var info: DICOMSeriesInfo {
            DICOMSeriesInfo(uid: uid, number: headers.first?.seriesNumber, description: headers.first?.seriesDescription ?? "",
                            files: headers.count, slices: headers.reduce(0) { $0 + $1.frames.count },
                            orientation: headers.first?.frames.first?.orientation, pixelSpacing: headers.first?.frames.first?.pixelSpacing)
        }
    }

    struct Scan {
        var path: String
        var files: [String]
        var series: [Series]

        init(_ path: String, options: LoadOptions) throws {
            self.path = path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw IMATError(path, "no such file or folder") }
            let candidates = isFolder.boolValue ? try regularFiles(under: path) : [path]
            let limit = DICOMSeries.byteLimit(options)
            let parsed = Parallel.map(candidates.count, workers: options.workers) { k -> Result<DICOMImageHeader?, Error> in
                Result { try DICOMSeries.parse(candidates[k], limit: limit, ignoringOtherFiles: isFolder.boolValue).flatMap { try DICOMImageHeader($0, fileIndex: k) } }
            }
            files = candidates
            var byUID: [String: [DICOMImageHeader]] = [:]
            for result in parsed { if let header = try result.get() { byUID[header.seriesUID, default: []].append(header) } }
            guard !byUID.isEmpty else {
                throw IMATError(path, isFolder.boolValue ? "holds neither PNG slices (*.png) nor DICOM images (Part 10 files with pixels)" : "is a DICOM object without an image")
            }
            series = byUID.map { Series(uid: $0.key, headers: $0.value) }.sorted {
                ($0.headers[0].seriesNumber ?? Int.max, $0.uid) < ($1.headers[0].seriesNumber ?? Int.max, $1.uid)
            }
        }

        /// Every series, one per line of an error.
        var listing: String { series.map(\.info.summary).joined(separator: "; ") }

        /// The series whose UIDs or numbers are `choices` (several are stations to stitch); without a choice the
        /// one series, or all of them when they may be stations of one acquisition; else an error listing them all.
        func select(_ choices: [String]) throws -> [Series] {
            if !choices.isEmpty {
                var chosen: [Series] = []
                for choice in choices {
                    let found = series.filter { $0.uid == choice || $0.headers[0].seriesNumber.map(String.init) == choice }
                    guard found.count <= 1 else {
                        throw IMATError(path, "\(found.count) series have the number \(choice) (from different studies?); choose by UID: \(listing)")
                    }
                    guard let one = found.first else { throw IMATError(path, "no series \(choice) here; found \(listing)") }
                    if !chosen.contains(where: { $0.uid == one.uid }) { chosen.append(one) }
                }
                return chosen
            }
            guard series.count == 1 || DICOMSeriesInfo.mayBeStations(series.map(\.info)) else {
                throw IMATError(path, "holds \(series.count) series; choose one with --series NUMBER or --series UID: \(listing)")
            }
            return series
        }

    }

    /// The bytes a file may inflate to, or hold, given the voxel limit (2 bytes per voxel and room for the header).
    static func byteLimit(_ options: LoadOptions) -> Int {
        options.maxVoxels.multipliedReportingOverflow(by: 2).overflow ? Int.max : options.maxVoxels * 2 + (64 << 20)
    }

    /// The parsed file; nil for a file without the Part 10 signature when other files are being looked through.
    static func parse(_ path: String, limit: Int, ignoringOtherFiles: Bool) throws -> DICOMFile? {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        if ignoringOtherFiles && !isDICOMFile(path) { return nil }
        guard size <= limit else { throw IMATError(path, "a file of \(size) bytes is over the limit for --max-voxels") }
        guard let data = FileManager.default.contents(atPath: path) else { throw IMATError(path, "cannot read the file") }
        return try DICOMFile(path: path, bytes: [UInt8](data), maximumInflatedBytes: limit)
    }

    // MARK: Building the volume

    static func assemble(_ series: Series, scan: Scan, options: LoadOptions) throws -> LoadedVolume {
        let headers = series.headers
        let first = headers[0]
        for header in headers where header.format != first.format {
            throw IMATError(header.path, "its images are \(header.format.columns)×\(header.format.rows), \(header.format.bitsAllocated)-bit, unlike \(first.path) (\(first.format.columns)×\(first.format.rows), \(first.format.bitsAllocated)-bit): not one volume")
        }
        let frames = headers.flatMap(\.frames)
        let format = first.format
        let voxelCount = format.pixelsPerFrame.multipliedReportingOverflow(by: frames.count)
        guard !voxelCount.overflow, voxelCount.partialValue <= options.maxVoxels else {
            throw IMATError(scan.path, "the series holds \(frames.count) slices of \(format.columns)×\(format.rows), over the limit of \(options.maxVoxels) voxels")
        }
        var warnings: [String] = []
        let geometry = try DICOMGeometry(frames: frames, format: format, nominalStep: first.nominalSliceStep, paths: scan.files,
                                         folder: scan.path, warnings: &warnings)
        let dimensions = Dimensions(format.columns, format.rows, frames.count)

        // One scaling for the whole series keeps the stored integers; differing ones need physical values.
        let scalings = Set(frames.map(\.rescale))
        let uniform = scalings.count == 1 ? scalings.first! : nil
        let type: VoxelType = uniform == nil ? .float32 : format.voxelType
        // Where each frame goes: frames are numbered file by file, as `frames` lists them.
        var sliceOfFrame = [Int](repeating: 0, count: frames.count)
        for (z, frame) in geometry.order.enumerated() { sliceOfFrame[frame] = z }
        let firstFrameOfHeader = headers.reduce(into: [0]) { $0.append($0.last! + $1.frames.count) }
        let storage = try VoxelStorage.filled(type, count: dimensions.voxelCount) { buffer in
            let target = buffer.baseAddress!
            // Each file is read and parsed once; its frames go to their places in the sorted order.
            let failures = Parallel.map(headers.count, workers: options.workers) { h -> Error? in
                do {
                    guard let file = try parse(headers[h].path, limit: byteLimit(options), ignoringOtherFiles: false) else { return nil }
                    for frame in headers[h].frames {
                        let bytes = try DICOMPixels.frameBytes(frame.index, of: file, format: format)
                        let z = sliceOfFrame[firstFrameOfHeader[h] + frame.index]
                        DICOMPixels.store(bytes, format: format, rescale: uniform == nil ? frame.rescale : nil,
                                          into: target, offset: z * format.pixelsPerFrame)
                    }
                    return nil
                } catch { return error }
            }
            if let failure = failures.compactMap({ $0 }).first { throw failure }
        }
        var volume = Volume(dimensions: dimensions, spacing: geometry.spacing, affine: geometry.affine, storage: storage,
                            scaling: uniform ?? .identity)
        if first.isThreeDimensionalAcquisition && frames.count > 1 { volume = volume.closestCanonical() }
        let sources = Set(frames.map(\.scaleSource))
        if sources.count > 1 {
            throw IMATError(scan.path, "its images scale their values in different ways (" + sources.map(\.rawValue).sorted().joined(separator: "; ") + "): not one volume")
        }
        return LoadedVolume(volume: volume, format: .dicom, warnings: warnings, scaleSource: sources.first ?? .stored)
    }
}
