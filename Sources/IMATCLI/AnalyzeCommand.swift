import Analysis
import ArgumentParser
import Foundation
import Reporting

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Measure fat and lean muscle of one participant: metrics, maps and a report.",
        discussion: """
        PARTICIPANT_DIR is named by the participant's ID and holds t1 (or image), optionally water and fat \
        (a Dixon pair) or in_phase and opposed_phase (two-point Dixon magnitudes), and mask, each as \
        NAME.nii, NAME.nii.gz or a folder NAME/ of PNG slices, NIfTI stations or DICOM files, and an \
        optional scan.json. Images not given so may be series of a dicom/ folder as the scanner exported \
        them, told apart by their SeriesDescription (see --series-role). Results go to OUT/<participant>/: \
        metrics.json, metrics.csv, tissue.nii.gz, fat_fraction.nii.gz and report.html, written complete or \
        not at all.
        """
    )

    @Argument(help: "The participant's folder.")
    var participant: String

    @Option(help: "The results folder.")
    var out: String = "results"

    @OptionGroup var analysis: AnalysisOptions

    func run() throws {
        let result = try ParticipantAnalyzer.analyze(participant, settings: analysis.settings)
        let folder = try ParticipantOutput.write(result, into: out)
        for warning in result.metrics.warnings { printWarning("\(result.metrics.participant): \(warning)") }
        let m = result.metrics, total = m.total
        var line = "\(m.participant): \(m.muscles.count) muscles (\(m.labelTable.name) labels), \(String(format: "%.1f", total.volumeML)) ml, "
            + "IMAT fraction \(String(format: "%.3f", total.imatFraction)), mean fat fraction \(String(format: "%.3f", total.fatFractionMean)) (\(m.method.rawValue))"
        if let plain = total.signalFatFractionMean, let noise = m.noise {
            line += ", plain F/(F+W) \(String(format: "%.3f", plain)), noise σ \(String(format: "%.4g", noise.sigma)) (\(noise.source))"
        }
        if !m.notAnalysed.isEmpty { line += "; \(m.notAnalysed.count) labels not analysed (not muscles)" }
        print(line)
        print("report: \(folder)/report.html")
    }
}
