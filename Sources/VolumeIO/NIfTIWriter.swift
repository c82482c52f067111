import VolumeCore
/// Writes a volume as a single-file NIfTI-1 (.nii, or .nii.gz when the name ends so), in the host's byte order.
enum NIfTIWriter {
    /// igzip level for .nii.gz, chosen by measurement (Benchmarks/README.md, "Compression").
    static let gzipLevel = 2

    static func write(_ volume: Volume, to path: String) throws {
        try write(grid: volume.grid, voxelType: volume.voxelType, scaling: volume.scaling, to: path) { emit in
            try volume.storage.withUnsafeBytes(emit)
        }
    }

    /// Writes the voxels `produce` hands to its `emit` in voxel order, a part at a time, so that a map is never
    /// whole in memory; the parts must add up to the grid's voxels exactly, or nothing is written.
    static func write(grid: VoxelGrid, voxelType: VoxelType, scaling: IntensityScaling, to path: String,
                      produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let header = try nifti1Header(dimensions: grid.dimensions, spacing: grid.spacing, affine: grid.affine,
                                      voxelType: voxelType, scaling: scaling, path: path)
        let compress = path.lowercased().hasSuffix(".gz")
        let expected = grid.dimensions.voxelCount * voxelType.byteCount
        try AtomicWrite.produce(path) { temporaryPath in
            let file = try WritableFile(temporaryPath, reportedAs: path)
            let gzip = compress ? try GzipWriter(file, level: gzipLevel, reportedAs: path) : nil
            func put(_ bytes: UnsafeRawBufferPointer) throws { if let gzip { try gzip.write(bytes) } else { try file.write(bytes) } }
            try header.withUnsafeBytes(put)
            var written = 0
            try produce { voxels in
                written += voxels.count
                guard written <= expected else { return }
                try put(voxels)
            }
            guard written == expected else {
                throw IMATError(path, "internal: \(written) bytes of voxels were given for a grid of \(expected)")
            }
            try gzip?.finish()
            try file.close()
        }
    }

    /// The 348-byte header plus the 4-byte "no extensions" flag, so the voxels start at vox_offset 352.
    ///
    /// Both transforms are set (code 1, scanner) so that readers agree whichever they use: the sform holds the
    /// affine exactly (to float32), the qform its nearest rigid version with pixdim as voxel sizes.
    static func nifti1Header(dimensions d: Dimensions, spacing: SIMD3<Double>, affine: Affine, voxelType: VoxelType,
                             scaling: IntensityScaling, path: String) throws -> [UInt8] {
        guard d.voxelCount > 0 else { throw IMATError(path, "cannot write an empty volume (\(d))") }
        guard [d.x, d.y, d.z].allSatisfy({ $0 <= Int(Int16.max) }) else {
            throw IMATError(path, "a NIfTI-1 dimension holds at most 32767 voxels; this volume is \(d)")
        }
        let quaternion = NIfTIGeometry.quaternion(of: affine)
        var fields = HeaderBuilder(size: NIfTIHeader.nifti1Size + NIfTIHeader.extensionFlagSize)
        fields.set(Int32(NIfTIHeader.nifti1Size), at: 0)
        fields.set(UInt8(ascii: "r"), at: 38)  // "regular", as nibabel writes for old Analyze readers
        for (n, value) in [3, d.x, d.y, d.z, 1, 1, 1, 1].enumerated() { fields.set(Int16(value), at: 40 + 2 * n) }
        fields.set(NIfTIDatatype.code(for: voxelType), at: 70)
        fields.set(Int16(voxelType.byteCount * 8), at: 72)
        let pixdim = [quaternion?.qfac ?? 1, spacing.x, spacing.y, spacing.z, 1, 1, 1, 1]
        for (n, value) in pixdim.enumerated() { fields.setFloat32(value, at: 76 + 4 * n) }
        fields.setFloat32(Double(NIfTIHeader.nifti1Size + NIfTIHeader.extensionFlagSize), at: 108)
        fields.setFloat32(scaling.slope, at: 112)
        fields.setFloat32(scaling.intercept, at: 116)
        fields.set(UInt8(2), at: 123)  // xyzt_units: NIFTI_UNITS_MM
        let scannerCode: Int16 = 1  // NIFTI_XFORM_SCANNER_ANAT
        if let quaternion {
            fields.set(scannerCode, at: 252)
            for n in 0..<3 {
                fields.setFloat32(quaternion.bcd[n], at: 256 + 4 * n)
                fields.setFloat32(affine.rows[n][3], at: 268 + 4 * n)
            }
        }
        fields.set(scannerCode, at: 254)
        for (row, values) in affine.rows.enumerated() {
            for (column, value) in values.enumerated() { fields.setFloat32(value, at: 280 + 16 * row + 4 * column) }
        }
        for (n, byte) in NIfTIHeader.nifti1Magic.enumerated() { fields.set(byte, at: 344 + n) }
        return fields.bytes
    }
}

/// Header bytes filled field by field in the host's byte order (readers tell the order from sizeof_hdr).
private struct HeaderBuilder {
    var bytes: [UInt8]

    init(size: Int) { bytes = [UInt8](repeating: 0, count: size) }

    mutating func set<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: value, toByteOffset: offset, as: T.self) }
    }

    mutating func setFloat32(_ value: Double, at offset: Int) { set(Float(value).bitPattern, at: offset) }
}
