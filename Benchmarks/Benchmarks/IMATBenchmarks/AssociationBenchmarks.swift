import Association
import Foundation
import Benchmark
import Tabular

/// A 30,000-participant cohort with a design of 12 columns (intercept, exposure, age, sex, two activity
/// indicators, five binary conditions, BMI), generated the same on every run.
func syntheticCohort(participants: Int) -> (SourceTable, SourceTable, AssociationRequest) {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func uniform() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53)
    }
    var cohortRows: [[String]] = [], phenotypeRows: [[String]] = []
    for i in 0..<participants {
        let id = "P" + String(100_000 + i)
        let imat = 0.03 + 0.15 * uniform() * uniform()
        let age = 40 + Int(uniform() * 36)
        let female = uniform() < 0.5
        let activity = ["low", "moderate", "high"][Int(uniform() * 3)]
        let conditions = (0..<5).map { _ in uniform() < 0.2 ? 1 : 0 }
        let bmi = 20 + 14 * uniform()
        let eta = -1.2 + 4 * (imat - 0.07) + 0.015 * Double(age - 50) + (female ? 0.25 : 0) + 0.3 * Double(conditions[0]) + 0.02 * (bmi - 27)
        let pain = uniform() < 1 / (1 + exp(-eta)) ? "1" : "0"
        cohortRows.append([id, "total", String(imat)])
        phenotypeRows.append([id, pain, String(age), female ? "female" : "male", activity] + conditions.map(String.init)
                             + [String(bmi), "site\(i % 18)"])
    }
    let cohort = SourceTable(path: "cohort.csv", table: CSVTable(header: ["participant", "muscle", "imat_fraction"], rows: cohortRows))
    let phenotypes = SourceTable(path: "phenotypes.csv", table: CSVTable(
        header: ["participant", "pain", "age", "sex", "activity", "diabetes", "dyslipidemia", "osteoporosis", "osteoarthritis", "smoker", "bmi", "site"],
        rows: phenotypeRows))
    var request = AssociationRequest(outcome: "pain", exposure: "imat_fraction")
    request.covariates = ["age", "sex", "activity", "diabetes", "dyslipidemia", "osteoporosis", "osteoarthritis", "smoker", "bmi"]
    request.categorical = ["sex", "activity"]
    return (cohort, phenotypes, request)
}

func associationBenchmarks() {
    // The cohort is built in each benchmark's setup, so the other benchmarks' processes never hold it.
    let cohortSetup = { syntheticCohort(participants: 30_000) }
    // Join, complete cases and design (strings to numbers), then the two fits (with and without the
    // exposure, for the likelihood-ratio test), as statsmodels' times are split in association_speed.py.
    Benchmark("logistic: prepare 30000x12", closure: { (benchmark: Benchmark, input: (SourceTable, SourceTable, AssociationRequest)) in
        let (cohort, phenotypes, request) = input
        measure(benchmark) { try AssociationAnalysis.prepare(request, cohort: cohort, phenotypes: phenotypes) }
    }, setup: cohortSetup)
    Benchmark("logistic: fit 30000x12 (+ reduced fit)", closure: { (benchmark: Benchmark, prepared: PreparedAnalysis) in
        measure(benchmark) { try AssociationAnalysis.fit(prepared) }
    }, setup: {
        let (cohort, phenotypes, request) = cohortSetup()
        return try AssociationAnalysis.prepare(request, cohort: cohort, phenotypes: phenotypes)
    })
    Benchmark("mixed logistic 30000x12, 18 sites", configuration: .init(maxIterations: 5),
              closure: { (benchmark: Benchmark, input: (SourceTable, SourceTable, AssociationRequest)) in
        var (cohort, phenotypes, mixed) = input
        mixed.group = "site"
        measure(benchmark) { try AssociationAnalysis.run(mixed, cohort: cohort, phenotypes: phenotypes) }
    }, setup: cohortSetup)
}
