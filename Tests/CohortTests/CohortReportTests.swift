import Analysis
@testable import Cohort
import Testing

/// cohort.html reads cohort.csv's columns by name: its numbers are those of the named columns.
@Suite struct CohortReportTests {
    /// A cohort.csv row with the given muscle, IMAT fraction and mean fat fraction, every other column filled
    /// with a value that would show if the report read the wrong column.
    /// The quality flags are counted from the total rows only: a muscle row's `qc` is a decoy too.
    static func row(_ participant: String, _ muscle: String, imat: Double, fatFraction: Double, qc: String = "") -> [String] {
        ParticipantMetrics.csvHeader.map { column in
            switch column {
            case "participant": participant
            case "muscle": muscle
            case "imat_fraction": String(imat)
            case "fat_fraction_mean": String(fatFraction)
            case "qc" where muscle == "total": qc
            default: "9999"
            }
        }
    }

    @Test func summariesComeFromTheNamedColumns() throws {
        let rows = [Self.row("P1", "multifidus_left", imat: 0.1, fatFraction: 0.2), Self.row("P2", "multifidus_left", imat: 0.3, fatFraction: 0.4),
                    Self.row("P1", "total", imat: 0.2, fatFraction: 0.3, qc: "few_voxels;poor_separation"),
                    Self.row("P2", "total", imat: 0.4, fatFraction: 0.5, qc: "poor_separation")]
        let html = CohortReport.html(rows: rows, participants: 2, failures: [("P3", "no mask")])
        // multifidus_left: n 2, mean 0.2, SD 0.1414, median 0.2, IQR 0.15–0.25, mean fat fraction 0.3.
        #expect(html.contains("<tr><td>multifidus_left</td><td>2</td><td>0.2000</td><td>0.1414</td><td>0.2000</td><td>0.1500–0.2500</td><td>0.3000</td></tr>"))
        #expect(html.contains("<tr><td>total</td><td>2</td><td>0.3000</td>"))
        #expect(!html.contains("9999"))
        #expect(html.contains("P3") && html.contains("no mask"))
        #expect(html.contains("<tr><td>poor_separation</td><td>2</td><td>100.0 %</td></tr>\n<tr><td>few_voxels</td><td>1</td><td>50.0 %</td></tr>"))
        // The total comes last.
        let muscle = try #require(html.range(of: "<td>multifidus_left</td>")), total = try #require(html.range(of: "<td>total</td>"))
        #expect(muscle.lowerBound < total.lowerBound)
    }
}
