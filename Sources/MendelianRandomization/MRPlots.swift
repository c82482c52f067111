import Foundation
import HTMLPages
import VolumeCore

/// The report's four plots as inline SVG: scatter with each method's fitted line, funnel, forest (single SNPs and
/// the summary estimates) and leave-one-out. Interval plots take any number of rows and intervals of any width:
/// the axis spans the point estimates and the summary intervals, and what lies beyond ends in an arrow.
enum MRPlots {
    static let methodColours: [String: String] = [
        "ivw": "#c0392b", "ivw_fixed": "#e67e22", "egger": "#2c5d8f", "weighted_median": "#27ae60", "simple_median": "#16a085",
        "penalised_weighted_median": "#7f8c8d", "simple_mode": "#8e44ad", "weighted_mode": "#d35400", "maximum_likelihood": "#1d2430",
    ]

    private static func n(_ v: Double) -> String { String(format: "%.1f", v) }

    /// A linear axis: data → pixels, with round ticks.
    private struct Axis {
        var low: Double, high: Double, from: Double, to: Double
        init(_ values: [Double], from: Double, to: Double, including: [Double] = []) {
            let finite = (values + including).filter(\.isFinite)
            var low = finite.min() ?? -1, high = finite.max() ?? 1
            if high - low < 1e-12 * max(1, abs(high)) { low -= 1; high += 1 }
            let pad = (high - low) * 0.06
            (self.low, self.high, self.from, self.to) = (low - pad, high + pad, from, to)
        }
        func callAsFunction(_ v: Double) -> Double { from + (min(max(v, low), high) - low) / (high - low) * (to - from) }
        var ticks: [Double] { roundTicks(low, high, count: 6) }
    }

    private static func frame(width: Double, height: Double, label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"system-ui, sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"\(escapeHTML(label))\">"
    }

    private static func axes(_ x: Axis, _ y: Axis, xLabel: String, yLabel: String) -> String {
        var svg = ""
        for t in x.ticks {
            svg += "<line x1=\"\(n(x(t)))\" y1=\"\(n(y.from))\" x2=\"\(n(x(t)))\" y2=\"\(n(y.to))\" stroke=\"#e6e9ef\"/>"
            svg += "<text x=\"\(n(x(t)))\" y=\"\(n(y.from + 14))\" text-anchor=\"middle\" fill=\"#5a6475\">\(String(format: "%g", t))</text>"
        }
        for t in y.ticks {
            svg += "<line x1=\"\(n(x.from))\" y1=\"\(n(y(t)))\" x2=\"\(n(x.to))\" y2=\"\(n(y(t)))\" stroke=\"#e6e9ef\"/>"
            svg += "<text x=\"\(n(x.from - 4))\" y=\"\(n(y(t) + 4))\" text-anchor=\"end\" fill=\"#5a6475\">\(String(format: "%g", t))</text>"
        }
        svg += "<text x=\"\(n((x.from + x.to) / 2))\" y=\"\(n(y.from + 30))\" text-anchor=\"middle\">\(escapeHTML(xLabel))</text>"
        svg += "<text transform=\"translate(14 \(n((y.from + y.to) / 2))) rotate(-90)\" text-anchor=\"middle\">\(escapeHTML(yLabel))</text>"
        return svg
    }

    private static func legend(_ methods: [(key: String, label: String)], x: Double, y: Double) -> String {
        methods.enumerated().map { i, m in
            "<line x1=\"\(n(x))\" y1=\"\(n(y + Double(i) * 15))\" x2=\"\(n(x + 18))\" y2=\"\(n(y + Double(i) * 15))\" stroke=\"\(methodColours[m.key]!)\" stroke-width=\"2\"/>"
                + "<text x=\"\(n(x + 24))\" y=\"\(n(y + Double(i) * 15 + 4))\">\(escapeHTML(m.label))</text>"
        }.joined()
    }

