import Foundation
import HTMLPages

/// A forest plot as inline SVG: one row per term (the intercept left out), its estimate as a square and
/// its 95% interval as a line, against a reference line at OR = 1 on a log axis (or beta = 0 on a
/// linear one for linear regression). Intervals beyond the axis end in an arrow.
enum ForestPlot {
    static func svg(_ r: AssociationResult) -> String {
        let isRatio = r.reportsOddsRatios
        let rows = r.terms.filter { $0.term != DesignMatrix.interceptTerm }
        let estimate: (AssociationResult.Term) -> Double = { $0.or ?? $0.beta }
        // Axis in plot units: log(OR) or beta.
        let toAxis: (Double) -> Double = isRatio ? { log(max($0, 1e-300)) } : { $0 }
        let reference = isRatio ? 1.0 : 0.0
        var low = rows.map { toAxis($0.ciLow) }.min() ?? -1, high = rows.map { toAxis($0.ciHigh) }.max() ?? 1
        low = min(low, toAxis(reference)); high = max(high, toAxis(reference))
        if isRatio { low = max(low, log(0.01)); high = min(high, log(100)) }
        let pad = max((high - low) * 0.06, 1e-3)
        low -= pad; high += pad

        let labelWidth = 230.0, plotWidth = 440.0, textWidth = 190.0, rowHeight = 26.0, top = 30.0
        let width = labelWidth + plotWidth + textWidth, height = top + rowHeight * Double(rows.count) + 44
        func x(_ axis: Double) -> Double { labelWidth + (min(max(axis, low), high) - low) / (high - low) * plotWidth }
        func n(_ v: Double) -> String { String(format: "%.1f", v) }

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"system-ui, sans-serif\" font-size=\"12\" role=\"img\" aria-label=\"forest plot\">"
        svg += "<text x=\"\(n(labelWidth))\" y=\"16\" font-weight=\"600\">\(isRatio ? "odds ratio (95% CI)" : "beta (95% CI)")</text>"
        let bottom = top + rowHeight * Double(rows.count)
        for tick in ticks(low: low, high: high, isRatio: isRatio) {
            let tx = x(toAxis(tick))
            svg += "<line x1=\"\(n(tx))\" y1=\"\(n(top - 6))\" x2=\"\(n(tx))\" y2=\"\(n(bottom))\" stroke=\"#e6e9ef\"/>"
            svg += "<text x=\"\(n(tx))\" y=\"\(n(bottom + 16))\" text-anchor=\"middle\" fill=\"#5a6475\">\(String(format: "%g", tick))</text>"
        }
        let rx = x(toAxis(reference))
        svg += "<line x1=\"\(n(rx))\" y1=\"\(n(top - 6))\" x2=\"\(n(rx))\" y2=\"\(n(bottom))\" stroke=\"#1d2430\" stroke-dasharray=\"4 3\"/>"
        for (k, term) in rows.enumerated() {
            let y = top + rowHeight * (Double(k) + 0.5)
            let isExposure = term.term == r.exposure
            let colour = isExposure ? "#c0392b" : "#2c5d8f"
            let (a, b, e) = (toAxis(term.ciLow), toAxis(term.ciHigh), toAxis(estimate(term)))
            svg += "<text x=\"\(n(labelWidth - 10))\" y=\"\(n(y + 4))\" text-anchor=\"end\"\(isExposure ? " font-weight=\"600\"" : "")>\(escapeHTML(term.term))</text>"
            svg += "<line x1=\"\(n(x(a)))\" y1=\"\(n(y))\" x2=\"\(n(x(b)))\" y2=\"\(n(y))\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
            if a < low { svg += arrow(at: x(low), y: y, pointing: -1, colour: colour) }
            if b > high { svg += arrow(at: x(high), y: y, pointing: 1, colour: colour) }
            if e >= low && e <= high {
                svg += "<rect x=\"\(n(x(e) - 5))\" y=\"\(n(y - 5))\" width=\"10\" height=\"10\" fill=\"\(colour)\"><title>\(escapeHTML(term.term)): \(AssociationSummary.number(estimate(term))) (\(AssociationSummary.interval(term))), p = \(AssociationSummary.pValue(term.p))</title></rect>"
            }
            svg += "<text x=\"\(n(labelWidth + plotWidth + 12))\" y=\"\(n(y + 4))\">\(AssociationSummary.number(estimate(term))) (\(AssociationSummary.interval(term)))</text>"
        }
        let axisY = n(height - 6)
        svg += "<text x=\"\(n(labelWidth + plotWidth / 2))\" y=\"\(axisY)\" text-anchor=\"middle\" fill=\"#5a6475\">\(isRatio ? "odds ratio (log scale)" : "beta")</text>"
        if isRatio {
            svg += "<text x=\"\(n(labelWidth))\" y=\"\(axisY)\" fill=\"#5a6475\">← lower odds</text>"
            svg += "<text x=\"\(n(labelWidth + plotWidth))\" y=\"\(axisY)\" text-anchor=\"end\" fill=\"#5a6475\">higher odds →</text>"
        }
        return svg + "</svg>"
    }

    private static func arrow(at x: Double, y: Double, pointing direction: Double, colour: String) -> String {
        let tip = x + direction * 6
        return "<polygon points=\"\(String(format: "%.1f,%.1f %.1f,%.1f %.1f,%.1f", tip, y, x, y - 4, x, y + 4))\" fill=\"\(colour)\"/>"
    }

    /// Round values inside [low, high] (axis units): steps of 1, 2, 2.5 or 5 × 10ᵏ giving four to seven
    /// ticks, in odds-ratio units on a log axis (a 1-2-5 series per decade when it spans more than 20×).
    static func ticks(low: Double, high: Double, isRatio: Bool) -> [Double] {
        let (from, to) = isRatio ? (exp(low), exp(high)) : (low, high)
        if isRatio && to / from > 20 {
            var ticks: [Double] = []
            var decade = pow(10, floor(log10(from)))
            while decade <= to {
                for m in [1.0, 2, 5] where decade * m >= from && decade * m <= to { ticks.append(decade * m) }
                decade *= 10
            }
            return ticks
        }
        return roundTicks(from, to, count: 6, multiples: [1, 2, 2.5, 5])
    }
}
