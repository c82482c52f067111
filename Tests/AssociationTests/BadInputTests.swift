@testable import Association
import Tabular
import Testing
import VolumeCore

@Suite struct BadInputTests {
    func message(_ request: AssociationRequest, _ tables: (SourceTable, SourceTable)) -> String? {
        do {
            _ = try AssociationAnalysis.run(request, cohort: tables.0, phenotypes: tables.1)
            return nil
        } catch let error as IMATError {
            return error.description
        } catch {
            return "unexpected \(type(of: error)): \(error)"
        }
    }

    @Test func aWellFormedSampleFits() throws {
        let (cohort, phenotypes) = syntheticTables()
        let result = try AssociationAnalysis.run(request(), cohort: cohort, phenotypes: phenotypes)
        #expect(result.n == 60)
        #expect(result.terms.map(\.term) == ["(Intercept)", "imat_fraction", "age", "sex=male"])
    }

    @Test func anOutcomeThatIsNotBinaryNamesTheFileLineAndParticipant() {
        let text = message(request(), syntheticTables(edit: { $0[6][1] = "2" }))
        #expect(text == "phenotypes.csv: line 8 (participant P1006): pain is \"2\"; a logistic outcome must be 0/1, yes/no or true/false (use --model linear for a continuous outcome)")
    }

    @Test func yesNoAndTrueFalseOutcomesAreRead() throws {
        let words = try AssociationAnalysis.run(request(), cohort: syntheticTables(outcome: { ($0 * 7 % 5 < 2) ? "Yes" : "no" }).0,
                                                phenotypes: syntheticTables(outcome: { ($0 * 7 % 5 < 2) ? "TRUE" : "false" }).1)
        let digits = try AssociationAnalysis.run(request(), cohort: syntheticTables().0, phenotypes: syntheticTables().1)
        #expect(words == digits)
    }

    @Test func aWordInANumericCovariateSuggestsCategorical() {
        let text = message(request(), syntheticTables(edit: { $0[3][2] = "forty" }))
        #expect(text == "phenotypes.csv: line 5 (participant P1003): age is \"forty\", not a number; list it in --categorical if it is categorical")
    }

