import Foundation
import HTMLPages

/// Values along the spine, one line per muscle, as SVG: x is the slice index, breaks where a muscle is absent.
struct ProfilePlot {
    struct Series {
        var name: String
        /// (slice, value), slices ascending.
        var points: [(slice: Int, value: Double)]
    }

    var title: String
    var yLabel: String
    var series: [Series]
    /// The y axis starts at 0 and ends at least here.
    var yFloor: Double

    /// Colours for up to eight muscles, then repeated (colour-blind-safe, Okabe–Ito).
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]

    func svg(width: Double = 520, height: Double = 220) -> String {
        let left = 46.0, right = 10.0, top = 22.0, bottom = 36.0
        let plotW = width - left - right, plotH = height - top - bottom
        let slices = series.flatMap { $0.points.map(\.slice) }
        guard let first = slices.min(), let last = slices.max() else {
            return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\"><text x=\"10\" y=\"20\">no data</text></svg>"
        }
        let xMin = Double(first) - 0.5, xMax = Double(last) + 0.5
        let yMax = max(series.flatMap { $0.points.map(\.value) }.max() ?? 0, yFloor) * 1.05
        func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * plotW }
        func py(_ y: Double) -> Double { top + plotH - min(max(y, 0), yMax) / yMax * plotH }

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"system-ui, sans-serif\" font-size=\"10\">"
        svg += "<text x=\"\(n(left))\" y=\"14\" font-size=\"12\" font-weight=\"600\">\(escapeHTML(title))</text>"
        for (k, line) in series.enumerated() {
            // A gap in the slices a muscle holds starts a new stroke, so no line bridges slices without it.
            var d = "", previous: Int?
            for point in line.points {
                d += (previous == point.slice - 1 ? "L" : "M") + "\(n(px(Double(point.slice)))),\(n(py(point.value)))"
                previous = point.slice
            }
            svg += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(Self.palette[k % Self.palette.count])\" stroke-width=\"1.6\"><title>\(escapeHTML(line.name))</title></path>"
        }
        svg += "<line x1=\"\(n(left))\" x2=\"\(n(left + plotW))\" y1=\"\(n(top + plotH))\" y2=\"\(n(top + plotH))\" stroke=\"#555\"/>"
        svg += "<line x1=\"\(n(left))\" x2=\"\(n(left))\" y1=\"\(n(top))\" y2=\"\(n(top + plotH))\" stroke=\"#555\"/>"
        for tick in roundTicks(Double(first), Double(last), count: 6) where tick == tick.rounded() {
            svg += "<text x=\"\(n(px(tick)))\" y=\"\(n(top + plotH + 12))\" text-anchor=\"middle\">\(n(tick))</text>"
        }
        for tick in roundTicks(0, yMax, count: 4) {
            svg += "<text x=\"\(n(left - 4))\" y=\"\(n(py(tick) + 3))\" text-anchor=\"end\">\(n(tick))</text>"
        }
        svg += "<text x=\"\(n(left + plotW / 2))\" y=\"\(n(height - 4))\" text-anchor=\"middle\">slice (third voxel axis)</text>"
        svg += "<text transform=\"translate(10 \(n(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(escapeHTML(yLabel))</text>"
        svg += "</svg>"
        return svg
    }

    /// The colour key under the plots: each muscle's name in its line colour.
    static func legend(_ names: [String]) -> String {
        "<p class=\"legend\">" + names.enumerated().map { k, name in
            "<span><i class=\"swatch\" style=\"background:\(palette[k % palette.count])\"></i>\(escapeHTML(name))</span>"
        }.joined() + "</p>\n"
    }
}
