import Foundation

/// The plain-text account of an association that `imat associate` prints: the model in one line, who
/// was analysed and who was left out, the table of terms, the exposure's test and the fit's health.
public enum AssociationSummary {
    public static func text(_ r: AssociationResult) -> String {
        var out = "\(r.model.type.rawValue.capitalizedFirst) regression of \(r.outcome) on \(r.exposure) (muscle \(r.muscle), \(scaleLabel(r))"
        if r.per != "unit" { out += "; SD \(number(r.exposureSD))" }
        out += ")\n"
        out += "\(r.n) participants" + (r.events.map { ", \($0) with \(r.outcome) = 1" } ?? "")
        out += r.dropped == 0 ? "; none left out\n"
            : "; \(r.dropped) left out: " + r.droppedReasons.map { "\($0.count) \($0.reason)" }.joined(separator: ", ") + "\n"
        if !r.referenceLevels.isEmpty {
            out += "reference levels: " + r.referenceLevels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + "\n"
        }
        out += "\n"
        let header = ["term", r.reportsOddsRatios ? "OR" : "beta", "95% CI", "SE(beta)", "p"]
        let rows = r.terms.map { t in [t.term, number(t.or ?? t.beta), interval(t), number(t.se), pValue(t.p)] }
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        for row in [header] + rows {
            out += row.enumerated().map { c, cell in
                c == 0 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "   ") + "\n"
        }
        out += "\nlikelihood-ratio test for \(r.exposure): chi2 = \(String(format: "%.4g", r.exposureTest.statistic)) (1 df), p = \(pValue(r.exposureTest.p))\n"
        if let randomIntercept = randomIntercept(r) { out += "random intercept \(randomIntercept)\n" }
        if let variance = r.model.residualVariance { out += "residual variance \(number(variance)), \(Int(r.model.degreesOfFreedom ?? 0)) df\n" }
        out += "log-likelihood \(String(format: "%.6f", r.model.loglik)); \(convergence(r))\n"
        return out
    }

    // Phrases the text summary and the HTML report share.

    static func scaleLabel(_ r: AssociationResult) -> String {
        AssociationRequest.ExposureScale(rawValue: r.per)?.label ?? r.per
    }

    static func interval(_ t: AssociationResult.Term) -> String { "\(number(t.ciLow)) to \(number(t.ciHigh))" }

    /// "per site: 10 groups, variance 0.25 (SD 0.5)" for a mixed model, else nil.
    static func randomIntercept(_ r: AssociationResult) -> String? {
        guard let group = r.model.group, let variance = r.model.groupVariance, let sd = r.model.groupSD, let groups = r.model.groups else { return nil }
        return "per \(group): \(groups) groups, variance \(number(variance)) (SD \(number(sd)))"
    }

    /// "converged after 5 iterations", "converged" for a direct solve, or "NOT CONVERGED".
    static func convergence(_ r: AssociationResult) -> String {
        guard r.model.converged else { return "NOT CONVERGED" }
        switch r.model.type {
        case .linear: return "converged"
        case .logistic: return "converged after \(r.model.iterations) iterations"
        case .mixedLogistic: return "converged after \(r.model.iterations) likelihood profiles"
        }
    }

    /// Four significant digits: enough to read an odds ratio or a slope.
    static func number(_ x: Double) -> String { String(format: "%.4g", x) }

    /// p-values as epidemiology tables print them: three decimals, or a power of ten when smaller.
    static func pValue(_ p: Double) -> String { p < 0.001 ? String(format: "%.2e", p) : String(format: "%.3f", p) }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
