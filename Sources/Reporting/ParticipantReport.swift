import Analysis
import Foundation
import HTMLPages
import VolumeCore
import VolumeIO

/// The participant's `report.html`: one self-contained page to read at a glance.
enum ParticipantReport {
    static func html(_ analysis: ParticipantAnalysis) throws -> String {
        let m = analysis.metrics
        var body = "<h1>IMAT report: \(escapeHTML(m.participant))</h1>\n"
        body += "<p class=\"sub\">Intermuscular adipose tissue of the back muscles, measured by IMATKit (imat analyze).</p>\n"
        body += settingsSection(analysis)
        body += warningsSection(m.warnings)
        body += musclesTable(m)
        body += profileSection(analysis)
        body += levelsSection(analysis)
        body += try slicesSection(analysis)
        body += "<h2>Intensity histograms and fitted classes</h2>\n<div class=\"grid\">\n"
        let plots = zip(analysis.muscleTissues, m.muscles).map { tissue, muscle in
            HistogramPlot.fitted(tissue, title: muscle.name, xLabel: analysis.histogramAxis)
        }
        body += plots.map { "<figure>\($0.svg())</figure>" }.joined(separator: "\n")
        body += "\n</div>\n<p class=\"sub\">Bars: the muscle's voxels; curves: the fitted classes; dashed lines: the thresholds between classes.</p>\n"
        body += filesSection()
        return htmlPage(title: "IMAT report: \(m.participant)", body: body)
    }

    private static func settingsSection(_ analysis: ParticipantAnalysis) -> String {
        let m = analysis.metrics
        let s = analysis.settings
        var rows: [(String, String)] = [
            ("method", "\(m.method.rawValue) (\(sourceText(m.source)), \(m.classes) classes)"),
            ("voxel spacing", m.spacingMM.map { String(format: "%.3g", $0) }.joined(separator: " × ") + " mm (\(String(format: "%.4g", m.voxelVolumeML * 1000)) µl per voxel)"),
            ("bias correction", m.biasCorrection.applied ? "on, field \(percent(m.biasCorrection.fieldPeakToPeak ?? 0)) peak to peak over the muscles" : "off"),
            ("label table", "\(m.labelTable.name): \(m.labelTable.reason)"),
        ]
        if let noise = m.noise { rows.append(("Dixon noise", noiseText(noise))) }
        if let twoPoint = m.twoPointDixon {
            let fatDominant = twoPoint.regions.map { "\($0.name) \($0.fatDominantVoxels) of \($0.voxels)" }.joined(separator: ", ")
            rows.append(("water or fat", "\(twoPoint.rule); lean reference \(String(format: "%.4g", twoPoint.leanReference)), fat reference "
                         + (twoPoint.fatReference.map { String(format: "%.4g", $0) } ?? "none") + "; voxels taken as fat-dominant: \(fatDominant)"))
        }
        if !m.notAnalysed.isEmpty {
            rows.append(("not analysed", m.notAnalysed.map { "\($0.name) (\($0.label))" }.joined(separator: ", ") + ": not muscles"))
        }
        rows.append(("version", "imat \(IMATVersion.exact(version: m.imatVersion, sourceRevision: m.sourceRevision)), analysis revision \(m.analysisRevision)"))
        if s.erosion > 0 { rows.append(("mask erosion", "\(s.erosion) voxel(s)")) }
        if s.minimumFatComponent > 0 { rows.append(("fat specks dropped", "below \(s.minimumFatComponent) voxels")) }
        if s.perLabelFit { rows.append(("class fit", "per muscle")) }
        return "<dl class=\"settings\">" + rows.map { "<dt>\(escapeHTML($0.0))</dt><dd>\(escapeHTML($0.1))</dd>" }.joined() + "</dl>\n"
    }

    private static func sourceText(_ source: ImageSource) -> String {
        switch source {
        case .t1: "T1-weighted"
        case .dixon: "Dixon water/fat"
        case .dixonTwoPoint: "two-point Dixon, water/fat from in/opposed phase"
        }
    }

    private static func noiseText(_ noise: NoiseSummary) -> String {
        switch noise.source {
        case "background": "σ = \(String(format: "%.4g", noise.sigma)), measured in the air around the body (\(noise.values ?? 0) values); the corrected fat fraction removes its floor"
        case "given": "σ = \(String(format: "%.4g", noise.sigma)), as given; the corrected fat fraction removes its floor"
        case "off": "correction off: both fat fractions are the plain F/(F+W)"
        default: "not measured (no air in the images): both fat fractions are the plain F/(F+W), noise floor included"
        }
    }

    private static func warningsSection(_ warnings: [String]) -> String {
        guard !warnings.isEmpty else { return "<h2>Quality checks</h2>\n<p class=\"ok\">No warnings.</p>\n" }
        return "<h2>Quality checks</h2>\n" + warnings.map { "<div class=\"warn\">\(escapeHTML($0))</div>" }.joined(separator: "\n") + "\n"
    }

