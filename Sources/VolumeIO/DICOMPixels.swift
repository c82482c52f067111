import VolumeCore
/// How a DICOM image stores its grey values (PS3.3 C.7.6.3, the Image Pixel module), checked before anything
/// is allocated: one sample per pixel, 8 or 16 bits allocated, BitsStored ≤ BitsAllocated, HighBit inside.
struct DICOMPixelFormat: Equatable {
    var rows: Int
    var columns: Int
    var bitsAllocated: Int
    var bitsStored: Int
    var highBit: Int
    var signed: Bool
    /// MONOCHROME1: the lowest value is white; values are inverted so that, as in MONOCHROME2, bright is high.
    var inverted: Bool

    init(_ set: DICOMDataSet, path: String) throws {
        guard let rows = set.integer(.rows), let columns = set.integer(.columns) else {
            throw IMATError(path, "no Rows (0028,0010) or Columns (0028,0011): not an image")
        }
        guard rows > 0, columns > 0 else { throw IMATError(path, "an image of \(columns)×\(rows) pixels holds nothing") }
        let samples = set.integer(.samplesPerPixel) ?? 1
        let photometric = set.string(.photometricInterpretation) ?? "MONOCHROME2"
        guard samples == 1, photometric == "MONOCHROME1" || photometric == "MONOCHROME2" else {
            throw IMATError(path, "a \(photometric) image with \(samples) samples per pixel: only greyscale (MONOCHROME1/2) images are read")
        }
        let allocated = set.integer(.bitsAllocated) ?? 0
        guard allocated == 8 || allocated == 16 else {
            throw IMATError(path, "BitsAllocated \(allocated): only 8- and 16-bit images are read")
        }
        let stored = set.integer(.bitsStored) ?? allocated
        let high = set.integer(.highBit) ?? stored - 1
        guard stored >= 1, stored <= allocated, high >= stored - 1, high < allocated else {
            throw IMATError(path, "inconsistent bit layout: BitsAllocated \(allocated), BitsStored \(stored), HighBit \(high)")
        }
        self.rows = rows
        self.columns = columns
        bitsAllocated = allocated
        bitsStored = stored
        highBit = high
        signed = set.integer(.pixelRepresentation) == 1
        inverted = photometric == "MONOCHROME1"
    }

    var pixelsPerFrame: Int { rows * columns }
    var bytesPerFrame: Int { pixelsPerFrame * bitsAllocated / 8 }

    var voxelType: VoxelType {
        switch (bitsAllocated, signed) {
        case (8, false): .uint8
        case (8, true): .int8
        case (16, false): .uint16
        default: .int16
        }
    }

    /// A stored sample as its value: the BitsStored bits ending at HighBit, sign-extended when signed (PS3.5 §8.1.1),
    /// then inverted for MONOCHROME1 within the same range, so it still fits the stored type.
    @inline(__always)
    func value(of sample: UInt16) -> Int32 {
        let field = Int32(sample >> UInt16(highBit + 1 - bitsStored)) & Int32((1 << bitsStored) - 1)
        if signed {
            let value = field >= Int32(1 << (bitsStored - 1)) ? field - Int32(1 << bitsStored) : field
            return inverted ? -1 - value : value
        }
        return inverted ? Int32((1 << bitsStored) - 1) - field : field
    }
}

/// Pixel data of one frame turned into values, rows stored bottom-up as dcm2niix writes them, so that a volume
/// read here and dcm2niix's NIfTI hold the same voxels in the same order.
enum DICOMPixels {
    /// The bytes of frame `index` in the stored layout (little endian for 16 bits): sliced from native pixel
    /// data, or decoded from its compressed fragments.
    static func frameBytes(_ index: Int, of file: DICOMFile, format: DICOMPixelFormat) throws -> [UInt8] {
        let set = file.dataSet
        guard let element = set[.pixelData] else { throw IMATError(file.path, "no pixel data (7FE0,0010)") }
        let size = format.bytesPerFrame
        switch file.syntax.pixels {
        case .unsupported(let name):
            throw IMATError(file.path, "\(name) pixel data is not decoded here; convert the series with dcm2niix first (dcm2niix -z y -o OUT FOLDER)")
        case .rle:
            guard let fragments = element.fragments, index < fragments.count else {
                throw IMATError(file.path, "RLE pixel data holds no fragment for frame \(index + 1)")
            }
            return try RLEDecoder.decode(set.bytes[fragments[index]], bytesPerSample: format.bitsAllocated / 8,
                                         pixels: format.pixelsPerFrame, path: file.path, frame: index)
        case .jpeg, .jpegLossless, .jpegLS, .jpeg2000:
            return try DICOMCodecs.decode(frame: index, of: file, format: format)
        case .native:
            guard element.fragments == nil else { throw IMATError(file.path, "encapsulated pixel data in an uncompressed transfer syntax") }
            let start = element.value.lowerBound + index * size
            guard start + size <= element.value.upperBound else {
                throw IMATError(file.path, "pixel data holds \(element.value.count) bytes, fewer than the \(size) per frame its header implies for frame \(index + 1)")
            }
            var bytes = Array(set.bytes[start..<(start + size)])
            if set.bigEndian && format.bitsAllocated == 16 {
                for k in stride(from: 0, to: size, by: 2) { bytes.swapAt(k, k + 1) }
            }
            return bytes
        }
    }

    /// Writes the values of one frame into `target` starting at voxel `offset`, rows reversed: into a buffer of
    /// `format.voxelType`, or with `rescale` given, as Float32 physical values.
    static func store(_ bytes: [UInt8], format: DICOMPixelFormat, rescale: IntensityScaling?, into target: UnsafeMutableRawPointer, offset: Int) {
        let columns = format.columns, rows = format.rows
        bytes.withUnsafeBufferPointer { source in
            for row in 0..<rows {
                let from = (rows - 1 - row) * columns, to = offset + row * columns
                for column in 0..<columns {
                    let sample = format.bitsAllocated == 8
                        ? UInt16(source[from + column])
                        : UInt16(source[2 * (from + column)]) | UInt16(source[2 * (from + column) + 1]) << 8
                    let value = format.value(of: sample)
                    if let rescale {
                        target.storeBytes(of: Float(rescale.slope * Double(value) + rescale.intercept), toByteOffset: 4 * (to + column), as: Float.self)
                        continue
                    }
                    switch format.voxelType {
                    case .uint8: target.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: to + column, as: UInt8.self)
                    case .int8: target.storeBytes(of: Int8(truncatingIfNeeded: value), toByteOffset: to + column, as: Int8.self)
                    case .uint16: target.storeBytes(of: UInt16(truncatingIfNeeded: value), toByteOffset: 2 * (to + column), as: UInt16.self)
                    default: target.storeBytes(of: Int16(truncatingIfNeeded: value), toByteOffset: 2 * (to + column), as: Int16.self)
                    }
                }
            }
        }
    }
}
