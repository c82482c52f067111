import Foundation
import MatrixAlgebra
import VolumeCore

/// The columns a regression fits: an intercept, the exposure (rescaled as asked), then each covariate,
/// a categorical one as indicator columns `name=level` against its reference level.
struct DesignMatrix: Sendable {
    var terms: [String]
    var matrix: Matrix
    /// The column of the exposure (always 1, after the intercept).
    let exposureColumn = 1
    /// The exposure's sample mean and standard deviation over the complete cases.
    var exposureMean: Double
    var exposureSD: Double
    /// The reference level of each categorical covariate.
    var references: [String: String] = [:]

    static let interceptTerm = "(Intercept)"

    init(sample: AnalysisSample, request: AssociationRequest) throws {
        let n = sample.ids.count
        guard n >= 3 else {
            throw IMATError(data: "only \(n) participant\(n == 1 ? "" : "s") \(n == 1 ? "has" : "have") every value the model needs")
        }
        let mean = sample.exposure.reduce(0, +) / Double(n)
        let sd = (sample.exposure.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)).squareRoot()
        exposureMean = mean
        exposureSD = sd
        let exposure: [Double]
        switch request.per {
        case .unit: exposure = sample.exposure
        case .sd, .twoSD:
            guard sd > 0 else {
                throw IMATError(data: "\(request.exposure) has the same value for all \(n) participants; it cannot be standardised")
            }
            let unit = request.per == .twoSD ? 2 * sd : sd
            exposure = sample.exposure.map { ($0 - mean) / unit }
        }
        var columns = [[Double](repeating: 1, count: n), exposure]
        terms = [Self.interceptTerm, request.exposure]
        let chosenReferences = try request.categoricalReferences()
        for (name, covariate) in zip(request.covariates, sample.covariates) {
            switch covariate {
            case .numeric(let values):
                columns.append(values)
                terms.append(name)
            case .categorical(let values):
                let levels = Set(values).sorted()
                guard levels.count > 1 else {
                    throw IMATError(data: "\(name) has only one level (\(levels.first ?? "")) among the \(n) complete cases; leave it out of --covariates")
                }
                let reference = chosenReferences[name].flatMap { $0 } ?? levels[0]
                guard levels.contains(reference) else {
                    throw IMATError(data: "the reference level \"\(reference)\" of \(name) is not among its levels (\(levels.joined(separator: ", ")))")
                }
                references[name] = reference
                for level in levels where level != reference {
                    columns.append(values.map { $0 == level ? 1 : 0 })
                    terms.append("\(name)=\(level)")
                }
            }
        }
        matrix = Matrix(columns: columns, rows: n)
        let dependent = LinearAlgebra.dependentColumns(matrix)
        guard dependent.isEmpty else {
            let names = dependent.map { terms[$0] }.joined(separator: ", ")
            throw IMATError(data: "the design is collinear: \(names) \(dependent.count == 1 ? "is a linear combination" : "are linear combinations") of the other terms among the \(n) complete cases; leave \(dependent.count == 1 ? "it" : "one") out")
        }
        guard n > terms.count else {
            throw IMATError(data: "\(n) complete cases are too few for \(terms.count) terms")
        }
    }
}
