import Foundation
import Tabular
import VolumeCore
import VolumeIO

/// Failures of a batch, one small record per participant under OUT/.imat/failures/, so that shards running
/// at once never write the same file; `failures.csv` is rebuilt from the records (atomically) whenever a
/// shard finishes, and always holds every shard's failures that were recorded by then.
struct FailureLog: Sendable {
    let outputRoot: String

    init(outputRoot: String) { self.outputRoot = outputRoot }

    var recordFolder: String { (outputRoot as NSString).appendingPathComponent(".imat/failures") }
    var csvPath: String { (outputRoot as NSString).appendingPathComponent("failures.csv") }

    func record(_ participant: String, error: String) throws {
        try FileManager.default.createDirectory(atPath: recordFolder, withIntermediateDirectories: true)
        try AtomicWrite.write(Data(error.utf8), to: recordPath(participant))
    }

    func clear(_ participant: String) {
        try? FileManager.default.removeItem(atPath: recordPath(participant))
    }

    /// Every recorded failure, sorted by participant.
    func all() -> [(participant: String, error: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: recordFolder)) ?? []
        return names.filter { $0.hasSuffix(".txt") && !$0.hasPrefix(".") }.sorted().compactMap { name in
            guard let data = FileManager.default.contents(atPath: (recordFolder as NSString).appendingPathComponent(name)) else { return nil }
            return (String(name.dropLast(4)), String(decoding: data, as: UTF8.self))
        }
    }

    /// Rewrites failures.csv (participant, error) from the records.
    func writeCSV() throws {
        let rows = all().map { [$0.participant, $0.error] }
        try AtomicWrite.write(Data(CSV.document(header: ["participant", "error"], rows: rows).utf8), to: csvPath)
    }

    private func recordPath(_ participant: String) -> String {
        (recordFolder as NSString).appendingPathComponent(participant + ".txt")
    }
}
