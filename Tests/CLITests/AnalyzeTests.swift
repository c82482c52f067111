import Foundation
import TestSupport
import Testing
import VolumeCore
import VolumeIO

/// `imat analyze` end to end on phantom participants written by `imat phantom`.
@Suite(.serialized) struct AnalyzeTests {
    /// Two small participants (NIfTI with Dixon, PNG without), made once for the suite.
    static let scans: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("imat-analyze-\(UUID().uuidString)").path
        _ = try? IMATProcess.run(["phantom", "--out", path, "--participants", "2", "--seed", "7", "--shape", "128", "112", "16",
                                  "--spacing", "3", "3", "6", "--format", "mixed", "--without-dixon", "1"])
        return path
    }()

    struct Truth: Decodable {
        struct Entry: Decodable { var label: Int?; var fat_fraction_mean: Double; var imat_fraction_hard: Double }
        var muscles: [Entry]
        var total: Entry
    }

    struct Metrics: Decodable {
        struct Entry: Decodable { var label: Int?; var name: String?; var fat_fraction_mean: Double; var imat_fraction: Double; var volume_ml: Double; var lean_ml: Double; var fat_ml: Double }
        var schema: String
        var participant: String
        var method: String
        var source: String
        var muscles: [Entry]
        var total: Entry
    }

    func load<T: Decodable>(_ type: T.Type, _ path: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test(arguments: [("P0001", "dixon", 0.01), ("P0002", "pve", 0.015)])
    func measuresWithinTheAccuracyBars(participant: String, method: String, bar: Double) throws {
        let out = try TemporaryFolder()
        let result = try IMATProcess.run(["analyze", "\(Self.scans)/\(participant)", "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("report: \(out.path)/\(participant)/report.html"))
        // The summary names the method as the option does.
        #expect(result.stdout.contains("mean fat fraction ") && result.stdout.contains(" (\(method))"), "\(result.stdout)")
        let metrics = try load(Metrics.self, out.file("\(participant)/metrics.json"))
        let truth = try load(Truth.self, "\(Self.scans)/\(participant)/truth.json")
        #expect(metrics.schema == "imat.metrics/2")
        #expect(metrics.method == method)
        #expect(metrics.muscles.map(\.name) == ["autochthon_left", "autochthon_right", "iliopsoas_left", "iliopsoas_right"])
        for (m, t) in zip(metrics.muscles, truth.muscles) {
            #expect(m.label == t.label)
            #expect(abs(m.fat_fraction_mean - t.fat_fraction_mean) <= bar, "\(m.name!): \(m.fat_fraction_mean) vs \(t.fat_fraction_mean)")
            #expect(abs(m.imat_fraction - t.imat_fraction_hard) <= 0.02, "\(m.name!): \(m.imat_fraction) vs \(t.imat_fraction_hard)")
            #expect(abs(m.lean_ml + m.fat_ml - m.volume_ml) < 1e-9)
        }
        for name in ["metrics.csv", "tissue.nii.gz", "fat_fraction.nii.gz", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: out.file("\(participant)/\(name)")))
        }
        let tissue = try VolumeFile.load(out.file("\(participant)/tissue.nii.gz")).volume
        let image = try VolumeFile.load("\(Self.scans)/\(participant)/\(participant == "P0001" ? "t1" : "t1.nii.gz")").volume
        #expect(tissue.sharesGrid(with: image))
        #expect(tissue.voxelType == .uint8)
    }

    @Test func sameInputGivesByteIdenticalOutputOnAnyThreadCount() throws {
        let one = try TemporaryFolder(), two = try TemporaryFolder()
        _ = try IMATProcess.run(["analyze", "\(Self.scans)/P0002", "--out", one.path], environment: ["IMAT_THREADS": "1"])
        _ = try IMATProcess.run(["analyze", "\(Self.scans)/P0002", "--out", two.path], environment: ["IMAT_THREADS": "2"])
        for name in ["metrics.json", "metrics.csv", "tissue.nii.gz", "fat_fraction.nii.gz", "report.html"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: one.file("P0002/\(name)")))
            let b = try Data(contentsOf: URL(fileURLWithPath: two.file("P0002/\(name)")))
            #expect(a == b, "\(name) differs between 1 and 2 threads")
        }
    }

    @Test func reportEscapesInputAndEmbedsItsPictures() throws {
        let tmp = try TemporaryFolder()
        let odd = tmp.file("P<b>&\"x\"")
        try FileManager.default.copyItem(atPath: "\(Self.scans)/P0002", toPath: odd)
        let labels = tmp.file("labels.json")
        try Data(#"{"44": "<script>alert(1)</script>", "45": "right & co"}"#.utf8).write(to: URL(fileURLWithPath: labels))
        let result = try IMATProcess.run(["analyze", odd, "--out", tmp.file("out"), "--labels", labels])
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOfFile: tmp.file("out/P<b>&\"x\"/report.html"), encoding: .utf8)
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("P&lt;b&gt;&amp;&quot;x&quot;"))
        #expect(html.contains("right &amp; co"))
        #expect(html.contains("label_46"))
        #expect(html.components(separatedBy: "data:image/png;base64,").count - 1 >= 2)
        #expect(html.contains("<svg"))
    }

    func expectRefusal(_ arguments: [String], out: TemporaryFolder, participant: String, mentions: [String]) throws {
        let result = try IMATProcess.run(["analyze"] + arguments + ["--out", out.path])
        #expect(result.status != 0 && result.status < 126 && !result.crashed, "\(result.status)")
        let line = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!line.contains("\n"), "one line: \(line)")
        for text in mentions { #expect(line.contains(text), "\(line) should mention \(text)") }
        #expect(!FileManager.default.fileExists(atPath: out.file(participant)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).allSatisfy { !$0.contains(participant) })
    }

    @Test func badParticipantsAreRefusedWithNothingWritten() throws {
        let tmp = try TemporaryFolder()
        let out = try TemporaryFolder()
        func participant(_ name: String, roles: [String]) throws -> String {
            let path = tmp.file(name)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            for role in roles { try FileManager.default.copyItem(atPath: "\(Self.scans)/P0002/\(role)", toPath: "\(path)/\(role)") }
            return path
        }
        try expectRefusal([try participant("nomask", roles: ["t1.nii.gz"])], out: out, participant: "nomask", mentions: ["nomask", "no mask"])
        try expectRefusal([try participant("noimage", roles: ["mask.nii.gz"])], out: out, participant: "noimage", mentions: ["noimage", "no image"])
        try expectRefusal([tmp.file("absent")], out: out, participant: "absent", mentions: ["absent", "no such folder"])

        let shifted = try participant("shifted", roles: ["mask.nii.gz"])
        var image = try VolumeFile.load("\(Self.scans)/P0002/t1.nii.gz").volume
        image.affine.rows[0][3] += 5
        try VolumeFile.save(image, to: "\(shifted)/t1.nii.gz")
        try expectRefusal([shifted], out: out, participant: "shifted", mentions: ["shifted/t1.nii.gz", "same grid"])

        let empty = try participant("empty", roles: ["t1.nii.gz"])
        let mask = try VolumeFile.load("\(Self.scans)/P0002/mask.nii.gz").volume
        try VolumeFile.save(Volume(dimensions: mask.dimensions, spacing: mask.spacing, affine: mask.affine,
                                   storage: .uint8([UInt8](repeating: 0, count: mask.voxelCount))), to: "\(empty)/mask.nii.gz")
        try expectRefusal([empty], out: out, participant: "empty", mentions: ["empty/mask.nii.gz", "empty"])

        let good = try participant("good", roles: ["t1.nii.gz", "mask.nii.gz"])
        try expectRefusal([good, "--labels", tmp.file("nolabels.json")], out: out, participant: "good", mentions: ["nolabels.json", "no such labels file"])
        try expectRefusal([good, "--method", "dixon"], out: out, participant: "good", mentions: ["good", "water and fat"])
        // A misused command line is a usage error (64): the message first, then the usage summary.
        let usage = try IMATProcess.run(["analyze", good, "--classes", "4", "--out", out.path])
        #expect(usage.status == 64)
        #expect(usage.stderr.hasPrefix("Error: --classes must be 2 or 3"))
    }
}
