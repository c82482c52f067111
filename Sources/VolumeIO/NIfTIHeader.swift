import VolumeCore
/// The fields of a NIfTI-1 or NIfTI-2 header that locate and describe the voxel data, in host form.
///
/// Layouts from nifti1.h (348 bytes) and nifti2.h (540 bytes); the two carry the same fields at
/// different offsets and widths. Byte order is whatever makes `sizeof_hdr` read 348 or 540.
struct NIfTIHeader {
    static let nifti1Size = 348
    static let nifti2Size = 540
    /// The 4 bytes after the header that flag extensions; data never starts before them.
    static let extensionFlagSize = 4
    static let nifti1Magic = Array("n+1\0".utf8)

    var format: VolumeFormat
    /// True when the file's byte order is the opposite of the host's.
    var isByteSwapped: Bool
    /// dim[0] is the number of dimensions, dim[1...7] their sizes.
    var dim: [Int]
    var datatype: Int
    /// pixdim[0] is qfac, pixdim[1...7] the voxel sizes.
    var pixdim: [Double]
    var voxOffset: Double
    var sclSlope: Double
    var sclInter: Double
    var qformCode: Int
    var sformCode: Int
    /// quatern_b, quatern_c, quatern_d.
    var quaternion: SIMD3<Double>
    /// qoffset_x, qoffset_y, qoffset_z.
    var quaternionOffset: SIMD3<Double>
    /// srow_x, srow_y, srow_z.
    var sformRows: [[Double]]

    var size: Int { Self.size(of: format) }

    static func size(of format: VolumeFormat) -> Int { format == .nifti2 ? nifti2Size : nifti1Size }

    /// Tells NIfTI-1 from NIfTI-2 and the byte order by the first field, `sizeof_hdr`.
    static func identify(firstWord bytes: UnsafeRawBufferPointer, path: String) throws -> (format: VolumeFormat, isByteSwapped: Bool) {
        let word = bytes.loadUnaligned(as: Int32.self)
        for (format, size) in [(VolumeFormat.nifti1, nifti1Size), (.nifti2, nifti2Size)] {
            if word == Int32(size) { return (format, false) }
            if word.byteSwapped == Int32(size) { return (format, true) }
        }
        throw IMATError(path, "not a NIfTI file: sizeof_hdr is \(word), expected 348 (NIfTI-1) or 540 (NIfTI-2)")
    }

    /// Parses a whole header (`bytes.count` is 348 or 540 as `identify` said) and checks its magic.
    init(bytes: UnsafeRawBufferPointer, format: VolumeFormat, isByteSwapped: Bool, path: String) throws {
        let layout = format == .nifti1 ? HeaderLayout.nifti1 : HeaderLayout.nifti2
        let fields = HeaderFields(bytes: bytes, isByteSwapped: isByteSwapped)
        try Self.checkMagic(bytes, at: layout.magicOffset, expected: layout.magic, path: path)
        self.format = format
        self.isByteSwapped = isByteSwapped
        func reals(at offset: Int, count: Int) -> [Double] {
            (0..<count).map { fields.real(width: layout.realWidth, at: offset + layout.realWidth * $0) }
        }
        dim = (0..<8).map { fields.integer(width: layout.dimWidth, at: layout.dim + layout.dimWidth * $0) }
        datatype = fields.integer(width: 2, at: layout.datatype)
        pixdim = reals(at: layout.pixdim, count: 8)
        voxOffset = layout.voxOffsetIsInteger ? Double(fields.integer(width: 8, at: layout.voxOffset)) : fields.real(width: 4, at: layout.voxOffset)
        let scaling = reals(at: layout.sclSlope, count: 2)
        (sclSlope, sclInter) = (scaling[0], scaling[1])
        qformCode = fields.integer(width: layout.codeWidth, at: layout.qformCode)
        sformCode = fields.integer(width: layout.codeWidth, at: layout.qformCode + layout.codeWidth)
        quaternion = SIMD3(reals(at: layout.quaternion, count: 3))
        quaternionOffset = SIMD3(reals(at: layout.quaternion + 3 * layout.realWidth, count: 3))
        sformRows = (0..<3).map { reals(at: layout.sformRows + 4 * layout.realWidth * $0, count: 4) }
    }

