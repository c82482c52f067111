import Analysis
import Foundation
import HTMLPages
import Reporting
import VolumeCore

/// cohort.html: how IMAT fraction is distributed in each muscle across the cohort, and who failed.
enum CohortReport {
    /// `rows` are cohort.csv's, in the columns of `ParticipantMetrics.csvHeader`, found here by name.
    static func html(rows: [[String]], participants: Int, failures: [(participant: String, error: String)]) -> String {
        let header = ParticipantMetrics.csvHeader
        let column = { (name: String) in header.firstIndex(of: name)! }
        let muscleColumn = column("muscle"), imatColumn = column("imat_fraction"), fatFractionColumn = column("fat_fraction_mean")
        var byMuscle: [String: [(imat: Double, fatFraction: Double)]] = [:]
        var order: [String] = []
        for row in rows {
            guard let imat = Double(row[imatColumn]), let ff = Double(row[fatFractionColumn]) else { continue }
            if byMuscle[row[muscleColumn]] == nil { order.append(row[muscleColumn]) }
            byMuscle[row[muscleColumn], default: []].append((imat, ff))
        }
        // The total last, the muscles in the order they first appear.
        order = order.filter { $0 != "total" }.sorted() + (order.contains("total") ? ["total"] : [])
        var body = "<h1>Cohort summary</h1>\n<p class=\"sub\">\(participants) participants analysed, \(failures.count) failed.</p>\n"
        body += "<h2>IMAT fraction per muscle</h2>\n<table>\n<tr><th>muscle</th><th>n</th><th>mean</th><th>SD</th><th>median</th><th>IQR</th><th>mean fat fraction</th></tr>\n"
        for muscle in order {
            let values = byMuscle[muscle]!.map(\.imat).sorted()
            let ff = byMuscle[muscle]!.map(\.fatFraction)
            let mean = values.reduce(0, +) / Double(values.count)
            let sd = values.count > 1 ? (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot() : 0
            let cells = [escapeHTML(muscle), String(values.count), f(mean), f(sd), f(quantile(sorted: values, 0.5)),
                         "\(f(quantile(sorted: values, 0.25)))–\(f(quantile(sorted: values, 0.75)))", f(ff.reduce(0, +) / Double(ff.count))]
            body += "<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        body += "</table>\n<div class=\"grid\">\n"
        for muscle in order {
            let values = byMuscle[muscle]!.map(\.imat)
            let bins = 24, low = 0.0, high = max(values.max() ?? 1, 1e-3)
            let width = (high - low) / Double(bins), binning = EqualBins(origin: low, width: width, count: bins)
            var counts = [Double](repeating: 0, count: bins)
            for v in values { counts[binning.index(of: v)] += 1 }
            let plot = HistogramPlot(title: muscle, binCentres: (0..<bins).map { low + (Double($0) + 0.5) * width }, counts: counts,
                                     xLabel: "IMAT fraction")
            body += "<figure>\(plot.svg())</figure>\n"
        }
        body += "</div>\n" + qualitySection(rows: rows, participants: participants, column: column)
        body += "<h2>Failures</h2>\n"
        if failures.isEmpty {
            body += "<p class=\"ok\">None.</p>\n"
        } else {
            body += "<table>\n<tr><th>participant</th><th>error</th></tr>\n"
            body += failures.map { "<tr><td>\(escapeHTML($0.participant))</td><td style=\"text-align:left\">\(escapeHTML($0.error))</td></tr>\n" }.joined()
            body += "</table>\n"
        }
        return htmlPage(title: "IMAT cohort summary", body: body)
    }

    /// How many participants carry each quality flag (the `qc` column of their total row), to decide on exclusions
    /// (`imat associate --exclude-qc`).
    private static func qualitySection(rows: [[String]], participants: Int, column: (String) -> Int) -> String {
        let (muscleColumn, participantColumn, qcColumn) = (column("muscle"), column("participant"), column("qc"))
        var flagged: [String: Set<String>] = [:]
        for row in rows where row[muscleColumn] == "total" {
            for flag in row[qcColumn].split(separator: ";") { flagged[String(flag), default: []].insert(row[participantColumn]) }
        }
        var html = "<h2>Quality flags</h2>\n"
        guard !flagged.isEmpty else { return html + "<p class=\"ok\">No participant is flagged.</p>\n" }
        html += "<table>\n<tr><th>flag</th><th>participants</th><th>share</th></tr>\n"
        for (flag, ids) in flagged.sorted(by: { $0.value.count == $1.value.count ? $0.key < $1.key : $0.value.count > $1.value.count }) {
            html += "<tr><td>\(escapeHTML(flag))</td><td>\(ids.count)</td><td>\(String(format: "%.1f %%", 100 * Double(ids.count) / Double(max(participants, 1))))</td></tr>\n"
        }
        return html + "</table>\n<p class=\"sub\">Each participant's flags are in cohort.csv's <code>qc</code> column and its metrics.json's warnings; "
            + "<code>imat associate --exclude-qc FLAG,…</code> leaves the flagged out and counts them by flag.</p>\n"
    }

    private static func f(_ x: Double) -> String { String(format: "%.4f", x) }
}