    /// β_Y against β_X (each SNP oriented so β_X > 0, as TwoSampleMR's mr_scatter_plot), ±1.96 SE bars, and every
    /// estimable method's line (through the origin; MR-Egger with its intercept).
    static func scatter(_ r: MRResult) -> String {
        let oriented = r.snps.used.map { s in s.exposureBeta < 0 ? (-s.exposureBeta, -s.outcomeBeta, s) : (s.exposureBeta, s.outcomeBeta, s) }
        let z = MethodEstimate.z975
        let x = Axis(oriented.flatMap { [$0.0 - z * $0.2.exposureSE, $0.0 + z * $0.2.exposureSE] }, from: 60, to: 520, including: [0])
        let y = Axis(oriented.flatMap { [$0.1 - z * $0.2.outcomeSE, $0.1 + z * $0.2.outcomeSE] }, from: 400, to: 20, including: [0])
        var svg = frame(width: 760, height: 440, label: "scatter plot") + axes(x, y, xLabel: "SNP effect on the exposure (β_X)", yLabel: "SNP effect on the outcome (β_Y)")
        for (bx, by, s) in oriented {
            svg += "<line x1=\"\(n(x(bx - z * s.exposureSE)))\" y1=\"\(n(y(by)))\" x2=\"\(n(x(bx + z * s.exposureSE)))\" y2=\"\(n(y(by)))\" stroke=\"#b9c1cf\"/>"
            svg += "<line x1=\"\(n(x(bx)))\" y1=\"\(n(y(by - z * s.outcomeSE)))\" x2=\"\(n(x(bx)))\" y2=\"\(n(y(by + z * s.outcomeSE)))\" stroke=\"#b9c1cf\"/>"
            svg += "<circle cx=\"\(n(x(bx)))\" cy=\"\(n(y(by)))\" r=\"2.5\" fill=\"#1d2430\"><title>\(escapeHTML(s.snp))</title></circle>"
        }
        let lines = r.methods.all.filter { $0.estimate.b != nil }
        svg += "<svg x=\"\(n(x.from))\" y=\"\(n(y.to))\" width=\"\(n(x.to - x.from))\" height=\"\(n(y.from - y.to))\" viewBox=\"\(n(x.from)) \(n(y.to)) \(n(x.to - x.from)) \(n(y.from - y.to))\">"
        for m in lines {
            let intercept = m.key == "egger" ? r.methods.egger.intercept?.b ?? 0 : 0
            // Drawn over the whole x range; the nested svg clips what leaves the plot.
            let (x0, x1) = (x.low, x.high)
            let (y0, y1) = (intercept + m.estimate.b! * x0, intercept + m.estimate.b! * x1)
            svg += "<line x1=\"\(n(x(x0)))\" y1=\"\(n(unclamped(y, y0)))\" x2=\"\(n(x(x1)))\" y2=\"\(n(unclamped(y, y1)))\" stroke=\"\(methodColours[m.key]!)\" stroke-width=\"1.6\"/>"
        }
        svg += "</svg>" + legend(lines.map { ($0.key, $0.label) }, x: 540, y: 30)
        return svg + "</svg>"
    }

    private static func unclamped(_ axis: Axis, _ v: Double) -> Double {
        let pixel = axis.from + (v - axis.low) / (axis.high - axis.low) * (axis.to - axis.from)
        return min(max(pixel, -1e5), 1e5)
    }

    /// Each SNP's Wald ratio against its precision 1/SE, with the summary estimates as vertical lines.
    static func funnel(_ r: MRResult) -> String {
        let points = r.singleSNP.compactMap { s in s.estimate.b.flatMap { b in s.estimate.se.map { (b, 1 / $0, s.snp) } } }
        let summaries = r.methods.all.filter { $0.estimate.b != nil }
        let x = Axis(points.map(\.0), from: 60, to: 520, including: summaries.map { $0.estimate.b! })
        let y = Axis(points.map(\.1), from: 400, to: 20, including: [0])
        var svg = frame(width: 760, height: 440, label: "funnel plot") + axes(x, y, xLabel: "Wald ratio β_Y/β_X", yLabel: "precision 1/SE")
        for m in summaries {
            svg += "<line x1=\"\(n(x(m.estimate.b!)))\" y1=\"\(n(y.from))\" x2=\"\(n(x(m.estimate.b!)))\" y2=\"\(n(y.to))\" stroke=\"\(methodColours[m.key]!)\" stroke-width=\"1.4\"/>"
        }
        for (b, precision, snp) in points {
            svg += "<circle cx=\"\(n(x(b)))\" cy=\"\(n(y(precision)))\" r=\"2.5\" fill=\"#1d2430\"><title>\(escapeHTML(snp))</title></circle>"
        }
        return svg + legend(summaries.map { ($0.key, $0.label) }, x: 540, y: 30) + "</svg>"
    }

    struct IntervalRow {
        var label: String
        var estimate: MethodEstimate
        var emphasised: Bool
    }

