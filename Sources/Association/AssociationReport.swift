import Foundation
import HTMLPages

/// association.html: the model, the sample, the forest plot and the table of terms on one page.
public enum AssociationReport {
    public static func html(_ r: AssociationResult) -> String {
        let isRatio = r.reportsOddsRatios
        let title = "\(r.model.type.rawValue.capitalizedFirst) regression of \(r.outcome) on \(r.exposure)"
        var body = "<h1>\(escapeHTML(title))</h1>\n"
        body += "<p class=\"sub\">muscle \(escapeHTML(r.muscle)), exposure \(escapeHTML(AssociationSummary.scaleLabel(r)))"
        if r.per != "unit" { body += " (mean \(AssociationSummary.number(r.exposureMean)), SD \(AssociationSummary.number(r.exposureSD)))" }
        body += "; \(r.n) participants" + (r.events.map { ", \($0) with \(escapeHTML(r.outcome)) = 1" } ?? "") + "</p>\n"
        body += "<h2>Estimates</h2>\n" + ForestPlot.svg(r) + "\n"
        body += "<table><tr><th>term</th>" + (isRatio ? "<th>odds ratio</th><th>95% CI</th><th>beta</th>" : "<th>beta</th><th>95% CI</th>")
            + "<th>SE</th><th>p</th></tr>\n"
        for t in r.terms {
            let interval = AssociationSummary.interval(t)
            let estimates = isRatio ? [AssociationSummary.number(t.or ?? t.beta), interval, AssociationSummary.number(t.beta)]
                : [AssociationSummary.number(t.beta), interval]
            let cells = estimates + [AssociationSummary.number(t.se), AssociationSummary.pValue(t.p)]
            body += "<tr><td>\(escapeHTML(t.term))</td>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        body += "</table>\n"
        body += "<p>Likelihood-ratio test for \(escapeHTML(r.exposure)): χ² = \(String(format: "%.4g", r.exposureTest.statistic)) on 1 df, p = \(AssociationSummary.pValue(r.exposureTest.p)).</p>\n"
        body += "<h2>Model</h2>\n<dl class=\"settings\">"
        var facts: [(String, String)] = [("model", r.model.type.rawValue), ("log-likelihood", String(format: "%.6f", r.model.loglik)),
                                         ("fit", AssociationSummary.convergence(r)),
                                         ("tests and intervals", r.model.test == .t ? "t on \(Int(r.model.degreesOfFreedom ?? 0)) df" : "Wald z")]
        if let randomIntercept = AssociationSummary.randomIntercept(r) { facts.append(("random intercept", randomIntercept)) }
        if let variance = r.model.residualVariance { facts.append(("residual variance", AssociationSummary.number(variance))) }
        for (name, level) in r.referenceLevels.sorted(by: { $0.key < $1.key }) { facts.append(("reference level of \(name)", level)) }
        body += facts.map { "<dt>\(escapeHTML($0.0))</dt><dd>\(escapeHTML($0.1))</dd>" }.joined() + "</dl>\n"
        body += "<h2>Participants left out</h2>\n"
        body += r.dropped == 0 ? "<p class=\"ok\">None: every participant had every value.</p>\n"
            : "<table><tr><th>reason</th><th>participants</th></tr>\n" + r.droppedReasons.map { "<tr><td>\(escapeHTML($0.reason))</td><td>\($0.count)</td></tr>\n" }.joined() + "</table>\n"
        return htmlPage(title: title, body: body)
    }
}