    @Test func missingValuesAreDroppedAndCounted() throws {
        let (cohort, phenotypes) = syntheticTables(edit: { rows in
            rows[1][2] = "NA"; rows[2][2] = ""; rows[3][1] = "."; rows[4][3] = "NaN"
            rows.remove(at: 10)
        })
        let result = try AssociationAnalysis.run(request(), cohort: cohort, phenotypes: phenotypes)
        #expect(result.n == 55)
        #expect(result.dropped == 5)
        #expect(result.droppedReasons == [.init(reason: "not in phenotypes.csv", count: 1), .init(reason: "missing pain", count: 1),
                                          .init(reason: "missing age", count: 2), .init(reason: "missing sex", count: 1)])
    }

    /// `--exclude-qc`: the flagged are left out and counted by the first listed flag they carry; a cohort without
    /// a qc column cannot be filtered and says so.
    @Test func qualityFlagsExcludeAndAreCounted() throws {
        let (cohort, phenotypes) = syntheticTables()
        let flags = ["", "poor_separation", "few_voxels;poor_separation", "few_voxels", "field_of_view_cut"]
        let flagged = SourceTable(path: "cohort.csv", table: CSVTable(header: cohort.table.header + ["qc"], rows: cohort.table.rows.enumerated().map { r, row in
            // Participant i's two rows (total, autochthon_left) carry flags[i % 5] for i < 10.
            row + [r / 2 < 10 ? flags[(r / 2) % 5] : ""]
        }))
        var filtered = request()
        filtered.excludeQC = [.poorSeparation, .fewVoxels]
        let result = try AssociationAnalysis.run(filtered, cohort: flagged, phenotypes: phenotypes)
        #expect(result.droppedReasons == [.init(reason: "quality flag poor_separation", count: 4), .init(reason: "quality flag few_voxels", count: 2)])
        #expect(result.n == 54)
        let unfiltered = try AssociationAnalysis.run(request(), cohort: flagged, phenotypes: phenotypes)
        #expect(unfiltered.n == 60 && unfiltered.dropped == 0)
        #expect(message(filtered, (cohort, phenotypes)) == "cohort.csv: has no qc column to exclude quality flags by; merge results of imat analysis revision 5 or later")
    }

    @Test func columnsMustExistInExactlyOneTable() {
        var unknown = request()
        unknown.exposure = "imat_fractoin"
        #expect(message(unknown, syntheticTables())?.hasPrefix("column \"imat_fractoin\" is in neither cohort.csv (columns: participant, muscle, imat_fraction) nor phenotypes.csv") == true)
        let (cohort, phenotypes) = syntheticTables()
        let clash = SourceTable(path: "cohort.csv", table: CSVTable(header: ["participant", "muscle", "age"], rows: cohort.table.rows))
        var onAge = request(covariates: ["sex"])
        onAge.exposure = "age"
        #expect(message(onAge, (clash, phenotypes)) == "column \"age\" is in both cohort.csv and phenotypes.csv; rename one of them")
    }

    @Test func duplicateIDsNameBothLines() {
        let text = message(request(), syntheticTables(edit: { $0[5][0] = "P1002" }))
        #expect(text == "phenotypes.csv: participant P1002 appears twice (lines 4 and 7)")
    }

    @Test func anUnknownMuscleListsTheOnesThere() {
        var r = request()
        r.muscle = "psoas"
        #expect(message(r, syntheticTables()) == "cohort.csv: has no rows for muscle \"psoas\" (it has: autochthon_left, total)")
    }

    @Test func collinearTermsAreNamed() {
        // age2 is age in other units: no model can tell the two apart.
        let (cohort, phenotypes) = syntheticTables()
        let withCopy = SourceTable(path: "phenotypes.csv", table: CSVTable(
            header: phenotypes.table.header + ["age_months"], rows: phenotypes.table.rows.map { $0 + [String(Int($0[2])! * 12)] }))
        let text = message(request(covariates: ["age", "sex", "age_months"]), (cohort, withCopy))
        #expect(text?.hasPrefix("the design is collinear: ") == true)
        #expect(text?.contains("age") == true)
    }

    @Test func aLevelWithOneOutcomeIsPerfectSeparation() {
        // Every participant with activity = high (i % 3 == 2) has pain.
        let (cohort, phenotypes) = syntheticTables(outcome: { $0 % 3 == 2 || $0 % 4 == 0 ? "1" : "0" })
        let text = message(request(covariates: ["age", "activity"], categorical: ["activity"]), (cohort, phenotypes))
        #expect(text == "perfect separation: every participant with activity=high (20) has pain = 1; merge that level with another or leave activity out")
    }

    @Test func anExposureThatSplitsTheOutcomeIsPerfectSeparation() {
        // The outcome is 1 exactly for the upper half of the exposure.
        let (cohort, phenotypes) = syntheticTables(count: 60, outcome: { i in 0.05 + 0.002 * Double(i) + 0.01 * Double(i % 3) > 0.12 ? "1" : "0" })
        let text = message(request(covariates: ["age"], categorical: []), (cohort, phenotypes))
        #expect(text?.hasPrefix("perfect separation: the model predicts the outcome of ") == true)
        #expect(text?.contains("imat_fraction") == true)
    }

    @Test func aConstantOutcomeAndTooFewCasesAreRefused() {
        #expect(message(request(), syntheticTables(outcome: { _ in "0" })) == "every one of the 60 complete cases has outcome 0; there is nothing to model")
        #expect(message(request(), syntheticTables(count: 2)) == "only 2 participants have every value the model needs")
    }

    @Test func categoricalOptionsAreChecked() {
        #expect(message(request(categorical: ["activity"]), syntheticTables()) == "--categorical names \"activity\", which is not among the covariates (age, sex)")
        #expect(message(request(categorical: ["sex:other"]), syntheticTables()) == "the reference level \"other\" of sex is not among its levels (female, male)")
        #expect(message(request(), syntheticTables(edit: { rows in for r in rows.indices { rows[r][3] = "female" } })) == "sex has only one level (female) among the 60 complete cases; leave it out of --covariates")
    }

    @Test func aRandomInterceptNeedsALogisticModel() {
        var r = request()
        r.model = .linear
        r.group = "site"
        #expect(message(r, syntheticTables()) == "--random-intercept is available for logistic models only")
    }
}
