import Foundation
import TestSupport
import Testing

/// Every string that reaches cohort.html or association.html from input (participant IDs, label names, error
/// texts, CSV column names and values) arrives escaped: markup planted in the inputs never appears as markup.
/// (report.html is covered by AnalyzeTests.reportEscapesInputAndEmbedsItsPictures.)
@Suite struct HTMLEscapingTests {
    static let planted = "<img src=x onerror=alert(1)>"
    static let escaped = "&lt;img src=x onerror=alert(1)&gt;"

    static func expectNoPlantedMarkup(_ html: String, in page: String) {
        #expect(!html.contains("<img src=x"), "\(page) carries planted markup")
        #expect(!html.contains("<script"), "\(page) carries a script")
        #expect(!html.contains("\"onerror"), "\(page) carries a planted attribute")
    }

    @Test func cohortPageEscapesParticipantIDsLabelNamesAndErrors() throws {
        let tmp = try BatchTests.cohort(2)
        let hostile = "P<script>2&\"'"
        try FileManager.default.moveItem(atPath: tmp.file("scans/P0002"), toPath: tmp.file("scans/\(hostile)"))
        try FileManager.default.removeItem(atPath: tmp.file("scans/\(hostile)/mask.nii.gz"))
        let labels = tmp.file("labels.json")
        try Data(#"{"44": "\#(Self.planted)", "45": "right \" onerror=\"x"}"#.utf8).write(to: URL(fileURLWithPath: labels))
        let batch = try IMATProcess.run(["batch", tmp.file("scans"), "--out", tmp.file("out"), "--labels", labels])
        #expect(batch.status == 3, "one participant fails: \(batch.stderr)")
        #expect(try IMATProcess.run(["merge", tmp.file("out")]).status == 0)
        let html = try String(contentsOfFile: tmp.file("out/cohort.html"), encoding: .utf8)
        Self.expectNoPlantedMarkup(html, in: "cohort.html")
        #expect(html.contains(Self.escaped))
        #expect(html.contains("P&lt;script&gt;2&amp;&quot;&#39;"))
        #expect(html.contains("right &quot; onerror=&quot;x"))
    }

    @Test func associationPageEscapesColumnNamesAndLevels() throws {
        let tmp = try TemporaryFolder()
        let column = "s<script>ex"
        var text = try String(contentsOfFile: AssociateTests.phenotypes, encoding: .utf8)
        text = text.replacingOccurrences(of: ",sex,", with: ",\(column),").replacingOccurrences(of: ",female,", with: ",\(Self.planted),")
        try text.write(toFile: tmp.file("phenotypes.csv"), atomically: true, encoding: .utf8)
        let result = try IMATProcess.run(["associate", "--cohort", AssociateTests.cohort, "--phenotypes", tmp.file("phenotypes.csv"),
                                          "--outcome", "chronic_back_pain", "--exposure", "imat_fraction",
                                          "--covariates", "age,\(column)", "--categorical", "\(column):\(Self.planted)", "--out", tmp.file("out")])
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOfFile: tmp.file("out/association.html"), encoding: .utf8)
        Self.expectNoPlantedMarkup(html, in: "association.html")
        #expect(html.contains("s&lt;script&gt;ex=male"), "the term of the level is shown, escaped")
        #expect(html.contains(Self.escaped), "the reference level is shown, escaped")
    }
}
