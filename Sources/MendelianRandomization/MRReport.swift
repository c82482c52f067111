import Foundation
import HTMLPages

/// mr.html: the estimates, heterogeneity and pleiotropy, the four plots, the SNPs left out and how every
/// number was made, on one self-contained page.
public enum MRReport {
    public static func html(_ r: MRResult) -> String {
        let title = "Mendelian randomization: \(r.exposure) → \(r.outcome)"
        var body = "<h1>\(escapeHTML(title))</h1>\n"
        body += "<p class=\"sub\">\(r.snps.used.count) SNPs used, \(r.snps.dropped.count) dropped; \(escapeHTML(r.provenance.convention.rawValue)) conventions; "
            + "\(r.provenance.bootstrapReplicates) bootstrap replicates, seed \(r.provenance.seed)</p>\n"
        body += "<h2>Estimates</h2>\n<table><tr><th>method</th><th>b</th><th>95% CI</th><th>SE</th><th>p</th><th>SNPs</th><th>convention</th></tr>\n"
        for m in r.methods.all {
            let cells = m.estimate.b == nil
                ? ["not estimable: " + (m.estimate.notEstimable ?? ""), "", "", ""]
                : [MRSummary.number(m.estimate.b!), MRSummary.interval(m.estimate), MRSummary.number(m.estimate.se!), MRSummary.pValue(m.estimate.p!)]
            body += "<tr><td>\(escapeHTML(m.label))</td>" + cells.map { "<td>\(escapeHTML($0))</td>" }.joined()
                + "<td>\(m.estimate.nSNPs)</td><td style=\"text-align: left\">\(escapeHTML(r.provenance.methodConventions[m.key] ?? ""))</td></tr>\n"
        }
        body += "</table>\n"
        body += "<h2>Heterogeneity and pleiotropy</h2>\n<dl class=\"settings\">"
        var facts: [(String, String)] = []
        func test(_ t: HeterogeneityTest?) -> String { t.map { "\(MRSummary.number($0.Q)) on \($0.df) df, p = \(MRSummary.pValue($0.p))" } ?? "—" }
        facts.append(("Cochran's Q (IVW)", test(r.heterogeneity.ivw)))
        facts.append(("Rücker's Q′ (MR-Egger)", test(r.heterogeneity.egger)))
        facts.append(("Q − Q′", test(r.heterogeneity.qDiff)))
        facts.append(("Q at the ML optimum", test(r.heterogeneity.maximumLikelihood)))
        if let i = r.methods.egger.intercept {
            facts.append(("MR-Egger intercept", "\(MRSummary.number(i.b)) (SE \(MRSummary.number(i.se))), p = \(MRSummary.pValue(i.p))"))
        }
        facts.append(("I²_GX", r.methods.egger.i2GX.map(MRSummary.number) ?? "—"))
        facts.append(("mean F", MRSummary.number(r.instrumentStrength.meanF)))
        if let s = r.steiger.test {
            facts.append(("Steiger", "r² exposure \(MRSummary.number(s.r2Exposure)), outcome \(MRSummary.number(s.r2Outcome)): "
                          + (s.correctDirection ? "exposure → outcome" : "outcome → exposure") + ", p = \(MRSummary.pValue(s.p))"))
        } else { facts.append(("Steiger", "not estimable: " + (r.steiger.notEstimable ?? ""))) }
        body += facts.map { "<dt>\(escapeHTML($0.0))</dt><dd>\(escapeHTML($0.1))</dd>" }.joined() + "</dl>\n"

        body += "<h2>Scatter plot</h2>\n" + MRPlots.scatter(r) + "\n"
        body += "<h2>Funnel plot</h2>\n" + MRPlots.funnel(r) + "\n"
        let summaryRows = r.methods.all.map { MRPlots.IntervalRow(label: "All: " + $0.label, estimate: $0.estimate, emphasised: true) }
        let snpRows = r.singleSNP.sorted { ($0.estimate.b ?? 0) < ($1.estimate.b ?? 0) }.map { MRPlots.IntervalRow(label: $0.snp, estimate: $0.estimate, emphasised: false) }
        body += "<h2>Forest plot</h2>\n" + MRPlots.intervals(snpRows + summaryRows, title: "single-SNP Wald ratios and the summary estimates") + "\n"
        if !r.leaveOneOut.isEmpty {
            let rows = r.leaveOneOut.sorted { ($0.estimate.b ?? 0) < ($1.estimate.b ?? 0) }.map { MRPlots.IntervalRow(label: "without " + $0.snp, estimate: $0.estimate, emphasised: false) }
            body += "<h2>Leave-one-out</h2>\n" + MRPlots.intervals(rows + [MRPlots.IntervalRow(label: "All: IVW", estimate: r.methods.ivw, emphasised: true)],
                                                                  title: "IVW leaving out each SNP in turn") + "\n"
        }
        body += "<h2>SNPs left out</h2>\n"
        body += r.snps.dropped.isEmpty ? "<p class=\"ok\">None: every instrument was harmonised.</p>\n"
            : "<table><tr><th>SNP</th><th>reason</th></tr>\n" + r.snps.dropped.map { "<tr><td>\(escapeHTML($0.snp))</td><td style=\"text-align: left\">\(escapeHTML($0.reason))</td></tr>\n" }.joined() + "</table>\n"
        if !r.snps.duplicates.isEmpty {
            body += "<p>Duplicated rows (the first row of each SNP is used):</p><table><tr><th>SNP</th><th>file</th><th>line used</th><th>lines ignored</th></tr>\n"
                + r.snps.duplicates.map { "<tr><td>\(escapeHTML($0.snp))</td><td>\(escapeHTML($0.file))</td><td>\($0.keptLine)</td><td>\($0.ignoredLines.map(String.init).joined(separator: ", "))</td></tr>\n" }.joined() + "</table>\n"
        }
        body += "<h2>How these numbers were made</h2>\n<dl class=\"settings\">"
        let p = r.provenance
        let settings = [("IMATKit", p.imatVersion), ("exposure file", p.exposureFile), ("outcome file", p.outcomeFile),
                        ("p threshold", "\(p.pThreshold)"), ("convention", p.convention.rawValue)] + p.notes.map { ("note", $0) }
        body += settings.map { "<dt>\(escapeHTML($0.0))</dt><dd>\(escapeHTML($0.1))</dd>" }.joined() + "</dl>\n"
        return htmlPage(title: title, body: body)
    }
}
