import Foundation
import Tabular
import VolumeCore

/// Many exposure → outcome pairs, as a manifest lists them: a CSV with columns `exposure` and `outcome` (file
/// paths, relative to the manifest's folder unless absolute) and optionally `name` (the pair's output folder).
public struct MRPair: Sendable, Equatable {
    public var name: String
    public var exposure: String
    public var outcome: String

    public init(name: String, exposure: String, outcome: String) { (self.name, self.exposure, self.outcome) = (name, exposure, outcome) }

    /// The pairs of a manifest; names default to EXPOSURE__OUTCOME (file names without extensions) and must be unique.
    public static func manifest(text: String, path: String) throws -> [MRPair] {
        let table: CSVTable
        do { table = try CSVTable(parsing: text) } catch let error as CSV.ParseError { throw IMATError(path, "\(error)") }
        guard let e = table.columnIndex("exposure"), let o = table.columnIndex("outcome") else {
            throw IMATError(path, "needs the columns exposure and outcome (it has: \(table.header.joined(separator: ", ")))")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        func resolve(_ file: String) -> String { file.hasPrefix("/") ? file : folder.appendingPathComponent(file).path }
        let nameColumn = table.columnIndex("name")
        var seen: [String: Int] = [:]
        return try zip(table.rows, table.lines).map { row, line in
            guard !row[e].isEmpty, !row[o].isEmpty else { throw IMATError(path, "line \(line): the exposure or outcome file is empty") }
            let name = nameColumn.map { row[$0] }.flatMap { $0.isEmpty ? nil : $0 } ?? "\(stem(row[e]))__\(stem(row[o]))"
            guard !name.contains("/"), name != ".", name != ".." else { throw IMATError(path, "line \(line): the name \"\(name)\" is not a folder name") }
            if let earlier = seen[name] { throw IMATError(path, "line \(line): the name \"\(name)\" is also on line \(earlier); give each pair its own name") }
            seen[name] = line
            return MRPair(name: name, exposure: resolve(row[e]), outcome: resolve(row[o]))
        }
    }

    /// The file name without its folder and extensions (.tsv.gz and all).
    public static func stem(_ path: String) -> String {
        let file = URL(fileURLWithPath: path).lastPathComponent
        return String(file.prefix { $0 != "." })
    }
}

public enum MRBatch {
    /// Every pair's analysis, in manifest order. Each file is read once (`load`), however many pairs use it; pairs
    /// run in parallel, each one's bootstrap on one thread, so the numbers are those of the pair run alone.
    /// The first failing pair (in manifest order) is thrown, so nothing is written when any fails.
    public static func run(_ pairs: [MRPair], settings: MRSettings, version: String, workers: Int = Parallel.defaultWorkers,
                           load: @Sendable (String) throws -> SummaryStatistics) throws -> [MRResult] {
        let files = Array(Set(pairs.flatMap { [$0.exposure, $0.outcome] })).sorted()
        let loaded = Parallel.map(files.count, workers: workers) { i in Result { try load(files[i]) } }
        var statistics: [String: SummaryStatistics] = [:]
        for (file, result) in zip(files, loaded) { statistics[file] = try result.get() }
        var single = settings
        single.workers = 1
        let results = Parallel.map(pairs.count, workers: workers) { i in
            Result {
                try MRAnalysis.run(exposure: statistics[pairs[i].exposure]!, outcome: statistics[pairs[i].outcome]!, settings: single,
                                   version: version, names: (MRPair.stem(pairs[i].exposure), MRPair.stem(pairs[i].outcome)))
            }
        }
        return try results.map { try $0.get() }
    }

    /// mr_pairs.csv: one row per pair and method.
    public static func summaryCSV(_ pairs: [MRPair], _ results: [MRResult]) -> String {
        let rows = zip(pairs, results).flatMap { pair, result in
            result.methods.all.map { m in
                [pair.name, m.key] + [m.estimate.b, m.estimate.se, m.estimate.p].map { $0.map { "\($0)" } ?? "" } + ["\(m.estimate.nSNPs)"]
            }
        }
        return CSV.document(header: ["pair", "method", "b", "se", "p", "n_snps"], rows: rows)
    }
}
