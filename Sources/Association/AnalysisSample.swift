import Foundation
import Tabular
import VolumeCore

/// A CSV table and the file it came from, so that every message can name the file.
public struct SourceTable: Sendable {
    public var path: String
    public var table: CSVTable

    public init(path: String, table: CSVTable) {
        self.path = path
        self.table = table
    }

    /// Reads and parses a CSV file.
    public static func read(_ path: String) throws -> SourceTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IMATError(path, "cannot be read (missing, or not a file)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw IMATError(path, "is not UTF-8 text") }
        do {
            return SourceTable(path: path, table: try CSVTable(parsing: text))
        } catch let error as CSV.ParseError {
            throw IMATError(path, "\(error)")
        }
    }
}

/// The complete cases of a cohort joined with its phenotypes: one row per participant, the columns a
/// model needs, and an account of every participant left out.
struct AnalysisSample: Sendable {
    enum Covariate: Sendable {
        case numeric([Double])
        case categorical([String])
    }

    var ids: [String] = []
    var outcome: [Double] = []
    var exposure: [Double] = []
    /// In the order of the request's covariates.
    var covariates: [Covariate] = []
    var groups: [String]? = nil
    /// Why participants were left out, each reason with its count: not in one of the files, then missing a
    /// value (counted under the first missing column, in the order outcome, exposure, covariates, group).
    var dropped: [(reason: String, count: Int)] = []

    var droppedCount: Int { dropped.reduce(0) { $0 + $1.count } }

    /// Joins the cohort rows of `request.muscle` with the phenotypes on the ID column and keeps the
    /// participants with every needed value. Participants are ordered by ID, so the result does not
    /// depend on the order of either file.
    static func join(cohort: SourceTable, phenotypes: SourceTable, request: AssociationRequest) throws -> AnalysisSample {
        let categorical = try request.categoricalReferences()
        let cohortRows = try rowsByID(cohort, request: request, muscle: request.muscle)
        let phenotypeRows = try rowsByID(phenotypes, request: request, muscle: nil)

        struct Column { var name: String; var inCohort: Bool; var index: Int }
        func locate(_ name: String) throws -> Column {
            switch (cohort.table.columnIndex(name), phenotypes.table.columnIndex(name)) {
            case let (c?, nil): return Column(name: name, inCohort: true, index: c)
            case let (nil, p?): return Column(name: name, inCohort: false, index: p)
            case (_?, _?):
                throw IMATError(data: "column \"\(name)\" is in both \(cohort.path) and \(phenotypes.path); rename one of them")
            case (nil, nil):
                throw IMATError(data: "column \"\(name)\" is in neither \(cohort.path) (columns: \(cohort.table.header.joined(separator: ", "))) nor \(phenotypes.path) (columns: \(phenotypes.table.header.joined(separator: ", ")))")
            }
        }
        let names = [request.outcome, request.exposure] + request.covariates + (request.group.map { [$0] } ?? [])
        if let repeated = Dictionary(grouping: names, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw IMATError(data: "column \"\(repeated)\" is given more than once among the outcome, exposure, covariates and group")
        }
        let columns = try names.map(locate)

        let qcColumn = cohort.table.columnIndex("qc")
        if !request.excludeQC.isEmpty && qcColumn == nil {
            throw IMATError(cohort.path, "has no qc column to exclude quality flags by; merge results of imat analysis revision 5 or later")
        }
        var sample = AnalysisSample()
        var notInCohort = 0, notInPhenotypes = 0
        var flaggedCounts = [Int](repeating: 0, count: request.excludeQC.count)
        var missingCounts = [Int](repeating: 0, count: columns.count)
        var numeric = [[Double]](repeating: [], count: request.covariates.count)
        var levels = [[String]](repeating: [], count: request.covariates.count)
        var groups: [String] = []

        for id in Set(cohortRows.keys).union(phenotypeRows.keys).sorted() {
            guard let cohortRow = cohortRows[id] else { notInCohort += 1; continue }
            guard let phenotypeRow = phenotypeRows[id] else { notInPhenotypes += 1; continue }
            func text(_ column: Column) -> String {
                let source = column.inCohort ? cohort : phenotypes
                return source.table.rows[column.inCohort ? cohortRow : phenotypeRow][column.index].trimmingBlanks
            }
            /// "file: line N (participant P): " for a message about this participant's value in `column`.
            func place(_ column: Column) -> (path: String, prefix: String) {
                let source = column.inCohort ? cohort : phenotypes
                return (source.path, "line \(source.table.lines[column.inCohort ? cohortRow : phenotypeRow]) (\(request.idColumn) \(id))")
            }
            func number(_ column: Column, isCovariate: Bool = false) throws -> Double {
                let value = text(column)
                guard let x = Double(value), x.isFinite else {
                    let hint = isCovariate ? "; list it in --categorical if it is categorical" : ""
                    throw IMATError(place(column).path, "\(place(column).prefix): \(column.name) is \"\(value)\", not a number\(hint)")
                }
                return x
            }
            if let qcColumn {
                let flags = Set(cohort.table.rows[cohortRow][qcColumn].split(separator: ";").map(String.init))
                if let first = request.excludeQC.firstIndex(where: { flags.contains($0.rawValue) }) { flaggedCounts[first] += 1; continue }
            }
            if let missing = columns.firstIndex(where: { isMissingValue(text($0)) }) { missingCounts[missing] += 1; continue }

            switch request.model {
            case .logistic:
                guard let value = binaryValue(text(columns[0])) else {
                    throw IMATError(place(columns[0]).path, "\(place(columns[0]).prefix): \(request.outcome) is \"\(text(columns[0]))\"; a logistic outcome must be 0/1, yes/no or true/false (use --model linear for a continuous outcome)")
                }
                sample.outcome.append(value)
            case .linear:
                sample.outcome.append(try number(columns[0]))
            }
            sample.exposure.append(try number(columns[1]))
            for (k, name) in request.covariates.enumerated() {
                if categorical.keys.contains(name) { levels[k].append(text(columns[2 + k])) }
                else { numeric[k].append(try number(columns[2 + k], isCovariate: true)) }
            }
            if request.group != nil, let column = columns.last { groups.append(text(column)) }
            sample.ids.append(id)
        }
        sample.covariates = request.covariates.indices.map {
            categorical.keys.contains(request.covariates[$0]) ? .categorical(levels[$0]) : .numeric(numeric[$0])
        }
        if request.group != nil { sample.groups = groups }
        let fileName = { (path: String) in URL(fileURLWithPath: path).lastPathComponent }
        sample.dropped = [("not in \(fileName(cohort.path)) for muscle \(request.muscle)", notInCohort),
                          ("not in \(fileName(phenotypes.path))", notInPhenotypes)]
            + zip(request.excludeQC, flaggedCounts).map { ("quality flag \($0.rawValue)", $1) }
            + zip(columns, missingCounts).map { ("missing \($0.name)", $1) }
        sample.dropped.removeAll { $0.count == 0 }
        return sample
    }

