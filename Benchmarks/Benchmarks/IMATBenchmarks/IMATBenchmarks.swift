import Benchmark
import Foundation

// Every benchmark runs in its own process, which registers them all: registration must stay cheap, so each
// benchmark loads what it needs in its setup closure.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .peakMemoryResidentDelta, .throughput],
                                           maxDuration: .seconds(5), maxIterations: 50)
    switch BenchmarkData.locate() {
    case .success(let data):
        loadBenchmarks(data)
        segmentationBenchmarks(data)
        analyzeBenchmarks(data)
    case .failure(let missing):
        FileHandle.standardError.write(Data("error: \(missing)\n".utf8))
        exit(1)
    }
    associationBenchmarks()
}
