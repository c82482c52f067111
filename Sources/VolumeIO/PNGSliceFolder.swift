import CPNGShim
import Foundation
import VolumeCore

/// Reads and writes volumes as folders of PNG slices (one file per z), through libpng.
///
/// Voxel (x, y, z) is column x of row y of the z-th file in natural order of the names (`slice_2` before
/// `slice_10`). Values are kept as stored, the "values unchanged" rule of `imat convert`: greyscale samples of
/// 1, 2, 4 or 8 bits give a `uint8` volume with the stored values unscaled (a 1-bit image gives 0 and 1, a 4-bit
/// one 0…15; no stretching to 0…255), 16-bit samples a `uint16` volume. Alpha is dropped and tRNS ignored.
/// Palette images whose used entries are grey give those greys exactly; colour palettes and RGB(A) images are
/// reduced to luminance as `PNGGreyConversion` says, with a warning. PNG carries no geometry: the spacing comes
/// from the options, else from `scan.json`, else 1 mm (with a warning); the affine is `Affine.sliceStack`.
public enum PNGSliceFolder {
    public static func read(_ folder: String, options: LoadOptions) throws -> LoadedVolume {
        try read(folder, options: options, workers: options.workers)
    }

    /// Writes `volume` as `slice_0000.png`, `slice_0001.png`, … plus a `scan.json` holding its spacing; the
    /// folder appears complete or not at all. `uint8` volumes give 8-bit slices, `uint16` 16-bit ones; other
    /// types are written when every value is an integer in 0…65535 (label maps), as 8-bit if they all fit.
    public static func write(_ volume: Volume, to folder: String) throws {
        try write(volume, to: folder, workers: Parallel.defaultWorkers)
    }

    static func read(_ folder: String, options: LoadOptions, workers: Int) throws -> LoadedVolume {
        let files = try PNGSliceFiles.list(folder)
        let first = try PNGCodec.readHeader(files[0])
        let dimensions = Dimensions(Int(first.width), Int(first.height), files.count)
        try checkVoxelCount(dimensions, limit: options.maxVoxels, folder: folder)
        var warnings: [String] = []
        let spacing: SIMD3<Double>
        if let known = try options.spacing ?? ScanSidecar.find(for: folder)?.spacing {
            spacing = known
        } else {
            spacing = SIMD3(1, 1, 1)
            warnings.append("no voxel spacing (scan.json spacing_mm or --spacing); assuming 1 mm")
        }
        let (storage, colourSlices) = first.bytesPerSample == 2
            ? try decode(files, layout: first, workers: workers, as: VoxelStorage.uint16)
            : try decode(files, layout: first, workers: workers, as: VoxelStorage.uint8)
        if let name = colourSlices.first.map(fileName) {
            let more = colourSlices.count > 1 ? " and \(colourSlices.count - 1) more slice(s)" : ""
            warnings.append("\(name)\(more): colour converted to grey by luminance (\(PNGGreyConversion.luminanceFormula))")
        }
        let volume = Volume(dimensions: dimensions, spacing: spacing, affine: .sliceStack(spacing: spacing), storage: storage)
        return LoadedVolume(volume: volume, format: .pngSlices, warnings: warnings)
    }

