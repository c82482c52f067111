import Benchmark
import Foundation
import Analysis
import Reporting

/// `imat analyze` for one participant with the default settings, in process: load, classify, measure, and write
/// metrics.json/.csv, tissue.nii.gz, fat_fraction.nii.gz and report.html. The participant's folder has water and
/// fat, so its default is Dixon ("analyze one participant"); the same T1w image and mask alone make the default
/// T1w analysis (partial-volume, bias-corrected).
func analyzeBenchmarks(_ data: BenchmarkData) {
    let scratch = FileManager.default.temporaryDirectory
        .appendingPathComponent("imat-benchmark-\(ProcessInfo.processInfo.processIdentifier)").path
    let output = scratch + "/out"
    let clear = { try? FileManager.default.removeItem(atPath: output) }
    let t1wParticipant = scratch + "/t1w/P0001"
    try? FileManager.default.createDirectory(atPath: t1wParticipant, withIntermediateDirectories: true)
    for name in ["t1.nii.gz", "mask.nii.gz", "scan.json"] {
        try? FileManager.default.createSymbolicLink(atPath: t1wParticipant + "/" + name, withDestinationPath: data.niftiParticipant + "/" + name)
    }
    for (name, participant) in [("analyze one participant", data.niftiParticipant), ("analyze T1w default", t1wParticipant)] {
        for workers in [1, 2] {
        Benchmark("\(name) 256x256x120 (\(workers) threads)",
                  configuration: .init(maxDuration: .seconds(20), maxIterations: 20),
                  closure: { benchmark in
            // Each run writes into an empty folder, as a first analysis does; clearing it is not timed.
            clear()
            benchmark.startMeasurement()
            measure(benchmark) {
                let analysis = try ParticipantAnalyzer.analyze(participant, settings: AnalysisSettings(), workers: workers)
                return try ParticipantOutput.write(analysis, into: output)
            }
        }, teardown: { clear() })
        }
    }
}