    private static func musclesTable(_ m: ParticipantMetrics) -> String {
        var html = "<h2>Muscles</h2>\n<table>\n<tr><th>muscle</th><th>label</th><th>volume (ml)</th><th>lean (ml)</th><th>fat (ml)</th>"
        if m.classes == 3 { html += "<th>undefined (ml)</th>" }
        let dixon = m.total.signalFatFractionMean != nil
        html += "<th>IMAT fraction</th><th>mean fat fraction</th>" + (dixon ? "<th>plain F/(F+W)</th>" : "") + "</tr>\n"
        func row(_ name: String, _ label: String, _ c: CompositionMetrics, total: Bool) -> String {
            var cells = [escapeHTML(name), label, ml(c.volumeML), ml(c.leanML), ml(c.fatML)]
            if m.classes == 3 { cells.append(ml(c.undefinedML)) }
            cells += [percent(c.imatFraction), percent(c.fatFractionMean)]
            if let plain = c.signalFatFractionMean { cells.append(percent(plain)) }
            return "<tr\(total ? " class=\"total\"" : "")>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        for muscle in m.muscles { html += row(muscle.name, String(muscle.label), muscle.composition, total: false) }
        html += row("all muscles", "", m.total, total: true)
        html += "</table>\n<p class=\"sub\">IMAT fraction: the fat class's share of the muscle's voxels. Mean fat fraction: the partial-volume "
            + "aware (or noise-corrected Dixon) fat fraction averaged over the muscle."
            + (dixon ? " Plain F/(F+W): the signal fat fraction as MuscleMap and most papers report it, the noise floor included (biased upwards at low SNR)." : "")
            + "</p>\n"
        return html
    }

    private static func slicesSection(_ analysis: ParticipantAnalysis) throws -> String {
        let depth = analysis.tissueMap.dimensions.z
        var html = "<h2>Axial slices</h2>\n<p class=\"legend\">"
        html += "<span><i class=\"swatch\" style=\"background:rgb\(SliceOverlay.leanColour)\"></i>lean</span>"
        html += "<span><i class=\"swatch\" style=\"background:rgb\(SliceOverlay.fatColour)\"></i>fat</span>"
        if analysis.metrics.classes == 3 { html += "<span><i class=\"swatch\" style=\"background:rgb\(SliceOverlay.undefinedColour)\"></i>undefined</span>" }
        html += "</p>\n<div class=\"grid\">\n"
        let map = analysis.tissueMap
        guard case .uint8(let tissue) = map.storage else { preconditionFailure("the tissue map is UInt8 classes") }
        let overlays = SliceOverlay.overlays(of: analysis.display, tissue: tissue, dimensions: map.dimensions, affine: map.affine)
        for overlay in overlays {
            let k = overlay.slice
            let png = try PNGImage.encodeRGB(overlay.rgb, width: overlay.width, height: overlay.height, name: "slice \(k) of the report")
            let scale = max(1, 320 / max(overlay.width, overlay.height))
            html += "<figure><img alt=\"slice \(k)\" width=\"\(overlay.width * scale)\" height=\"\(overlay.height * scale)\" "
                + "style=\"image-rendering: pixelated\" src=\"data:image/png;base64,\(png.base64EncodedString())\">"
                + "<figcaption>slice \(k + 1) of \(depth)</figcaption></figure>\n"
        }
        return html + "</div>\n"
    }

    /// Cross-sectional area and fat fraction per slice, one line per muscle (the rows of slices.csv).
    private static func profileSection(_ analysis: ParticipantAnalysis) -> String {
        let muscles = analysis.metrics.muscles
        func series(_ value: (SliceMetrics) -> Double) -> [ProfilePlot.Series] {
            muscles.map { muscle in
                ProfilePlot.Series(name: muscle.name, points: analysis.slices.filter { $0.label == muscle.label }.map { ($0.slice, value($0)) })
            }
        }
        let area = ProfilePlot(title: "Cross-sectional area", yLabel: "cm²", series: series(\.csaCM2), yFloor: 0)
        let fat = ProfilePlot(title: "Mean fat fraction", yLabel: "fat fraction", series: series(\.fatFractionMean), yFloor: 0.2)
        return "<h2>Along the spine</h2>\n" + ProfilePlot.legend(muscles.map(\.name))
            + "<div class=\"grid\">\n<figure>\(area.svg())</figure>\n<figure>\(fat.svg())</figure>\n</div>\n"
            + "<p class=\"sub\">Per slice along the volume's third axis, as in <code>slices.csv</code>.</p>\n"
    }

    /// Per vertebral level (levels.csv): each muscle's mean fat fraction and mean cross-sectional area.
    private static func levelsSection(_ analysis: ParticipantAnalysis) -> String {
        guard let summary = analysis.metrics.levels else { return "" }
        let muscles = analysis.metrics.muscles
        var html = "<h2>Per vertebral level</h2>\n<table>\n<tr><th>level</th><th>slices</th>"
            + muscles.map { "<th>\(escapeHTML($0.name))</th>" }.joined() + "</tr>\n"
        for level in summary.levels {
            html += "<tr><td>\(escapeHTML(level.name))</td><td>\(level.slices.count)</td>"
            for muscle in muscles {
                let cell = analysis.levels.first { $0.label == muscle.label && $0.level == level.name }
                html += "<td>" + (cell.map { "\(percent($0.fatFractionMean)) · \(String(format: "%.1f", $0.csaCM2Mean)) cm²" } ?? "–") + "</td>"
            }
            html += "</tr>\n"
        }
        return html + "</table>\n<p class=\"sub\">Mean fat fraction · mean cross-sectional area over the level's slices that hold the muscle, as in "
            + "<code>levels.csv</code>. Levels from \(escapeHTML(summary.source)): \(escapeHTML(summary.rule)).</p>\n"
    }

    private static func filesSection() -> String {
        """
        <h2>Files</h2>
        <p><code>metrics.json</code> and <code>metrics.csv</code> hold these numbers, <code>slices.csv</code> the same per slice; <code>tissue.nii.gz</code> (0 outside the muscles, \
        1 lean, 2 fat, 3 undefined) and <code>fat_fraction.nii.gz</code> lie on the input grid and open over the image in ITK-SNAP \
        (<code>itksnap -g t1.nii.gz -s tissue.nii.gz</code>) or 3D Slicer.</p>

        """
    }

    private static func ml(_ x: Double) -> String { String(format: "%.2f", x) }
    private static func percent(_ x: Double) -> String { String(format: "%.1f %%", x * 100) }
}
