import Foundation
import TestSupport
import Testing
import VolumeCore

/// `imat mr` end to end on the reference fixtures of the MR tests: outputs, gzip input, both directions, a
/// manifest of pairs, thread counts, and a bad file that stops everything before anything is written.
@Suite struct MRTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("MendelianRandomizationTests/Fixtures")
    static let exposure = fixtures.appendingPathComponent("main_exposure.csv").path
    static let outcome = fixtures.appendingPathComponent("main_outcome.tsv").path

    func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    func methods(_ path: String) throws -> Data {
        try JSONSerialization.data(withJSONObject: try json(path)["methods"]!, options: [.sortedKeys])
    }

    @Test func writesJSONCSVAndHTMLWithTheSchema() throws {
        let folder = try TemporaryFolder()
        let result = try IMATProcess.run(["mr", "--exposure", Self.exposure, "--outcome", Self.outcome, "--out", folder.path, "--bootstrap", "100"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("93 SNPs used; 11 dropped"))
        let mr = try json(folder.file("mr.json"))
        #expect(mr["schema"] as? String == "imat.mr/1")
        let methods = mr["methods"] as! [String: Any]
        #expect(Set(methods.keys) == ["ivw", "ivw_fixed", "egger", "weighted_median", "simple_median", "penalised_weighted_median",
                                       "simple_mode", "weighted_mode", "maximum_likelihood"])
        #expect(((methods["egger"] as! [String: Any])["intercept"] as! [String: Any]).keys.sorted() == ["b", "p", "se"])
        let provenance = mr["provenance"] as! [String: Any]
        #expect(provenance["seed"] as? Int == 20_261_130 && provenance["bootstrap_replicates"] as? Int == 100)
        #expect(provenance["convention"] as? String == "twosamplemr")
        #expect(provenance["imat_version"] as? String == IMATVersion.version && provenance["source_revision"] as? String == IMATVersion.sourceRevision)
        let snps = mr["snps"] as! [String: Any]
        #expect((snps["used"] as! [Any]).count == 93 && (snps["dropped"] as! [[String: Any]]).allSatisfy { $0["snp"] != nil && $0["reason"] != nil })
        for key in ["heterogeneity", "leave_one_out", "single_snp", "steiger", "instrument_strength"] { #expect(mr[key] != nil, "\(key)") }
        let csv = try String(contentsOfFile: folder.file("mr.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 11 && csv[0].hasPrefix("method,b,se,ci_low,ci_high,p,n_snps"))
        let html = try String(contentsOfFile: folder.file("mr.html"), encoding: .utf8)
        #expect(html.components(separatedBy: "<svg xmlns").count - 1 == 4)
    }

    /// gzip input reads as the plain file; IMAT_THREADS changes no byte.
    @Test func gzipInputAndThreadCountsChangeNothing() throws {
        let folder = try TemporaryFolder()
        let gz = folder.file("outcome.tsv.gz")
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -c '\(Self.outcome)' > '\(gz)'"]
        try gzip.run(); gzip.waitUntilExit()
        let plain = try IMATProcess.run(["mr", "--exposure", Self.exposure, "--outcome", Self.outcome, "--out", folder.file("plain"), "--bootstrap", "60"], environment: ["IMAT_THREADS": "1"])
        let packed = try IMATProcess.run(["mr", "--exposure", Self.exposure, "--outcome", gz, "--out", folder.file("gz"), "--bootstrap", "60"], environment: ["IMAT_THREADS": "2"])
        let again = try IMATProcess.run(["mr", "--exposure", Self.exposure, "--outcome", Self.outcome, "--out", folder.file("again"), "--bootstrap", "60"], environment: ["IMAT_THREADS": "2"])
        #expect(plain.status == 0 && packed.status == 0 && again.status == 0, "\(packed.stderr)")
        #expect(try methods(folder.file("plain/mr.json")) == methods(folder.file("gz/mr.json")))
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.file("plain/mr.json"))) == Data(contentsOf: URL(fileURLWithPath: folder.file("again/mr.json"))))
    }

    @Test func bothDirectionsAndAManifestOfPairs() throws {
        let folder = try TemporaryFolder()
        let both = try IMATProcess.run(["mr", "--exposure", Self.exposure, "--outcome", Self.outcome, "--out", folder.file("both"), "--bootstrap", "50",
                                        "--bidirectional", "--p-threshold", "1e-6"])
        #expect(both.status == 0, "\(both.stderr)")
        let forward = try json(folder.file("both/exposure_to_outcome/mr.json")), reverse = try json(folder.file("both/outcome_to_exposure/mr.json"))
        #expect(forward["exposure"] as? String == "main_exposure" && reverse["exposure"] as? String == "main_outcome")

        let simulated = folder.file("simulated")
        #expect(try IMATProcess.run(["mr-simulate", "--out", simulated, "--pairs", "3", "--snps", "40", "--quirks"]).status == 0)
        let pairs = try IMATProcess.run(["mr", "--pairs", simulated + "/pairs.csv", "--out", folder.file("pairs"), "--bootstrap", "50"])
        #expect(pairs.status == 0, "\(pairs.stderr)")
        let summary = try String(contentsOfFile: folder.file("pairs/mr_pairs.csv"), encoding: .utf8).split(separator: "\n")
        #expect(summary.count == 1 + 3 * 9)
        // A pair in a batch gives the numbers it gives alone.
        let alone = try IMATProcess.run(["mr", "--exposure", simulated + "/exposure_1.tsv", "--outcome", simulated + "/outcome_1.tsv", "--out", folder.file("alone"), "--bootstrap", "50"])
        #expect(alone.status == 0)
        #expect(try methods(folder.file("alone/mr.json")) == methods(folder.file("pairs/pair_1/mr.json")))
    }

    @Test func aBadFileIsOneMessageAndNothingIsWritten() throws {
        let folder = try TemporaryFolder()
        var text = try String(contentsOfFile: Self.outcome, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var fields = lines[5].split(separator: "\t").map(String.init)
        fields[4] = "0.0x1"
        text = (lines[..<5] + [Substring(fields.joined(separator: "\t"))] + lines[6...]).joined(separator: "\n")
        let bad = folder.file("bad.tsv")
        try text.write(toFile: bad, atomically: true, encoding: .utf8)
        let result = try IMATProcess.run(["mr", "--exposure", Self.exposure, "--outcome", bad, "--out", folder.file("out")])
        #expect(result.status == 1)
        #expect(result.stderr == "Error: \(bad): line 6: beta is \"0.0x1\", not a number\n")
        #expect(!FileManager.default.fileExists(atPath: folder.file("out")))
        let missing = try IMATProcess.run(["mr", "--exposure", Self.exposure, "--outcome", folder.file("absent.tsv"), "--out", folder.file("out")])
        #expect(missing.status == 1 && missing.stderr.contains("absent.tsv: no such file"))
        let usage = try IMATProcess.run(["mr", "--exposure", Self.exposure, "--out", folder.file("out")])
        #expect(usage.status == 64 && usage.stderr.contains("give --exposure and --outcome, or --pairs"))
    }
}
