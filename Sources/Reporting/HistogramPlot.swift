import Foundation
import HTMLPages

/// An intensity histogram drawn as SVG, with fitted class curves and thresholds over it.
public struct HistogramPlot: Sendable {
    /// A curve over the same x positions as the bars (for example a fitted Gaussian class scaled to counts).
    public struct Curve: Sendable {
        public var name: String
        public var colour: String
        public var values: [Double]

        public init(name: String, colour: String, values: [Double]) {
            self.name = name
            self.colour = colour
            self.values = values
        }
    }

    public var title: String
    public var binCentres: [Double]
    public var counts: [Double]
    public var curves: [Curve]
    public var thresholds: [Double]
    public var xLabel: String

    public init(title: String, binCentres: [Double], counts: [Double], curves: [Curve] = [], thresholds: [Double] = [],
                xLabel: String = "intensity") {
        precondition(binCentres.count == counts.count, "one count per bin")
        self.title = title
        self.binCentres = binCentres
        self.counts = counts
        self.curves = curves
        self.thresholds = thresholds
        self.xLabel = xLabel
    }

    /// The plot as an inline `<svg>` element.
    public func svg(width: Double = 340, height: Double = 210) -> String {
        let left = 46.0, right = 10.0, top = 22.0, bottom = 36.0
        let plotW = width - left - right, plotH = height - top - bottom
        guard let xMin = binCentres.first, let xMax = binCentres.last else {
            return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\"><text x=\"10\" y=\"20\">no data</text></svg>"
        }
        let span = max(xMax - xMin, 1e-9)
        let yMax = max(counts.max() ?? 1, curves.flatMap(\.values).max() ?? 0, 1) * 1.05
        func px(_ x: Double) -> Double { left + (x - xMin) / span * plotW }
        func py(_ y: Double) -> Double { top + plotH - min(y, yMax) / yMax * plotH }

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"system-ui, sans-serif\" font-size=\"10\">"
        svg += "<text x=\"\(n(left))\" y=\"14\" font-size=\"12\" font-weight=\"600\">\(escapeHTML(title))</text>"
        // Bars as one filled step outline: small output even for thousands of bins.
        let step = binCentres.count > 1 ? span / Double(binCentres.count - 1) : 1
        var d = "M\(n(px(xMin - step / 2))),\(n(py(0)))"
        for (x, c) in zip(binCentres, counts) {
            d += "L\(n(px(x - step / 2))),\(n(py(c)))L\(n(px(x + step / 2))),\(n(py(c)))"
        }
        d += "L\(n(px(xMax + step / 2))),\(n(py(0)))Z"
        svg += "<path d=\"\(d)\" fill=\"#b8c2d1\" stroke=\"none\"/>"
        for curve in curves {
            let points = zip(binCentres, curve.values).map { "\(n(px($0))),\(n(py($1)))" }.joined(separator: " ")
            svg += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(escapeHTML(curve.colour))\" stroke-width=\"1.6\"><title>\(escapeHTML(curve.name))</title></polyline>"
        }
        for t in thresholds where t >= xMin && t <= xMax {
            svg += "<line x1=\"\(n(px(t)))\" x2=\"\(n(px(t)))\" y1=\"\(n(top))\" y2=\"\(n(top + plotH))\" stroke=\"#222\" stroke-dasharray=\"4 3\"><title>threshold \(n(t))</title></line>"
        }
        // Axes with a few round ticks.
        svg += "<line x1=\"\(n(left))\" x2=\"\(n(left + plotW))\" y1=\"\(n(top + plotH))\" y2=\"\(n(top + plotH))\" stroke=\"#555\"/>"
        svg += "<line x1=\"\(n(left))\" x2=\"\(n(left))\" y1=\"\(n(top))\" y2=\"\(n(top + plotH))\" stroke=\"#555\"/>"
        for tick in roundTicks(xMin, xMax, count: 5) {
            svg += "<text x=\"\(n(px(tick)))\" y=\"\(n(top + plotH + 12))\" text-anchor=\"middle\">\(n(tick))</text>"
        }
        for tick in roundTicks(0, yMax, count: 4) {
            svg += "<text x=\"\(n(left - 4))\" y=\"\(n(py(tick) + 3))\" text-anchor=\"end\">\(n(tick))</text>"
        }
        svg += "<text x=\"\(n(left + plotW / 2))\" y=\"\(n(height - 4))\" text-anchor=\"middle\">\(escapeHTML(xLabel))</text>"
        svg += "</svg>"
        return svg
    }
}

/// Coordinates and labels in SVG: at most 4 significant decimals, no trailing zeros.
func n(_ x: Double) -> String {
    guard x.isFinite else { return "0" }
    var text = String(format: "%.2f", x)
    if abs(x) >= 1000 || x == x.rounded() { text = String(format: "%.0f", x) }
    while text.contains("."), text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text == "-0" ? "0" : text
}
