import CZlib
import Foundation
import TestSupport
import Testing
import VolumeCore
import VolumeIO

/// What pydicom (with pylibjpeg) decodes from each file of Fixtures/codecs (scripts/make_codec_fixtures.py).
struct CodecReference: Decodable {
    var transferSyntax: String
    var lossy: Bool
    var crc32: UInt?
    var shape: [Int]?
    /// DCT JPEG: pydicom's values, little-endian Int32, zlib-compressed and base64-encoded.
    var valuesZlib: String?

    var values: [Int]? {
        guard let valuesZlib, let shape, let compressed = Data(base64Encoded: valuesZlib) else { return nil }
        var raw = [UInt8](repeating: 0, count: 4 * shape.reduce(1, *))
        var size = uLongf(raw.count)
        let status = compressed.withUnsafeBytes { source in
            uncompress(&raw, &size, source.bindMemory(to: UInt8.self).baseAddress, uLong(compressed.count))
        }
        guard status == Z_OK, Int(size) == raw.count else { return nil }
        return stride(from: 0, to: raw.count, by: 4).map { k in Int(Int32(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(raw[k + $1]) << (8 * $1) })) }
    }

    static func load() throws -> [String: CodecReference] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode([String: CodecReference].self, from: Data(contentsOf: URL(fileURLWithPath: try codecFixture("reference.json"))))
    }

    /// Single-frame files, whose values in DICOM order are the volume's with rows flipped back.
    static var singleFrameNames: [String] {
        ((try? load()) ?? [:]).filter { $0.value.shape?.first == 1 }.keys.sorted()
    }

    static var compressedNames: [String] {
        ((try? load()) ?? [:]).filter { $0.value.transferSyntax.hasPrefix("1.2.840.10008.1.2.4.") && $0.value.crc32 != nil }.keys.sorted()
    }
}

func codecFixture(_ name: String) throws -> String {
    try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/codecs").appendingPathComponent(name).path
}

/// Compressed DICOM from other software decoded by OpenJPEG, CharLS, libjpeg-turbo and the lossless JPEG decoder.
@Suite struct DICOMCodecTests {
    /// The parameterised tests below would run zero cases, and pass, if the fixtures stopped resolving.
    @Test func fixturesArePresent() throws {
        #expect(try CodecReference.load().count == 18)
        #expect(CodecReference.singleFrameNames.count == 14 && CodecReference.compressedNames.count == 12)
    }

    /// Lossless copies of one image in every syntax give one array: pydicom's MR_small (JPEG 2000, JPEG-LS,
    /// RLE), pydicom's 10-frame emri_small (the same three), and dcm_qa_ts's Siemens image in nine syntaxes
    /// (including two lossless JPEG encoders, gdcmconv's and dcmcjpeg's, and two JPEG-LS ones).
    @Test(arguments: [
        ("dicom", "MR_small.dcm", ["MR_small_jp2klossless.dcm", "MR_small_jpeg_ls_lossless.dcm", "MR_small_RLE.dcm"]),
        ("codecs", "emri_small.dcm", ["emri_small_jpeg_2k_lossless.dcm", "emri_small_jpeg_ls_lossless.dcm", "emri_small_RLE.dcm"]),
        ("codecs", "dcm_qa_ts/1.dcm", (2...9).map { "dcm_qa_ts/\($0).dcm" }),
    ])
    func losslessCopiesDecodeToTheUncompressedArray(folder: String, original: String, copies: [String]) throws {
        let path = { (name: String) in try folder == "dicom" ? dicomFixture(name) : codecFixture(name) }
        let expected = try VolumeFile.load(try path(original)).volume
        for copy in copies {
            let volume = try VolumeFile.load(try path(copy)).volume
            #expect(volume.storage == expected.storage, "\(copy)")
            #expect(volume.dimensions == expected.dimensions && volume.affine.isClose(to: expected.affine, tolerance: 1e-6), "\(copy)")
        }
    }