    static func write(_ volume: Volume, to folder: String, workers: Int) throws {
        let d = volume.dimensions
        guard d.voxelCount > 0 else { throw IMATError(folder, "cannot write an empty (\(d)) volume as PNG slices") }
        let samples = try PNGSamples(volume, folder: folder)
        try AtomicWrite.produce(folder) { tmp in
            do { try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: false) } catch {
                throw IMATError(folder, "cannot create the folder (\(error.localizedDescription))")
            }
            switch samples {
            case .eightBit(let pixels): try writeSlices(pixels, dimensions: d, into: tmp, reportedIn: folder, workers: workers)
            case .sixteenBit(let pixels): try writeSlices(pixels, dimensions: d, into: tmp, reportedIn: folder, workers: workers)
            }
            try writeSidecar(spacing: volume.spacing, into: tmp, reportedIn: folder)
        }
    }

    /// Refuses volumes larger than `limit` voxels before anything is allocated (the product may overflow).
    private static func checkVoxelCount(_ d: Dimensions, limit: Int, folder: String) throws {
        let (plane, planeOverflow) = d.x.multipliedReportingOverflow(by: d.y)
        let (total, totalOverflow) = plane.multipliedReportingOverflow(by: d.z)
        guard !planeOverflow, !totalOverflow, total <= limit else {
            throw IMATError(folder, "\(d) voxels exceed the limit of \(limit) voxels (--max-voxels)")
        }
    }

    /// Decodes every slice straight into its region of the volume, in parallel. Returns the voxels (wrapped by
    /// `storage`) and the slices whose colour was reduced to grey.
    private static func decode<Sample: FixedWidthInteger & UnsignedInteger>(
        _ files: [String], layout first: imat_png_header, workers: Int, as storage: ([Sample]) -> VoxelStorage
    ) throws -> (VoxelStorage, [String]) {
        let plane = Int(first.width) * Int(first.height)
        let firstName = fileName(files[0])
        var converted: [Bool] = []
        // Every element is written by its slice's decode; if one fails the array is thrown away unread.
        let pixels = try [Sample](unsafeUninitializedCapacity: plane * files.count) { buffer, initialized in
            let volume = UnsafeSendableBuffer(buffer)
            initialized = buffer.count
            converted = try forEachSlice(files.count, workers: workers) { k in
                let region = UnsafeMutableBufferPointer(rebasing: volume.base[k * plane..<(k + 1) * plane])
                return try decodeSlice(files[k], layout: first, firstName: firstName, into: region)
            }
        }
        return (storage(pixels), files.indices.filter { converted[$0] }.map { files[$0] })
    }

    /// Decodes one slice into `region` (libpng writes grey samples there directly). Returns true when colour was
    /// reduced to grey.
    private static func decodeSlice<Sample: FixedWidthInteger & UnsignedInteger>(
        _ path: String, layout first: imat_png_header, firstName: String, into region: UnsafeMutableBufferPointer<Sample>
    ) throws -> Bool {
        guard first.isColour else {
            let found = try PNGCodec.decode(path, expecting: first, setBy: firstName, into: UnsafeMutableRawBufferPointer(region))
            return found.isPalette ? try PNGGreyConversion.applyPalette(of: found, to: region, path: path) : false
        }
        var rgb = [Sample](repeating: 0, count: 3 * region.count)
        _ = try rgb.withUnsafeMutableBytes { try PNGCodec.decode(path, expecting: first, setBy: firstName, into: $0) }
        return rgb.withUnsafeBufferPointer { PNGGreyConversion.applyLuminance($0, to: region) }
    }

    private static func writeSlices<Sample: FixedWidthInteger & UnsignedInteger>(
        _ pixels: [Sample], dimensions d: Dimensions, into tmp: String, reportedIn folder: String, workers: Int
    ) throws {
        let names = PNGSliceFiles.names(count: d.z)
        let plane = d.sliceVoxelCount
        try pixels.withUnsafeBufferPointer { all in
            _ = try forEachSlice(d.z, workers: workers) { k in
                try PNGCodec.writeGrey(UnsafeBufferPointer(rebasing: all[k * plane..<(k + 1) * plane]), width: d.x, height: d.y,
                                       to: path(tmp, names[k]), reportedAs: path(folder, names[k]))
            }
        }
    }

    /// `scan.json` with the spacing, so that the folder reloads with it; sorted keys keep the bytes deterministic.
    private static func writeSidecar(spacing: SIMD3<Double>, into tmp: String, reportedIn folder: String) throws {
        let object = ["spacing_mm": [spacing.x, spacing.y, spacing.z]]
        let json = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
        guard FileManager.default.createFile(atPath: path(tmp, ScanSidecar.fileName), contents: json + Data("\n".utf8)) else {
            throw IMATError(path(folder, ScanSidecar.fileName), "cannot write the file")
        }
    }

    /// Runs `body` for every slice on up to `workers` threads and returns the results in slice order. When slices
    /// fail, the error of the lowest-numbered one is thrown, so the message does not depend on thread timing.
    private static func forEachSlice<T>(_ count: Int, workers: Int, _ body: (Int) throws -> T) throws -> [T] {
        try Parallel.map(count, workers: workers) { k in Result { try body(k) } }.map { try $0.get() }
    }

    private static func fileName(_ path: String) -> String { (path as NSString).lastPathComponent }
    private static func path(_ folder: String, _ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
}

/// A volume's values as PNG can hold them: 8- or 16-bit unsigned integers.
private enum PNGSamples {
    case eightBit([UInt8])
    case sixteenBit([UInt16])

    /// The volume's physical values (stored values with its scaling applied), which must be integers in 0…65535.
    init(_ volume: Volume, folder: String) throws {
        let storage = volume.scaling.isIdentity ? volume.storage : .float32(volume.floatValues())
        switch storage {
        case .uint8(let values): self = .eightBit(values)
        case .uint16(let values): self = .sixteenBit(values)
        default:
            guard let labels = storage.labelValues() else {
                throw IMATError(folder, "PNG slices hold only integers 0…65535, but this \(storage.voxelType.rawValue) "
                                    + "volume has negative, fractional or larger values; save it as .nii.gz instead")
            }
            self = labels.allSatisfy { $0 <= UInt8.max } ? .eightBit(labels.map { UInt8($0) }) : .sixteenBit(labels)
        }
    }
}