    /// Rows of estimates with 95% intervals against a reference line at 0. The axis spans every point estimate and
    /// the emphasised rows' intervals (when finite); longer intervals end in arrows, rows without an estimate say
    /// why. Rows shrink from 20 to 11 px as they grow in number, so hundreds of SNPs stay readable as a column.
    static func intervals(_ rows: [IntervalRow], title: String) -> String {
        let rowHeight = rows.count > 60 ? 11.0 : rows.count > 25 ? 15 : 20
        let top = 28.0, labelWidth = 210.0, plotWidth = 400.0, textWidth = 230.0
        let bottom = top + rowHeight * Double(rows.count)
        // Single estimates count for the axis within 10 interquartile ranges of the quartiles (pleiotropic SNPs
        // stay on it), so that only a wild Wald ratio of a weak SNP, which would squeeze the rest, is left off;
        // the summaries count with their intervals.
        let single = rows.filter { !$0.emphasised }.compactMap(\.estimate.b).filter(\.isFinite).sorted()
        let (q1, q3) = (quantile(sorted: single, 0.25), quantile(sorted: single, 0.75))
        let fenced = single.count < 4 ? single : single.filter { $0 >= q1 - 10 * (q3 - q1) && $0 <= q3 + 10 * (q3 - q1) }
        let summaries = rows.filter(\.emphasised).flatMap { [$0.estimate.b, $0.estimate.ciLow, $0.estimate.ciHigh].compactMap { $0 } }
        let x = Axis(fenced, from: labelWidth, to: labelWidth + plotWidth, including: summaries + [0])
        var svg = frame(width: labelWidth + plotWidth + textWidth, height: bottom + 40, label: title)
        svg += "<text x=\"\(n(labelWidth))\" y=\"16\" font-weight=\"600\">\(escapeHTML(title))</text>"
        for t in x.ticks {
            svg += "<line x1=\"\(n(x(t)))\" y1=\"\(n(top - 6))\" x2=\"\(n(x(t)))\" y2=\"\(n(bottom))\" stroke=\"#e6e9ef\"/>"
            svg += "<text x=\"\(n(x(t)))\" y=\"\(n(bottom + 14))\" text-anchor=\"middle\" fill=\"#5a6475\">\(String(format: "%g", t))</text>"
        }
        svg += "<line x1=\"\(n(x(0)))\" y1=\"\(n(top - 6))\" x2=\"\(n(x(0)))\" y2=\"\(n(bottom))\" stroke=\"#1d2430\" stroke-dasharray=\"4 3\"/>"
        let fontSize = rowHeight < 15 ? " font-size=\"9\"" : ""
        for (i, row) in rows.enumerated() {
            let y = top + rowHeight * (Double(i) + 0.5)
            let colour = row.emphasised ? "#c0392b" : "#2c5d8f"
            let weight = row.emphasised ? " font-weight=\"600\"" : ""
            svg += "<text x=\"\(n(labelWidth - 8))\" y=\"\(n(y + 3.5))\" text-anchor=\"end\"\(fontSize)\(weight)>\(escapeHTML(row.label))</text>"
            guard let b = row.estimate.b else {
                svg += "<text x=\"\(n(labelWidth + 6))\" y=\"\(n(y + 3.5))\" fill=\"#5a6475\"\(fontSize)>not estimable: \(escapeHTML(row.estimate.notEstimable ?? ""))</text>"
                continue
            }
            let low = row.estimate.ciLow ?? -.infinity, high = row.estimate.ciHigh ?? .infinity
            svg += "<line x1=\"\(n(x(low)))\" y1=\"\(n(y))\" x2=\"\(n(x(high)))\" y2=\"\(n(y))\" stroke=\"\(colour)\" stroke-width=\"\(row.emphasised ? 2 : 1.2)\"/>"
            if !(low >= x.low) { svg += arrow(at: x.from, y: y, pointing: -1, colour: colour) }
            if !(high <= x.high) { svg += arrow(at: x.to, y: y, pointing: 1, colour: colour) }
            let size = row.emphasised ? 4.5 : rowHeight < 15 ? 2.2 : 3.2
            guard b >= x.low && b <= x.high else {
                svg += arrow(at: b < x.low ? x.from : x.to, y: y, pointing: b < x.low ? -1 : 1, colour: colour)
                svg += "<text x=\"\(n(labelWidth + plotWidth + 10))\" y=\"\(n(y + 3.5))\"\(fontSize)>\(MRSummary.number(b)) (\(MRSummary.interval(row.estimate))), off the axis</text>"
                continue
            }
            svg += "<rect x=\"\(n(x(b) - size))\" y=\"\(n(y - size))\" width=\"\(n(2 * size))\" height=\"\(n(2 * size))\" fill=\"\(colour)\"><title>\(escapeHTML(row.label)): \(MRSummary.number(b)) (\(MRSummary.interval(row.estimate)))</title></rect>"
            svg += "<text x=\"\(n(labelWidth + plotWidth + 10))\" y=\"\(n(y + 3.5))\"\(fontSize)>\(MRSummary.number(b)) (\(MRSummary.interval(row.estimate)))</text>"
        }
        svg += "<text x=\"\(n(labelWidth + plotWidth / 2))\" y=\"\(n(bottom + 32))\" text-anchor=\"middle\" fill=\"#5a6475\">causal estimate (95% CI)</text>"
        return svg + "</svg>"
    }

    private static func arrow(at x: Double, y: Double, pointing direction: Double, colour: String) -> String {
        let tip = x + direction * 6
        return "<polygon points=\"\(n(tip)),\(n(y)) \(n(x)),\(n(y - 3.5)) \(n(x)),\(n(y + 3.5))\" fill=\"\(colour)\"/>"
    }
}
