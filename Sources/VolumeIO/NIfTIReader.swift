import VolumeCore
/// Reads one 3-D volume from a NIfTI-1 or NIfTI-2 file, plain or gzip-compressed, in either byte order.
enum NIfTIReader {
    static func read(_ path: String, options: LoadOptions) throws -> LoadedVolume {
        var storage: VoxelStorage?
        let parsed = try parse(path, options: options) { source, header, layout in
            storage = try VoxelStorage.filled(layout.voxelType, count: layout.dimensions.voxelCount) { bytes in
                try source.readExactly(into: bytes, what: "voxel data")
                if header.isByteSwapped { reverseByteOrder(bytes, width: layout.voxelType.byteCount) }
            }
        }
        let (header, layout, spacing) = (parsed.header, parsed.layout, parsed.spacing)
        let volume = Volume(dimensions: layout.dimensions, spacing: spacing,
                            affine: NIfTIGeometry.affine(of: header, dimensions: layout.dimensions, spacing: spacing),
                            storage: storage!, scaling: parsed.scaling)
        return LoadedVolume(volume: volume, format: header.format, warnings: parsed.warnings,
                            scaleSource: volume.scaling.isIdentity ? .stored : .niftiScale)
    }

    /// Everything `read` checks (header, sizes, the whole gzip stream with its CRC), with the voxel data inflated
    /// through a small buffer and dropped instead of kept: the warnings `read` would give.
    static func check(_ path: String, options: LoadOptions) throws -> [String] {
        try parse(path, options: options) { source, _, layout in try source.skip(layout.volumeByteCount, what: "voxel data") }.warnings
    }

    /// Reads the header and the bytes around the chosen volume's voxel data, leaving those to `voxels`; with the
    /// spacing and scaling the header gives, and every warning about the file.
    private static func parse(_ path: String, options: LoadOptions,
                              voxels: (any NIfTIByteSource, NIfTIHeader, NIfTIDataLayout) throws -> Void)
        throws -> (header: NIfTIHeader, layout: NIfTIDataLayout, spacing: SIMD3<Double>, scaling: IntensityScaling, warnings: [String]) {
        let file = try ReadableFile(path)
        // Decide by content, not by name: a .nii.gz that is not compressed (or the reverse) still reads.
        let source: any NIfTIByteSource = try file.startsWithGzipSignature() ? GzipReader(file) : PlainNIfTISource(file)

        let header = try readHeader(from: source, path: path)
        let layout = try NIfTIDataLayout(header: header, options: options, path: path)
        try source.checkCapacity(claimedBytes: layout.totalByteCount, dataOffset: layout.dataOffset)
        try source.skip(layout.dataOffset - header.size, what: "extensions before the voxel data")
        try source.skip(layout.volumeByteCount * options.volumeIndex, what: "the volumes before volume \(options.volumeIndex)")
        try voxels(source, header, layout)
        let surplus = try source.finish(remaining: layout.totalByteCount - layout.volumeByteCount * (options.volumeIndex + 1))

        var warnings: [String] = []
        if surplus > 0 {
            warnings.append("\(surplus) byte\(surplus == 1 ? "" : "s") after the voxel data the header declares were ignored")
        } else if surplus < 0 {
            warnings.append("the data end \(-surplus) bytes before the later volumes the header declares (the volume read is complete)")
        }
        let spacing = voxelSpacing(header, warnings: &warnings)
        return (header, layout, spacing, scaling(header, warnings: &warnings), warnings)
    }

    /// Reads the 348 bytes of a NIfTI-1 header, and the rest when `sizeof_hdr` says NIfTI-2.
    private static func readHeader(from source: any NIfTIByteSource, path: String) throws -> NIfTIHeader {
        var headerBytes = [UInt8](repeating: 0, count: NIfTIHeader.nifti2Size)
        return try headerBytes.withUnsafeMutableBytes { bytes in
            let nifti1 = UnsafeMutableRawBufferPointer(rebasing: bytes[0..<NIfTIHeader.nifti1Size])
            try source.readExactly(into: nifti1, what: "header")
            let (format, isByteSwapped) = try NIfTIHeader.identify(firstWord: UnsafeRawBufferPointer(nifti1), path: path)
            if format == .nifti2 {
                try source.readExactly(into: UnsafeMutableRawBufferPointer(rebasing: bytes[NIfTIHeader.nifti1Size...]), what: "NIfTI-2 header")
            }
            let whole = UnsafeRawBufferPointer(rebasing: bytes[0..<NIfTIHeader.size(of: format)])
            return try NIfTIHeader(bytes: whole, format: format, isByteSwapped: isByteSwapped, path: path)
        }
    }

