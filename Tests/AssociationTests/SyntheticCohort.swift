import Tabular
@testable import Association

/// A small cohort built in code: participant i has IMAT fraction rising with i, an age, a sex, and an
/// outcome set by `outcome(i)`; `edit` changes phenotype rows before the tables are made.
func syntheticTables(count: Int = 60, outcome: (Int) -> String = { ($0 * 7 % 5 < 2) ? "1" : "0" },
                     edit: (inout [[String]]) -> Void = { _ in }) -> (SourceTable, SourceTable) {
    let ids = (0..<count).map { "P" + String(1000 + $0) }
    var cohortRows: [[String]] = []
    var phenotypeRows: [[String]] = []
    for (i, id) in ids.enumerated() {
        let total: Double = 0.05 + 0.002 * Double(i) + 0.01 * Double(i % 3)
        cohortRows.append([id, "total", String(total)])
        cohortRows.append([id, "autochthon_left", String(0.04 + 0.001 * Double(i))])
        let activity = ["low", "moderate", "high"][i % 3]
        phenotypeRows.append([id, outcome(i), String(40 + (i * 13) % 35), i % 2 == 0 ? "female" : "male", activity, "site\(i % 4)"])
    }
    edit(&phenotypeRows)
    return (SourceTable(path: "cohort.csv", table: CSVTable(header: ["participant", "muscle", "imat_fraction"], rows: cohortRows)),
            SourceTable(path: "phenotypes.csv", table: CSVTable(header: ["participant", "pain", "age", "sex", "activity", "site"], rows: phenotypeRows)))
}

func request(covariates: [String] = ["age", "sex"], categorical: [String] = ["sex"]) -> AssociationRequest {
    var request = AssociationRequest(outcome: "pain", exposure: "imat_fraction")
    request.covariates = covariates
    request.categorical = categorical
    return request
}