    /// Files without an uncompressed original: pydicom's values (CRC-32), and for DCT JPEG (8-bit by libjpeg-turbo,
    /// 12-bit by the decoder here) within one grey level of libjpeg 9's (two DCT decoders may round differently).
    @Test(arguments: CodecReference.singleFrameNames)
    func singleFramesDecodeAsPydicomDecodesThem(name: String) throws {
        let reference = try #require(try CodecReference.load()[name])
        let volume = try VolumeFile.load(try codecFixture(name)).volume
        let stored = inDICOMOrder(volume, dicomAffine: nil)
        if reference.lossy {
            let values = try #require(reference.values)
            let ours = stored.doubleValues()
            #expect(ours.count == values.count)
            let worst = zip(ours, values).map { abs($0 - Double($1)) }.max() ?? .infinity
            #expect(worst <= 1, "largest difference \(worst)")
        } else {
            #expect(crc32OfLittleEndian(stored) == reference.crc32)
        }
    }

    /// pydicom's JPEG-lossy.dcm, which its README calls broken (a scan that ends at coefficient 0): a clear error.
    @Test func aBrokenDCTScanIsAClearError() throws {
        try withTemporaryFolder { folder in
            var file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try codecFixture("JPEGExtended_1s_1f_u_16_12.dcm"))))
            // Its scan header's spectral end (63) set to 0, as in the broken file.
            let scanHeader = try #require((0..<(file.count - 12)).first { file[$0] == 0xFF && file[$0 + 1] == 0xDA })
            file[scanHeader + 8] = 0
            let path = folder.appendingPathComponent("broken.dcm").path
            try Data(file).write(to: URL(fileURLWithPath: path))
            #expect(try loadingError(path).problem.contains("not a sequential scan"))
        }
    }

    /// A codestream cut short gives one error naming the file, never a crash or a half-decoded image (OpenJPEG in
    /// strict mode plus a check for the end-of-codestream marker; libjpeg's warnings are errors). Overwritten
    /// entropy-coded data is an error in the JPEG families, whose 0xFF bytes are markers; JPEG 2000 has no
    /// such redundancy (its MQ decoder reads 0xFF 0xFF as the end of a code-block's data), so there it may
    /// decode, to other pixels, but must not crash.
    @Test(arguments: CodecReference.compressedNames + ["dcm_qa_ts/9.dcm"])
    func damagedCodestreamsAreClearErrors(name: String) throws {
        let reference = try #require(try CodecReference.load()[name])
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try codecFixture(name))))
        let fragment = try #require(EncapsulatedFragment.last(in: original), "no encapsulated fragment in \(name)")
        try withTemporaryFolder { folder in
            let truncated = folder.appendingPathComponent("truncated.dcm").path
            let half = original[fragment].prefix(fragment.count / 2 & ~1)
            try Data(EncapsulatedFragment.replacing(fragment, in: original, with: half)).write(to: URL(fileURLWithPath: truncated))
            _ = try loadingError(truncated)

            var overwritten = original
            let middle = fragment.lowerBound + fragment.count / 3
            for k in middle..<min(middle + 64, fragment.upperBound - 2) { overwritten[k] = 0xFF }
            let damaged = folder.appendingPathComponent("damaged.dcm").path
            try Data(overwritten).write(to: URL(fileURLWithPath: damaged))
            if reference.transferSyntax.hasPrefix("1.2.840.10008.1.2.4.9") {
                if let decoded = try? VolumeFile.load(damaged).volume {
                    #expect(decoded.storage != (try VolumeFile.load(try codecFixture(name)).volume.storage))
                }
            } else {
                _ = try loadingError(damaged)
            }
        }
    }

    /// Philips' floating-point scaling (private ScaleSlope) on a real Achieva series, as dcm2niix applies it by default.
    @Test func philipsFloatingPointScalingAgreesWithDcm2niix() throws {
        let source = try codecFixture("philips_fp")
        let loaded = try VolumeFile.load(source)
        #expect(loaded.scaleSource == .philipsFloatingPoint)
        // RS 1.29035409035409, SS 0.004284040071070194: FP = PV / SS.
        #expect(abs(loaded.volume.scaling.slope - 1 / 0.004284040071070194) < 1e-6 * 233)
        try withTemporaryFolder { folder in
            try DICOMDcm2niixTests().compareWithDcm2niix(dicomFolder: source, readingFrom: source, in: folder)
        }
    }
}