    /// |pixdim[1...3]|; an axis the image does not have (dim[0] < 3) without a size of its own counts as 1 mm.
    private static func voxelSpacing(_ header: NIfTIHeader, warnings: inout [String]) -> SIMD3<Double> {
        var spacing = SIMD3<Double>(1, 1, 1)
        for axis in 1...3 {
            let size = abs(header.pixdim[axis])
            if size > 0, size.isFinite {
                spacing[axis - 1] = size
            } else if axis <= header.dim[0] {
                spacing[axis - 1] = size.isFinite ? size : 0
                warnings.append("pixdim[\(axis)] is \(header.pixdim[axis]): the voxel size along that axis is unknown")
            }
        }
        return spacing
    }

    /// scl_slope/scl_inter; a slope of 0 or one that is not finite means the values are unscaled (nifti1.h).
    private static func scaling(_ header: NIfTIHeader, warnings: inout [String]) -> IntensityScaling {
        guard header.sclSlope != 0, header.sclSlope.isFinite else { return .identity }
        guard header.sclInter.isFinite else {
            warnings.append("scl_inter is \(header.sclInter); using 0")
            return IntensityScaling(slope: header.sclSlope, intercept: 0)
        }
        return IntensityScaling(slope: header.sclSlope, intercept: header.sclInter)
    }
}

/// Where the selected volume lies in the file and how big it is, checked against the limits before anything
/// is allocated.
struct NIfTIDataLayout {
    var dimensions: Dimensions
    var voxelType: VoxelType
    /// Where the voxel data starts: vox_offset, or just past the header and extension flag when it points inside them.
    var dataOffset: Int
    var volumeByteCount: Int
    /// The bytes of all volumes the header claims.
    var totalByteCount: Int

    init(header: NIfTIHeader, options: LoadOptions, path: String) throws {
        let dim = header.dim
        guard (1...7).contains(dim[0]) else { throw IMATError(path, "dim[0] is \(dim[0]), expected 1 to 7 dimensions") }
        for axis in 1...dim[0] where dim[axis] < 1 {
            throw IMATError(path, "dim[\(axis)] is \(dim[axis]): every dimension must be at least 1")
        }
        if dim[0] >= 5, let axis = (5...dim[0]).first(where: { dim[$0] != 1 }) {
            throw IMATError(path, "dim[\(axis)] is \(dim[axis]): only 3-D and 4-D images are supported")
        }
        // Axes beyond dim[0] are size 1, whatever the unused dim entries hold.
        let size = (0...4).map { $0 == 0 || $0 > dim[0] ? 1 : dim[$0] }
        let volumeCount = size[4]
        guard (0..<volumeCount).contains(options.volumeIndex) else {
            throw IMATError(path, "volume index \(options.volumeIndex) is out of range: the file holds \(volumeCount) volume\(volumeCount == 1 ? "" : "s") (0…\(volumeCount - 1))")
        }
        guard let type = NIfTIDatatype.voxelType(code: header.datatype) else {
            throw IMATError(path, "unsupported datatype \(header.datatype) (\(NIfTIDatatype.name(code: header.datatype)))")
        }
        let shape = size[1...3].map(String.init).joined(separator: "×")
        guard let voxelCount = Self.product(size[1...3]), voxelCount <= options.maxVoxels else {
            throw IMATError(path, "header claims \(shape) voxels, over the limit of \(options.maxVoxels) voxels")
        }
        guard let volumeBytes = Self.product([voxelCount, type.byteCount]), let totalBytes = Self.product([volumeBytes, volumeCount]) else {
            throw IMATError(path, "header claims \(shape)×\(volumeCount) voxels, more data than any file can hold")
        }
        guard header.voxOffset.isFinite, header.voxOffset >= 0, header.voxOffset.rounded() == header.voxOffset,
              header.voxOffset < Double(Int.max / 2) else {
            throw IMATError(path, "vox_offset is \(header.voxOffset), not a byte offset")
        }
        dimensions = Dimensions(size[1], size[2], size[3])
        voxelType = type
        // As nibabel does: an offset inside the header (0 in files from some old writers) means "right after it".
        dataOffset = max(Int(header.voxOffset), header.size + NIfTIHeader.extensionFlagSize)
        volumeByteCount = volumeBytes
        totalByteCount = totalBytes
    }

    /// The product of non-negative factors, or nil if it overflows Int.
    private static func product<Factors: Sequence<Int>>(_ factors: Factors) -> Int? {
        var result = 1
        for factor in factors {
            let (next, overflow) = result.multipliedReportingOverflow(by: factor)
            guard !overflow else { return nil }
            result = next
        }
        return result
    }
}
