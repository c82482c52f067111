import Foundation
import TestSupport
import Testing

/// `imat associate` end to end on the reference cohort of the Association tests.
@Suite struct AssociateTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("AssociationTests/Fixtures")
    static let cohort = fixtures.appendingPathComponent("cohort.csv").path
    static let phenotypes = fixtures.appendingPathComponent("phenotypes.csv").path

    func associate(phenotypes: String = phenotypes, out: String, _ extra: [String] = []) throws -> IMATProcess.Result {
        try IMATProcess.run(["associate", "--cohort", Self.cohort, "--phenotypes", phenotypes, "--outcome", "chronic_back_pain",
                             "--exposure", "imat_fraction", "--covariates", "age,sex,activity_group", "--categorical", "sex,activity_group:moderate",
                             "--out", out] + extra)
    }

    @Test func printsTheTableAndWritesJSONAndHTML() throws {
        let folder = try TemporaryFolder()
        let result = try associate(out: folder.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Logistic regression of chronic_back_pain on imat_fraction (muscle total, per 2 SD"))
        #expect(result.stdout.contains("activity_group=low"))
        #expect(result.stdout.contains("likelihood-ratio test for imat_fraction"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("association.json")))) as! [String: Any]
        #expect(json["schema"] as? String == "imat.association/1")
        let terms = (json["terms"] as! [[String: Any]]).map { $0["term"] as! String }
        #expect(terms == ["(Intercept)", "imat_fraction", "age", "sex=male", "activity_group=high", "activity_group=low"])
        for key in ["n", "events", "dropped", "model"] { #expect(json[key] != nil, "\(key)") }
        let model = json["model"] as! [String: Any]
        #expect(model["converged"] as? Bool == true)
        let html = try String(contentsOfFile: folder.file("association.html"), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("imat_fraction") && html.contains("activity_group=low"))
    }

    /// The same participants with a byte-order mark, CRLF line ends, quoted fields holding commas and
    /// quotes, and the rows reversed: the same numbers, byte for byte.
    @Test func spreadsheetQuirksAndRowOrderChangeNothing() throws {
        let folder = try TemporaryFolder()
        let lines = try String(contentsOfFile: Self.phenotypes, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0] + ",note"
        let rows = lines.dropFirst().reversed().enumerated().map { k, line in line + (k % 3 == 0 ? ",\"seen in Berlin, Mitte; said \"\"ok\"\"\"" : ",") }
        try FileManager.default.createDirectory(atPath: folder.file("quirky"), withIntermediateDirectories: true)
        let quirky = folder.file("quirky/phenotypes.csv")
        try Data(("\u{FEFF}" + ([header] + rows).joined(separator: "\r\n") + "\r\n").utf8).write(to: URL(fileURLWithPath: quirky))

        let plain = try associate(out: folder.file("plain"))
        let odd = try associate(phenotypes: quirky, out: folder.file("odd"))
        #expect(plain.status == 0 && odd.status == 0, "\(odd.stderr)")
        let a = try Data(contentsOf: URL(fileURLWithPath: folder.file("plain/association.json")))
        let b = try Data(contentsOf: URL(fileURLWithPath: folder.file("odd/association.json")))
        #expect(a == b)
    }

    @Test func aBadOutcomeIsOneMessageAndNothingIsWritten() throws {
        let folder = try TemporaryFolder()
        var text = try String(contentsOfFile: Self.phenotypes, encoding: .utf8)
        let secondLine = text.split(separator: "\n")[1]
        let id = secondLine.split(separator: ",")[0]
        text = text.replacingOccurrences(of: secondLine, with: secondLine.replacingOccurrences(of: "\(id),0,", with: "\(id),maybe,").replacingOccurrences(of: "\(id),1,", with: "\(id),maybe,"))
        try text.write(toFile: folder.file("phenotypes.csv"), atomically: true, encoding: .utf8)
        let result = try associate(phenotypes: folder.file("phenotypes.csv"), out: folder.file("out"))
        #expect(result.status == 1)
        #expect(result.stderr.contains("Error: \(folder.file("phenotypes.csv")): line 2 (participant \(id)): chronic_back_pain is \"maybe\""))
        #expect(!FileManager.default.fileExists(atPath: folder.file("out")))
        #expect(!result.crashed)
    }

    @Test func optionsAreValidated() throws {
        let folder = try TemporaryFolder()
        let result = try associate(out: folder.path, ["--per", "3sd"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--per takes 2sd, sd or unit"))
        let missing = try associate(phenotypes: folder.file("nope.csv"), out: folder.path)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("Error: \(folder.file("nope.csv")): cannot be read"))
    }

    @Test func aMixedModelReportsTheGroupVariance() throws {
        let folder = try TemporaryFolder()
        let result = try associate(out: folder.path, ["--random-intercept", "site"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("random intercept per site: 10 groups, variance"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("association.json")))) as! [String: Any]
        let model = json["model"] as! [String: Any]
        #expect(model["type"] as? String == "mixed logistic")
        #expect((model["group_variance"] as? Double ?? 0) > 0)
    }
}
