import Analysis
import Association
import CZlib
import Foundation
import TestSupport
import VolumeCore
import VolumeIO

/// One reader under fuzzing: its valid seeds and how a mutated input reaches it.
struct FuzzTarget {
    var name: String
    var seeds: [[UInt8]]
    /// Bytes at the start of an input that are a header, where half of the mutations go.
    var headerBytes: Int
    /// Writes `input` under `folder` and runs the reader on it; a clear error names a path under `folder`.
    var run: (_ input: [UInt8], _ folder: String) throws -> Void
    /// Applied to every other mutated input: undoes what would stop nearly all inputs at the first check
    /// (PNG's chunk CRCs), so mutations reach the decoder behind it.
    var repair: (([UInt8]) -> [UInt8])? = nil

    static func all(fixtures: String, work: String) throws -> [FuzzTarget] {
        [try png(fixtures: fixtures, work: work), try nifti(fixtures: fixtures, work: work), try dicom(fixtures: fixtures),
         try codestreams(fixtures: fixtures), csv(), sidecar(), labelsJSON(), dsegTSV()]
    }

    /// A 16-bit slice of a two-slice folder (the other slice valid), read as a volume, plus the PNG suite's
    /// greyscale files (PNG's own conformance images) as seeds.
    static func png(fixtures: String, work: String) throws -> FuzzTarget {
        let seedFolder = "\(work)/png-seed"
        try? FileManager.default.removeItem(atPath: seedFolder)
        try VolumeFile.save(sampleVolume(), to: seedFolder)
        let slices = try FileManager.default.contentsOfDirectory(atPath: seedFolder).filter { $0.hasSuffix(".png") }.sorted()
        var seeds = [try bytes("\(seedFolder)/\(slices[0])")]
        let suite = "\(fixtures)/pngsuite"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: suite))?.sorted() ?? [] where name.hasSuffix(".png") && name.contains("g") {
            seeds.append(try bytes("\(suite)/\(name)"))
        }
        let second = try bytes("\(seedFolder)/\(slices[1])")
        return FuzzTarget(name: "png", seeds: seeds, headerBytes: 64, run: { input, folder in
            let slicesFolder = "\(folder)/slices"
            try FileManager.default.createDirectory(atPath: slicesFolder, withIntermediateDirectories: true)
            try Data(input).write(to: URL(fileURLWithPath: "\(slicesFolder)/\(slices[0])"))
            try Data(second).write(to: URL(fileURLWithPath: "\(slicesFolder)/\(slices[1])"))
            _ = try VolumeFile.load(slicesFolder, options: LoadOptions(spacing: SIMD3(1, 1, 1)))
        }, repair: withPNGChunkCRCs)
    }

    /// `png` with the CRC of every whole chunk recomputed (length, type, data, CRC after the signature).
    static func withPNGChunkCRCs(_ png: [UInt8]) -> [UInt8] {
        var bytes = png, at = 8
        while at + 12 <= bytes.count {
            let length = Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
            guard length <= bytes.count - at - 12 else { break }
            let crc = bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress! + at + 4, uInt(length + 4))) }
            for b in 0..<4 { bytes[at + 8 + length + b] = UInt8(truncatingIfNeeded: crc >> UInt32(24 - 8 * b)) }
            at += length + 12
        }
        return bytes
    }

    /// NIfTI-1 and -2 files from nibabel and our writer; every other input is also tried gzipped (mutations
    /// then reach the header through the decompressor, as a corrupt .nii.gz would).
    static func nifti(fixtures: String, work: String) throws -> FuzzTarget {
        let own = "\(work)/seed.nii"
        try VolumeFile.save(sampleVolume(), to: own)
        var seeds = [try bytes(own)]
        let folder = "\(fixtures)/nifti"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder))?.sorted() ?? [] where name.hasSuffix(".nii") {
            seeds.append(try bytes("\(folder)/\(name)"))
        }
        var count = 0
        return FuzzTarget(name: "nifti", seeds: seeds, headerBytes: 544) { input, folder in
            count += 1
            let gzipped = count % 2 == 0
            let path = "\(folder)/input.nii" + (gzipped ? ".gz" : "")
            try Data(gzipped ? gzip(input) : input).write(to: URL(fileURLWithPath: path))
            _ = try VolumeFile.load(path, options: LoadOptions(maxVoxels: 1 << 26))
        }
    }

    /// DICOM files from other software (pydicom's test files: explicit and implicit VR, big endian, deflated,
    /// RLE, enhanced multi-frame); every other input is read as a folder beside a valid copy of its seed's
    /// series, so mutations also reach series grouping and slice sorting.
    static func dicom(fixtures: String) throws -> FuzzTarget {
        let folder = "\(fixtures)/dicom"
        // Not JPEG-LS: see `codestreams`.
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".dcm") && !$0.contains("jpeg_ls") }.sorted()
        guard !names.isEmpty else { throw IMATError(folder, "no DICOM seeds (*.dcm)") }
        let seeds = try names.map { try bytes("\(folder)/\($0)") }
        // The valid file beside a mutated one must itself load.
        let companions = names.indices.filter { (try? VolumeFile.load("\(folder)/\(names[$0])")) != nil }.map { seeds[$0] }
        var count = 0
        return FuzzTarget(name: "dicom", seeds: seeds, headerBytes: 1024) { input, work in
            count += 1
            if count % 2 == 0 {
                try FileManager.default.createDirectory(atPath: "\(work)/series", withIntermediateDirectories: true)
                try Data(input).write(to: URL(fileURLWithPath: "\(work)/series/b.dcm"))
                try Data(companions[count / 2 % companions.count]).write(to: URL(fileURLWithPath: "\(work)/series/a.dcm"))
                _ = try VolumeFile.load("\(work)/series", options: LoadOptions(maxVoxels: 1 << 26))
            } else {
                try Data(input).write(to: URL(fileURLWithPath: "\(work)/input.dcm"))
                _ = try VolumeFile.load("\(work)/input.dcm", options: LoadOptions(maxVoxels: 1 << 26))
            }
        }
    }

    /// The codestreams of compressed DICOM from other software (JPEG 2000, JPEG-LS, lossless and baseline JPEG,
    /// RLE). Only the last pixel data fragment is mutated, and put back with its item length fixed, so every
    /// input reaches OpenJPEG, CharLS, libjpeg-turbo or the lossless and 12-bit DCT JPEG decoders rather than stopping at the
    /// DICOM parser. An input's first byte picks the file it goes into. JPEG-LS is left out: CharLS 2.4.1 (Debian
    /// 12) spends seconds on some damaged streams before rejecting them, even 64×64 ones (the endless-loop fix of
    /// team-charls/charls#334 came later), which reads as a hang here.
    static func codestreams(fixtures: String) throws -> FuzzTarget {
        let paths = ["MR_small_jp2klossless.dcm", "MR_small_RLE.dcm"].map { "\(fixtures)/dicom/\($0)" }
            + ["emri_small_jpeg_2k_lossless.dcm", "JPEGBaseline_1s_1f_u_08_08.dcm", "JPEG-LL.dcm",
               "JPEGExtended_1s_1f_u_16_12.dcm"]
            .map { "\(fixtures)/codecs/\($0)" }
        let encapsulated = try paths.map { try bytes($0) }.compactMap { file in EncapsulatedFragment.last(in: file).map { (file, $0) } }
        guard encapsulated.count == paths.count else { throw IMATError(fixtures, "a codestream seed holds no encapsulated pixel data") }
        let (files, fragments) = (encapsulated.map(\.0), encapsulated.map(\.1))
        let seeds = files.indices.map { [UInt8(truncatingIfNeeded: $0)] + Array(files[$0][fragments[$0]]) }
        return FuzzTarget(name: "codestreams", seeds: seeds, headerBytes: 0) { input, work in
            guard let index = input.first else { return }
            let k = Int(index) % files.count
            let file = EncapsulatedFragment.replacing(fragments[k], in: files[k], with: input.dropFirst())
            try Data(file).write(to: URL(fileURLWithPath: "\(work)/input.dcm"))
            _ = try VolumeFile.load("\(work)/input.dcm", options: LoadOptions(maxVoxels: 1 << 26))
        }
    }

    /// The phenotype and cohort tables `imat associate` and `imat merge` read.
    static func csv() -> FuzzTarget {
        let table = "\u{FEFF}participant,age,sex,site,pain,\"note, quoted\"\r\nP0001,54,f,A,1,\"said \"\"ok\"\"\"\r\n"
            + "P0002,61.5,m,B,0,\"two\nlines\"\r\nP0003,,f,A,NA,\r\n"
        let cohort = "participant,label,muscle,voxels,imat_fraction,fat_fraction_mean\nP0001,44,autochthon_left,900,0.05,0.07\n"
        return FuzzTarget(name: "csv", seeds: [Array(table.utf8), Array(cohort.utf8)], headerBytes: 48) { input, folder in
            let path = "\(folder)/table.csv"
            try Data(input).write(to: URL(fileURLWithPath: path))
            _ = try SourceTable.read(path)
        }
    }

    /// scan.json sidecars: spacing and label names.
    static func sidecar() -> FuzzTarget {
        let json = #"{"spacing_mm": [1.5, 1.5, 2.5], "labels": {"44": "autochthon_left", "45": "autochthon_right"}, "scanner": "x"}"#
        return FuzzTarget(name: "sidecar", seeds: [Array(json.utf8)], headerBytes: 0) { input, folder in
            let path = "\(folder)/scan.json"
            try Data(input).write(to: URL(fileURLWithPath: path))
            _ = try ScanSidecar.read(path)
        }
    }

    /// `--labels FILE.json`: an id→name object and MuscleMap's model JSON.
    static func labelsJSON() -> FuzzTarget {
        let seeds = [#"{"46": "autochthon_left", "47": "autochthon_right", "5": "liver"}"#,
                     #"{"parameters": {"roi_size": [112, 112]}, "labels": [{"muscle": "multifidus", "side": "right", "value": 1}, "#
                        + #"{"anatomy": "sacrum", "side": "no side", "value": 6160}]}"#]
        return FuzzTarget(name: "labels-json", seeds: seeds.map { Array($0.utf8) }, headerBytes: 0) { input, folder in
            let path = "\(folder)/labels.json"
            try Data(input).write(to: URL(fileURLWithPath: path))
            _ = try LabelTable.named(path)
        }
    }

    /// A BIDS `*_dseg.tsv` lookup table beside a mask.
    static func dsegTSV() -> FuzzTarget {
        let seed = "index\tname\tabbreviation\tcolor\n0\tbackground\tBG\t#000000\n1\tmultifidus_left\tMFL\t#ff0000\n2\tvertebrae_L4\tL4\t#00ff00\n"
        return FuzzTarget(name: "dseg-tsv", seeds: [Array(seed.utf8)], headerBytes: 0) { input, folder in
            let path = "\(folder)/mask_dseg.tsv"
            try Data(input).write(to: URL(fileURLWithPath: path))
            _ = try LabelTable.named(path)
        }
    }

    /// 24×20×2 uint16 with a gradient: small enough for thousands of runs a second.
    private static func sampleVolume() -> Volume {
        let d = Dimensions(24, 20, 2)
        let values = (0..<d.voxelCount).map { UInt16(($0 * 37) % 4001) }
        return Volume(dimensions: d, spacing: SIMD3(1.5, 1.5, 3), affine: .sliceStack(spacing: SIMD3(1.5, 1.5, 3)), storage: .uint16(values))
    }

    private static func bytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw IMATError(path, "cannot read the seed") }
        return [UInt8](data)
    }

    /// gzip (RFC 1952) of `input` at zlib's fastest level.
    private static func gzip(_ input: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        deflateInit2_(&stream, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 32)
        var input = input
        input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                deflate(&stream, Z_FINISH)
            }
        }
        return Array(output[0..<Int(stream.total_out)])
    }
}
