import Foundation

/// The plain-text account `imat mr` prints: the SNPs, each method's estimate, heterogeneity and pleiotropy.
public enum MRSummary {
    public static func text(_ r: MRResult) -> String {
        var out = "Mendelian randomization of \(r.outcome) on \(r.exposure) (\(r.provenance.convention.rawValue) conventions)\n"
        out += "\(r.snps.used.count) SNPs used; \(r.snps.dropped.count) dropped"
        let reasons = Dictionary(grouping: r.snps.dropped) { $0.reason.prefix { $0 != "(" }.trimmingCharacters(in: .whitespaces) }
        if !reasons.isEmpty { out += " (" + reasons.map { "\($0.value.count) \($0.key)" }.sorted().joined(separator: ", ") + ")" }
        out += "; \(r.snps.notSignificant) exposure SNPs with p ≥ \(r.provenance.pThreshold)\n\n"
        let header = ["method", "b", "95% CI", "SE", "p", "SNPs"]
        let rows = r.methods.all.map { m in
            m.estimate.b == nil ? [m.label, "not estimable: \(m.estimate.notEstimable ?? "")", "", "", "", "\(m.estimate.nSNPs)"]
                : [m.label, number(m.estimate.b!), interval(m.estimate), number(m.estimate.se!), pValue(m.estimate.p!), "\(m.estimate.nSNPs)"]
        }
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        for row in [header] + rows {
            out += row.enumerated().map { c, cell in
                c == 0 || c == 1 && cell.hasPrefix("not") ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "   ") + "\n"
        }
        out += "\n"
        if let intercept = r.methods.egger.intercept {
            out += "MR-Egger intercept \(number(intercept.b)) (SE \(number(intercept.se))), p = \(pValue(intercept.p)); I²_GX = \(r.methods.egger.i2GX.map(number) ?? "—")\n"
        }
        if let q = r.heterogeneity.ivw { out += "Cochran's Q (IVW) = \(number(q.Q)) on \(q.df) df, p = \(pValue(q.p))\n" }
        if let q = r.heterogeneity.egger, let d = r.heterogeneity.qDiff {
            out += "Rücker's Q′ (Egger) = \(number(q.Q)) on \(q.df) df, p = \(pValue(q.p)); Q − Q′ = \(number(d.Q)), p = \(pValue(d.p))\n"
        }
        if let s = r.steiger.test {
            out += "Steiger: r² exposure \(number(s.r2Exposure)), outcome \(number(s.r2Outcome)); \(s.correctDirection ? "exposure → outcome" : "outcome → exposure suggested"), p = \(pValue(s.p))\n"
        } else if let reason = r.steiger.notEstimable { out += "Steiger: not estimable (\(reason))\n" }
        out += "mean F = \(number(r.instrumentStrength.meanF)); bootstrap: \(r.provenance.bootstrapReplicates) replicates, seed \(r.provenance.seed)\n"
        return out
    }

    /// Four significant digits.
    static func number(_ x: Double) -> String { String(format: "%.4g", x) }

    static func interval(_ e: MethodEstimate) -> String {
        guard let low = e.ciLow, let high = e.ciHigh else { return "—" }
        return "\(number(low)) to \(number(high))"
    }

    /// Three decimals, or a power of ten when smaller; a p that underflows the double range as such.
    static func pValue(_ p: Double) -> String {
        p == 0 ? "< 1e-300" : p < 0.001 ? String(format: "%.2e", p) : String(format: "%.3f", p)
    }
}
