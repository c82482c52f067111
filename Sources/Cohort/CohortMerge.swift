import Analysis
import Foundation
import Tabular
import VolumeCore
import VolumeIO

/// `imat merge`: every participant's metrics.csv rows in one cohort.csv (sorted by participant, one header), their
/// levels.csv rows in cohort_levels.csv (when any has levels), and cohort.html with the distribution of IMAT
/// fraction per muscle and the failure list.
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
        let (rows, participants) = try collect("metrics.csv", header: ParticipantMetrics.csvHeader, of: names, in: outputRoot)
        let (levelRows, withLevels) = try collect("levels.csv", header: LevelMetrics.csvHeader, of: names, in: outputRoot)
        let failures = FailureLog(outputRoot: outputRoot)
        let failed = failures.all()
        guard participants > 0 || !failed.isEmpty else {
            throw IMATError(outputRoot, "holds no participant's results (PARTICIPANT/metrics.csv) and no failures: nothing to merge")
        }
        try failures.writeCSV()
        try AtomicWrite.write(Data(CSV.document(header: ParticipantMetrics.csvHeader, rows: rows).utf8),
                              to: (outputRoot as NSString).appendingPathComponent("cohort.csv"))
        let levelsPath = (outputRoot as NSString).appendingPathComponent("cohort_levels.csv")
        if withLevels > 0 {
            try AtomicWrite.write(Data(CSV.document(header: LevelMetrics.csvHeader, rows: levelRows).utf8), to: levelsPath)
        } else if FileManager.default.fileExists(atPath: levelsPath) {
            // A table of an earlier merge would stand for participants that have no levels any more.
            try FileManager.default.removeItem(atPath: levelsPath)
        }
        let html = CohortReport.html(rows: rows, participants: participants, failures: failed)
        try AtomicWrite.write(Data(html.utf8), to: (outputRoot as NSString).appendingPathComponent("cohort.html"))
        return Summary(participants: participants, rows: rows.count, failures: failed.count)
    }

    /// The rows of every participant's `file` (those that have one), checked against `header`, and how many had it.
    private static func collect(_ file: String, header: [String], of names: [String], in outputRoot: String) throws -> (rows: [[String]], participants: Int) {
        var rows: [[String]] = []
        var participants = 0
        for name in names {
            let path = (outputRoot as NSString).appendingPathComponent("\(name)/\(file)")
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard let data = FileManager.default.contents(atPath: path) else { throw IMATError(path, "cannot read the file") }
            let table: CSVTable
            do { table = try CSVTable(parsing: String(decoding: data, as: UTF8.self)) } catch {
                throw IMATError(path, "not a table IMATKit wrote: \(error)")
            }
            guard table.header == header else {
                throw IMATError(path, "unexpected columns (\(table.header.joined(separator: ","))); expected \(header.joined(separator: ","))")
            }
            rows += table.rows
            participants += 1
        }
        return (rows, participants)
    }
}
