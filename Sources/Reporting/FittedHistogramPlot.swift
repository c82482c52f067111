import Foundation
import Segmentation

extension HistogramPlot {
    /// Colours of the fitted classes, lean first: the overlay's colours, the fat one darkened to show on white.
    static let classColours = ["#d6372e", "#3f8fe0", "#c99700"]

    /// A muscle's histogram (at most about 120 bars) with its fitted classes drawn as scaled Gaussians.
    static func fitted(_ tissue: LabelTissue, title: String, xLabel: String) -> HistogramPlot {
        let factor = max(1, Int((Double(tissue.histogram.binCount) / 120).rounded(.up)))
        let histogram = tissue.histogram.coarsened(by: factor)
        let centres = (0..<histogram.binCount).map(histogram.centre(ofBin:))
        let total = Double(histogram.total)
        let curves = tissue.classes.enumerated().map { k, c -> Curve in
            let colour = k == 0 ? classColours[0] : (k == tissue.classes.count - 1 ? classColours[2] : classColours[1])
            let name = k == 0 ? "lean" : (k == tissue.classes.count - 1 ? "fat" : "undefined")
            let sd = max(c.standardDeviation, histogram.binWidth / 2)
            let values = centres.map { x in
                c.weight * total * histogram.binWidth * exp(-0.5 * pow((x - c.mean) / sd, 2)) / (sd * (2 * Double.pi).squareRoot())
            }
            return Curve(name: "\(name): mean \(String(format: "%.4g", c.mean)), sd \(String(format: "%.3g", c.standardDeviation))",
                         colour: colour, values: values)
        }
        return HistogramPlot(title: title, binCentres: centres, counts: histogram.counts.map { Double($0) },
                             curves: curves, thresholds: tissue.thresholds, xLabel: xLabel)
    }
}
