import ArgumentParser
import Cohort

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Collect every participant's metrics into OUT/cohort.csv and OUT/cohort.html."
    )

    @Argument(help: "The results folder of one or more batches.")
    var out: String

    func run() throws {
        let summary = try CohortMerge.merge(out)
        print("merge: \(summary.participants) participants, \(summary.rows) rows, \(summary.failures) failures → \(out)/cohort.csv, \(out)/cohort.html")
    }
}
