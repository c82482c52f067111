import Foundation
import TestSupport
import Testing
import VolumeCore
import VolumeIO

/// Every command against broken inputs: an exit status in 1…125 (never a signal), one line on stderr naming
/// the input and the problem, and nothing written where the output would have gone.
@Suite(.serialized) struct BadInputMatrixTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// Writes the broken input under the folder; returns the command's arguments (OUT stands for the output).
        var arguments: @Sendable (TemporaryFolder) throws -> [String]
        /// Texts the message must hold (paths relative to the folder are made absolute).
        var mentions: [String]
        var testDescription: String { name }
    }

    /// A small valid participant (NIfTI, with Dixon) to break one file of.
    static func participant(in folder: TemporaryFolder, _ name: String = "P0001") throws -> String {
        let result = try IMATProcess.run(["phantom", "--out", folder.file("scans"), "--participants", "1", "--seed", "4",
                                          "--shape", "48", "40", "6", "--spacing", "4", "4", "8", "--format", "nifti"])
        #expect(result.status == 0, "\(result.stderr)")
        let path = folder.file(name)
        try FileManager.default.moveItem(atPath: folder.file("scans/P0001"), toPath: path)
        return path
    }

    /// A NIfTI-1 header for `dims` that claims its voxels follow, with none following.
    static func headerOnly(dims: [Int16]) -> Data {
        var header = [UInt8](repeating: 0, count: 352)
        func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
            withUnsafeBytes(of: value.littleEndian) { for (i, b) in $0.enumerated() { header[offset + i] = b } }
        }
        put(Int32(348), at: 0)
        put(Int16(dims.count), at: 40)
        for (i, d) in dims.enumerated() { put(d, at: 42 + 2 * i) }
        put(Int16(512), at: 70)  // uint16
        put(Int16(16), at: 72)
        for i in 0..<4 { put(Float(1).bitPattern, at: 76 + 4 * i) }
        put(Float(352).bitPattern, at: 108)
        for (i, c) in "n+1\0".utf8.enumerated() { header[344 + i] = c }
        return Data(header)
    }

    static let cases: [Case] = [
        Case(name: "info: missing file", arguments: { ["info", $0.file("absent.nii.gz")] }, mentions: ["absent.nii.gz"]),
        Case(name: "info: truncated NIfTI header", arguments: { tmp in
            try Data(repeating: 7, count: 100).write(to: URL(fileURLWithPath: tmp.file("short.nii")))
            return ["info", tmp.file("short.nii")]
        }, mentions: ["short.nii", "short"]),
        Case(name: "info: header claiming 30000³ voxels", arguments: { tmp in
            try headerOnly(dims: [3, 30000, 30000, 30000]).write(to: URL(fileURLWithPath: tmp.file("huge.nii")))
            return ["info", tmp.file("huge.nii")]
        }, mentions: ["huge.nii"]),
        Case(name: "convert: voxels missing after the header", arguments: { tmp in
            try headerOnly(dims: [3, 64, 64, 10]).write(to: URL(fileURLWithPath: tmp.file("empty.nii")))
            return ["convert", tmp.file("empty.nii"), tmp.file("OUT.nii.gz")]
        }, mentions: ["empty.nii"]),
        Case(name: "convert: corrupt gzip", arguments: { tmp in
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try participant(in: tmp) + "/t1.nii.gz")))
            for i in stride(from: 200, to: bytes.count, by: 97) { bytes[i] ^= 0x5A }
            try Data(bytes).write(to: URL(fileURLWithPath: tmp.file("bad.nii.gz")))
            return ["convert", tmp.file("bad.nii.gz"), tmp.file("OUT.nii")]
        }, mentions: ["bad.nii.gz"]),
        Case(name: "convert: PNG slice that is not a PNG", arguments: { tmp in
            try FileManager.default.createDirectory(atPath: tmp.file("slices"), withIntermediateDirectories: true)
            let volume = Volume(dimensions: Dimensions(8, 8, 2), spacing: SIMD3(1, 1, 1), storage: .uint16([UInt16](repeating: 9, count: 128)))
            try VolumeFile.save(volume, to: tmp.file("slices"))
            let slice = try FileManager.default.contentsOfDirectory(atPath: tmp.file("slices")).filter { $0.hasSuffix(".png") }.sorted()[1]
            try Data("not a png".utf8).write(to: URL(fileURLWithPath: tmp.file("slices/\(slice)")))
            return ["convert", tmp.file("slices"), tmp.file("OUT.nii.gz")]
        }, mentions: ["slices/slice_0001.png", "PNG"]),
        Case(name: "analyze: truncated T1w", arguments: { tmp in
            let p = try participant(in: tmp)
            try? FileManager.default.removeItem(atPath: p + "/water.nii.gz")
            try? FileManager.default.removeItem(atPath: p + "/fat.nii.gz")
            let data = try Data(contentsOf: URL(fileURLWithPath: p + "/t1.nii.gz"))
            try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: p + "/t1.nii.gz"))
            return ["analyze", p, "--out", tmp.file("OUT")]
        }, mentions: ["P0001/t1.nii.gz"]),
        Case(name: "analyze: scan.json that is not JSON", arguments: { tmp in
            let p = try participant(in: tmp)
            try Data("{spacing: oops".utf8).write(to: URL(fileURLWithPath: p + "/scan.json"))
            return ["analyze", p, "--out", tmp.file("OUT")]
        }, mentions: ["P0001/scan.json"]),
        Case(name: "analyze: water and fat on different grids", arguments: { tmp in
            let p = try participant(in: tmp)
            var fat = try VolumeFile.load(p + "/fat.nii.gz").volume
            fat.affine.rows[1][3] += 12
            try VolumeFile.save(fat, to: p + "/fat.nii.gz")
            return ["analyze", p, "--out", tmp.file("OUT")]
        }, mentions: ["P0001/fat.nii.gz", "same grid"]),
        Case(name: "analyze: a participant ID that is a hidden name", arguments: { tmp in
            ["analyze", try participant(in: tmp, ".hidden"), "--out", tmp.file("OUT")]
        }, mentions: [".hidden", "participant ID"]),
        Case(name: "analyze: the output folder is a link", arguments: { tmp in
            let p = try participant(in: tmp)
            try FileManager.default.createDirectory(atPath: tmp.file("elsewhere"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: tmp.file("OUT"), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: tmp.file("OUT/P0001"), withDestinationPath: tmp.file("elsewhere"))
            return ["analyze", p, "--out", tmp.file("OUT")]
        }, mentions: ["OUT/P0001", "symbolic link"]),
        Case(name: "batch: no such scans folder", arguments: { tmp in
            ["batch", tmp.file("absent"), "--out", tmp.file("OUT")]
        }, mentions: ["absent", "no such folder"]),
        Case(name: "batch: the scans folder is a file", arguments: { tmp in
            try Data("x".utf8).write(to: URL(fileURLWithPath: tmp.file("scans.txt")))
            return ["batch", tmp.file("scans.txt"), "--out", tmp.file("OUT")]
        }, mentions: ["scans.txt", "not a folder"]),
        Case(name: "batch: the results folder is a file", arguments: { tmp in
            _ = try participant(in: tmp, "scans/P0002")
            try Data("x".utf8).write(to: URL(fileURLWithPath: tmp.file("OUT")))
            return ["batch", tmp.file("scans"), "--out", tmp.file("OUT")]
        }, mentions: ["OUT", "cannot create the results folder"]),
        Case(name: "merge: nothing to merge", arguments: { tmp in
            try FileManager.default.createDirectory(atPath: tmp.file("results"), withIntermediateDirectories: true)
            return ["merge", tmp.file("results")]
        }, mentions: ["results"]),
        Case(name: "associate: phenotypes not UTF-8", arguments: { tmp in
            try Data([0x70, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: tmp.file("pheno.csv")))
            return ["associate", "--cohort", AssociateTests.cohort, "--phenotypes", tmp.file("pheno.csv"), "--outcome", "pain",
                    "--exposure", "imat_fraction", "--muscle", "autochthon_left", "--out", tmp.file("OUT")]
        }, mentions: ["pheno.csv", "UTF-8"]),
        Case(name: "associate: an unterminated quote", arguments: { tmp in
            try Data("participant,pain\nP0001,\"1\n".utf8).write(to: URL(fileURLWithPath: tmp.file("pheno.csv")))
            return ["associate", "--cohort", AssociateTests.cohort, "--phenotypes", tmp.file("pheno.csv"), "--outcome", "pain",
                    "--exposure", "imat_fraction", "--muscle", "autochthon_left", "--out", tmp.file("OUT")]
        }, mentions: ["pheno.csv", "line"]),
    ]

    /// What is at `path`: nil when absent, the file's bytes, or the folder's entries (links as their targets).
    static func snapshot(_ path: String) -> String? {
        let fm = FileManager.default
        if let target = try? fm.destinationOfSymbolicLink(atPath: path) { return "link to \(target)" }
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isFolder) else { return nil }
        guard isFolder.boolValue else { return "file of \(fm.contents(atPath: path)?.count ?? -1) bytes" }
        let entries = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).sorted()
        return "folder [" + entries.map { "\($0): \(snapshot(path + "/" + $0) ?? "gone")" }.joined(separator: ", ") + "]"
    }

    @Test(arguments: cases)
    func isRefusedCleanly(_ badInput: Case) throws {
        let tmp = try TemporaryFolder()
        let arguments = try badInput.arguments(tmp)
        let outputs = arguments.filter { $0.contains("OUT") } + [tmp.file("elsewhere")]
        let before = outputs.map(Self.snapshot)
        let result = try IMATProcess.run(arguments)
        #expect(!result.crashed && result.status > 0 && result.status < 126, "status \(result.status): \(result.stderr)")
        let message = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!message.isEmpty && !message.contains("\n"), "one line: \(message)")
        for text in badInput.mentions { #expect(message.contains(text), "\(message) should mention \(text)") }
        // Nothing written where the output would have gone (or where a planted link points).
        #expect(outputs.map(Self.snapshot) == before, "output written: \(outputs.map(Self.snapshot))")
    }
}
