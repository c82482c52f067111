import Analysis
import Foundation
import Tabular
import VolumeCore
import VolumeIO

/// `imat merge`: every participant's metrics.csv rows in one cohort.csv (sorted by participant, one header),
/// and cohort.html with the distribution of IMAT fraction per muscle and the failure list.
public enum CohortMerge {
    public struct Summary: Sendable {
        public var participants: Int
        public var rows: Int
        public var failures: Int
    }

    public static func merge(_ outputRoot: String) throws -> Summary {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: outputRoot, isDirectory: &isDir), isDir.boolValue else {
            throw IMATError(outputRoot, "no such results folder")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: outputRoot).filter { !$0.hasPrefix(".") }.sorted()
        var rows: [[String]] = []
        var participants = 0
        for name in names {
            let path = (outputRoot as NSString).appendingPathComponent("\(name)/metrics.csv")
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard let data = FileManager.default.contents(atPath: path) else { throw IMATError(path, "cannot read the file") }
            let table: CSVTable
            do { table = try CSVTable(parsing: String(decoding: data, as: UTF8.self)) } catch {
                throw IMATError(path, "not a metrics table: \(error)")
            }
            guard table.header == ParticipantMetrics.csvHeader else {
                throw IMATError(path, "unexpected columns (\(table.header.joined(separator: ","))); expected \(ParticipantMetrics.csvHeader.joined(separator: ","))")
            }
            rows += table.rows
            participants += 1
        }
        let failures = FailureLog(outputRoot: outputRoot)
        let failed = failures.all()
        guard participants > 0 || !failed.isEmpty else {
            throw IMATError(outputRoot, "holds no participant's results (PARTICIPANT/metrics.csv) and no failures: nothing to merge")
        }
        try failures.writeCSV()
        try AtomicWrite.write(Data(CSV.document(header: ParticipantMetrics.csvHeader, rows: rows).utf8),
                              to: (outputRoot as NSString).appendingPathComponent("cohort.csv"))
        let html = CohortReport.html(rows: rows, participants: participants, failures: failed)
        try AtomicWrite.write(Data(html.utf8), to: (outputRoot as NSString).appendingPathComponent("cohort.html"))
        return Summary(participants: participants, rows: rows.count, failures: failed.count)
    }
}
