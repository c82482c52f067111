import Benchmark
import Foundation
import Reporting

/// `imat analyze` for one participant with the default settings, in process: load (the folder has water and
/// fat, so the method is Dixon: water, fat and mask are read), classify, measure, and write metrics.json/.csv,
/// tissue.nii.gz, fat_fraction.nii.gz and report.html.
func analyzeBenchmarks(_ data: BenchmarkData) {
    let output = FileManager.default.temporaryDirectory
        .appendingPathComponent("imat-benchmark-\(ProcessInfo.processInfo.processIdentifier)").path
    let clear = { try? FileManager.default.removeItem(atPath: output) }
    for workers in [1, 2] {
        Benchmark("analyze one participant 256x256x120 (\(workers) threads)",
                  configuration: .init(maxDuration: .seconds(20), maxIterations: 20),
                  closure: { benchmark in
            // Each run writes into an empty folder, as a first analysis does; clearing it is not timed.
            clear()
            benchmark.startMeasurement()
            measure(benchmark) {
                let analysis = try ParticipantAnalyzer.analyze(data.niftiParticipant, settings: AnalysisSettings(), workers: workers)
                return try ParticipantOutput.write(analysis, into: output)
            }
        }, teardown: { clear() })
    }
}