    /// "n+1\0" marks a single-file NIfTI-1, "n+2\0\r\n\032\n" a single-file NIfTI-2 (the tail catches
    /// transfers that mangled line endings); "ni1"/"ni2" mark the header of a .hdr/.img pair.
    private static func checkMagic(_ bytes: UnsafeRawBufferPointer, at offset: Int, expected: [UInt8], path: String) throws {
        let found = Array(bytes[offset..<offset + expected.count])
        guard found != expected else { return }
        var pairMagic = expected.prefix(4)
        pairMagic[1] = UInt8(ascii: "i")
        if found.prefix(4).elementsEqual(pairMagic) {
            throw IMATError(path, "this is the header of a .hdr/.img pair (magic \"\(escaped(pairMagic))\"), not a single-file .nii")
        }
        throw IMATError(path, "not a NIfTI file: magic is \"\(escaped(found))\", expected \"\(escaped(expected))\"")
    }

    private static func escaped<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        bytes.map { (32..<127).contains($0) ? String(UnicodeScalar($0)) : "\\x" + ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

/// Where nifti1.h and nifti2.h put the fields this reader uses, and how wide they are.
private struct HeaderLayout {
    var magicOffset: Int
    var magic: [UInt8]
    var dim: Int
    var dimWidth: Int
    var datatype: Int
    var pixdim: Int
    /// Width of the floating-point fields (float32 in NIfTI-1, float64 in NIfTI-2).
    var realWidth: Int
    var voxOffset: Int
    var voxOffsetIsInteger: Bool
    /// scl_slope, then scl_inter.
    var sclSlope: Int
    /// qform_code, then sform_code.
    var qformCode: Int
    var codeWidth: Int
    /// quatern_b, c, d, then qoffset_x, y, z.
    var quaternion: Int
    /// srow_x, srow_y, srow_z.
    var sformRows: Int

    static let nifti1 = HeaderLayout(magicOffset: 344, magic: NIfTIHeader.nifti1Magic, dim: 40, dimWidth: 2, datatype: 70,
                                     pixdim: 76, realWidth: 4, voxOffset: 108, voxOffsetIsInteger: false, sclSlope: 112,
                                     qformCode: 252, codeWidth: 2, quaternion: 256, sformRows: 280)
    static let nifti2 = HeaderLayout(magicOffset: 4, magic: Array("n+2\0\r\n\u{1A}\n".utf8), dim: 16, dimWidth: 8, datatype: 12,
                                     pixdim: 104, realWidth: 8, voxOffset: 168, voxOffsetIsInteger: true, sclSlope: 176,
                                     qformCode: 344, codeWidth: 4, quaternion: 352, sformRows: 400)
}

/// Reads fixed-width fields of a header in the file's byte order.
private struct HeaderFields {
    let bytes: UnsafeRawBufferPointer
    let isByteSwapped: Bool

    /// A signed integer field of 2, 4 or 8 bytes.
    func integer(width: Int, at offset: Int) -> Int {
        switch width {
        case 2: Int(load(Int16.self, at: offset))
        case 4: Int(load(Int32.self, at: offset))
        default: Int(load(Int64.self, at: offset))
        }
    }

    /// A float32 (width 4) or float64 (width 8) field.
    func real(width: Int, at offset: Int) -> Double {
        width == 4 ? Double(Float(bitPattern: load(UInt32.self, at: offset))) : Double(bitPattern: load(UInt64.self, at: offset))
    }

    private func load<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        return isByteSwapped ? value.byteSwapped : value
    }
}
