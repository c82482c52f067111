import Foundation
import Testing
import VolumeIO
@testable import Segmentation

/// Timings on a 256×256×120 UInt16-valued volume with ~15 % of voxels labelled. Run in release:
/// `IMAT_BENCHMARK=1 swift test -c release --filter Benchmark`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["IMAT_BENCHMARK"] != nil))
struct Benchmark {
    static func volume() -> (TissueImages, Int) {
        let d = Dimensions(256, 256, 120)
        var random = SeededRandom(seed: 1)
        var labels = [UInt16](repeating: 0, count: d.voxelCount)
        var t1 = [Float](repeating: 0, count: d.voxelCount), water = t1, fat = t1
        let centres: [(Double, Double)] = [(90, 170), (166, 170), (95, 90), (161, 90)]
        for k in 0..<d.z { for j in 0..<d.y { for i in 0..<d.x {
            let index = d.index(i, j, k)
            let (x, y) = (Double(i), Double(j))
            var ff = 0.0, inBody = false
            let bx = (x - 128) / 120, by = (y - 128) / 115
            if bx * bx + by * by <= 1 { inBody = true; ff = 1 }
            for (m, c) in centres.enumerated() {
                let dx = (x - c.0) / 27, dy = (y - c.1) / 29
                if dx * dx + dy * dy <= 1 {
                    labels[index] = UInt16(44 + m)
                    let streak = sin(0.9 * x + 0.3 * y) + sin(0.4 * x - 0.8 * y + 0.2 * Double(k))
                    ff = min(1, max(0, (streak - 1.2) * 2))
                }
            }
            let bias = 1 + 0.15 * sin(x / 90) * cos(y / 120)
            let presence = inBody ? 1.0 : 0
            t1[index] = Float(random.rician(bias * presence * (1000 + 2000 * ff), sigma: 50).rounded())
            water[index] = Float(random.rician(bias * presence * 1000 * (1 - ff), sigma: 50).rounded())
            fat[index] = Float(random.rician(bias * presence * 1000 * ff, sigma: 50).rounded())
        } } }
        let masked = labels.filter { $0 != 0 }.count
        return (TissueImages(dimensions: d, image: t1, water: water, fat: fat, labels: labels), masked)
    }

    static func median(_ runs: Int = 5, _ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return times.sorted()[runs / 2]
    }

    @Test func timings() throws {
        let (images, masked) = Self.volume()
        let image = images.image!
        print(String(format: "BENCH masked voxels: %d (%.1f %%), workers %d", masked, 100 * Double(masked) / Double(images.labels.count), Parallel.defaultWorkers))
        var h: Histogram!
        let report = { (name: String, seconds: Double) in print(String(format: "BENCH %-40@ %8.2f ms", name as NSString, seconds * 1000)) }
        report("histogram (integer bins)", try Self.median { h = try Histogram(values: image, labels: images.labels, selection: .anyLabel) })
        print("BENCH bins:", h.binCount)
        report("multi-Otsu K=3 (on histogram)", try Self.median { _ = try Otsu.thresholds(h, classes: 3) })
        report("k-means K=3 (on histogram)", try Self.median { _ = try KMeans(h, clusters: 3) })
        var gmm: GaussianMixture!
        report("GMM K=3 (on histogram)", try Self.median { gmm = try GaussianMixture(h, components: 3) })
        print("BENCH GMM iterations:", gmm.iterations, gmm.converged)
        report("histogram + GMM K=3", try Self.median { _ = try GaussianMixture(Histogram(values: image, labels: images.labels, selection: .anyLabel), components: 3) })
        report("histogram + k-means K=3", try Self.median { _ = try KMeans(Histogram(values: image, labels: images.labels, selection: .anyLabel), clusters: 3) })
        report("histogram + multi-Otsu K=3", try Self.median { _ = try Otsu.thresholds(Histogram(values: image, labels: images.labels, selection: .anyLabel), classes: 3) })
        report("partial-volume mixture (on histogram)", try Self.median { _ = try PartialVolumeMixture(h) })
        report("bias field correction", try Self.median(3) { _ = try BiasFieldCorrection(image: image, dimensions: images.dimensions, labels: images.labels) })
        report("analyzeTissue gmm, no bias correction", try Self.median(3) { _ = try analyzeTissue(images, options: .init(method: .gaussianMixture, classes: 3, biasCorrection: false)) })
        report("analyzeTissue pve (bias corrected)", try Self.median(3) { _ = try analyzeTissue(images, options: .init()) })
        report("analyzeTissue dixon", try Self.median(3) { _ = try analyzeTissue(images, options: .init(method: .dixon)) })
        report("erode labels by 1", try Self.median(3) { _ = try erodeLabels(images.labels, dimensions: images.dimensions, voxels: 1) })
        let fatMask = image.map { $0 > 2000 }
        report("connected components (26)", try Self.median(3) { _ = try ConnectedComponents(fatMask, dimensions: images.dimensions) })
    }
}
