import ArgumentParser
import Association
import Foundation
import VolumeCore
import VolumeIO

struct AssociateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "associate",
        abstract: "Relate muscle composition to an outcome: logistic, mixed logistic or linear regression with covariates.",
        discussion: """
        Joins the rows of one muscle in COHORT (the cohort.csv of `imat merge`) with PHENOTYPES on the ID column, \
        keeps the complete cases (and says who was left out and why), and fits OUTCOME on EXPOSURE and the \
        covariates. The exposure is centred and reported per 2 SD by default, as the NAKO analysis did. \
        Categorical covariates become indicator columns `name=level` against the first level in sorted order, \
        or the one given as name:level. Prints the table and writes association.json and association.html.
        """
    )

    @Option(help: "The cohort table (cohort.csv from `imat merge`).")
    var cohort: String

    @Option(help: "The phenotype table: one row per participant with the outcome and covariates.")
    var phenotypes: String

    @Option(help: "The outcome column: 0/1 (yes/no, true/false) for logistic models, numeric with --model linear.")
    var outcome: String

    @Option(help: "The exposure column, e.g. imat_fraction, fat_fraction_mean, lean_ml.")
    var exposure: String

    @Option(help: "The cohort rows to use: a muscle name, or total.")
    var muscle: String = "total"

    @Option(help: "Covariate columns, comma-separated (from either table).")
    var covariates: String = ""

    @Option(help: "Covariates that are categorical, comma-separated; name:level sets the reference level.")
    var categorical: String = ""

    @Option(help: "The exposure's unit: 2sd, sd or unit.")
    var per: String = AssociationRequest.ExposureScale.twoSD.rawValue

    @Option(help: "logistic (a 0/1 outcome) or linear (a continuous outcome).")
    var model: String = AssociationRequest.Model.logistic.rawValue

    @Option(name: .customLong("random-intercept"), help: "A grouping column (e.g. site) for a mixed logistic model with a random intercept per group.")
    var randomIntercept: String?

    @Option(name: .customLong("id-column"), help: "The participant ID column in both tables.")
    var idColumn: String = "participant"

    @Option(name: .customLong("exclude-qc"), help: "Leave out participants with any of these quality flags (cohort.csv's qc column), comma-separated: \(QualityFlag.allCases.map(\.rawValue).joined(separator: ", ")). The left out are counted by flag.")
    var excludeQC: String = ""

    @Option(help: "Where association.json and association.html go (default: the cohort table's folder).")
    var out: String?

    func validate() throws {
        guard AssociationRequest.ExposureScale(rawValue: per) != nil else { throw ValidationError("--per takes 2sd, sd or unit") }
        guard AssociationRequest.Model(rawValue: model) != nil else { throw ValidationError("--model takes logistic or linear") }
        if let unknown = list(excludeQC).first(where: { QualityFlag(rawValue: $0) == nil }) {
            throw ValidationError("--exclude-qc: \"\(unknown)\" is no quality flag (flags: \(QualityFlag.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
    }

    func run() throws {
        var request = AssociationRequest(outcome: outcome, exposure: exposure)
        request.muscle = muscle
        request.covariates = list(covariates)
        request.categorical = list(categorical)
        request.per = AssociationRequest.ExposureScale(rawValue: per)!
        request.model = AssociationRequest.Model(rawValue: model)!
        request.group = randomIntercept
        request.idColumn = idColumn
        request.excludeQC = list(excludeQC).compactMap(QualityFlag.init(rawValue:))
        let result = try AssociationAnalysis.run(request, cohort: try SourceTable.read(cohort), phenotypes: try SourceTable.read(phenotypes))

        let folder = out ?? URL(fileURLWithPath: cohort).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try AtomicWrite.write(try result.jsonData(), to: folder + "/association.json")
        try AtomicWrite.write(Data(AssociationReport.html(result).utf8), to: folder + "/association.html")
        print(AssociationSummary.text(result), terminator: "")
        print("written: \(folder)/association.json, \(folder)/association.html")
        if !result.model.converged { printWarning("the model did not converge; treat its estimates with suspicion") }
    }

    private func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