    /// Row index by participant ID, for one muscle of a cohort table (muscle given) or a whole phenotype table.
    private static func rowsByID(_ source: SourceTable, request: AssociationRequest, muscle: String?) throws -> [String: Int] {
        let table = source.table
        guard let idIndex = table.columnIndex(request.idColumn) else {
            throw IMATError(source.path, "has no \"\(request.idColumn)\" column to join on (columns: \(table.header.joined(separator: ", "))); name the ID column with --id-column")
        }
        var muscleIndex: Int? = nil
        if muscle != nil {
            guard let index = table.columnIndex("muscle") else {
                throw IMATError(source.path, "has no \"muscle\" column; is it the cohort.csv that `imat merge` writes?")
            }
            muscleIndex = index
        }
        var rows: [String: Int] = [:]
        for (r, row) in table.rows.enumerated() {
            if let muscleIndex, row[muscleIndex] != muscle { continue }
            let id = row[idIndex].trimmingBlanks
            guard !id.isEmpty else { throw IMATError(source.path, "line \(table.lines[r]): the \(request.idColumn) is empty") }
            if let earlier = rows[id] {
                throw IMATError(source.path, "\(request.idColumn) \(id) appears twice\(muscle.map { " for muscle \($0)" } ?? "") (lines \(table.lines[earlier]) and \(table.lines[r]))")
            }
            rows[id] = r
        }
        if let muscle, rows.isEmpty, let muscleIndex {
            let muscles = Set(table.rows.map { $0[muscleIndex] }).sorted()
            throw IMATError(source.path, "has no rows for muscle \"\(muscle)\" (it has: \(muscles.joined(separator: ", ")))")
        }
        return rows
    }
}

/// 0/1 (also 0.0/1.0), yes/no, true/false (any case) as 0 or 1; the digits first, without lowercasing,
/// as nearly every outcome column holds them.
private func binaryValue(_ text: String) -> Double? {
    if text == "0" { return 0 }
    if text == "1" { return 1 }
    return switch text.lowercased() {
    case "1.0", "yes", "true": 1
    case "0.0", "no", "false": 0
    default: nil
    }
}
