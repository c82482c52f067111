import Benchmark
import CFloors
import Foundation
import VolumeCore
import VolumeIO

/// Reading the T1 image of the benchmark participant, as PNG slices and as .nii.gz, against what libpng
/// and igzip alone need for the same bytes, and against one pass over the decoded volume.
func loadBenchmarks(_ data: BenchmarkData) {
    let shape = "256x256x120"
    for workers in [1, 2] {
        Benchmark("load: png \(shape) (\(workers) threads)") { _ in
            blackHole(try VolumeFile.load(data.pngParticipant + "/t1", options: LoadOptions(workers: workers)))
        }
        // The NIfTI reader inflates in one stream (gzip is sequential); both thread counts are listed so that
        // every loader has the same pair of rows.
        Benchmark("load: nii.gz \(shape) (\(workers) threads)") { _ in
            blackHole(try VolumeFile.load(data.niftiPath("t1"), options: LoadOptions(workers: workers)))
        }
    }

    // Files read whole, then decoded into a buffer allocated and touched beforehand, on one thread.
    Benchmark("floor: libpng decode 120 slices", closure: { (benchmark: Benchmark, input: FloorInput) in
        let status = input.cPaths.withUnsafeBufferPointer {
            floors_png_decode($0.baseAddress, Int32($0.count), input.output.baseAddress, input.output.count)
        }
        if status != 0 { benchmark.error("libpng could not decode \(input.paths.first ?? "the slices")") }
    }, setup: {
        let paths = try data.pngSlices("t1")
        return FloorInput(paths: paths, outputBytes: 2 * 256 * 256 * paths.count)
    })
    Benchmark("floor: igzip inflate nii.gz", closure: { (benchmark: Benchmark, input: FloorInput) in
        if floors_inflate_file(input.cPaths[0], input.output.baseAddress, input.output.count) != 0 {
            benchmark.error("igzip could not inflate \(input.paths[0])")
        }
    }, setup: {
        let path = data.niftiPath("t1")
        return FloorInput(paths: [path], outputBytes: floors_gzip_size(path))
    })
    Benchmark("floor: one pass over \(shape) float32", closure: { (_: Benchmark, values: [Float]) in
        blackHole(values.withUnsafeBufferPointer { floors_sum($0.baseAddress, $0.count) })
    }, setup: {
        try data.volume("t1").floatValues()
    })
}

/// Input files (as C strings) and an output buffer, allocated and written once so that neither allocation nor
/// page faults fall inside the floors.
final class FloorInput: @unchecked Sendable {
    let paths: [String]
    let cPaths: [UnsafePointer<CChar>?]
    let output: UnsafeMutableRawBufferPointer

    init(paths: [String], outputBytes: Int) {
        self.paths = paths
        cPaths = paths.map { UnsafePointer(strdup($0)) }
        output = .allocate(byteCount: max(outputBytes, 1), alignment: 64)
        output.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit {
        cPaths.forEach { free(UnsafeMutablePointer(mutating: $0)) }
        output.deallocate()
    }
}
