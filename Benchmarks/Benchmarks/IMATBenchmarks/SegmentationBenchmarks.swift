import Benchmark
import Segmentation
import VolumeCore
import VolumeIO

/// The steps of one tissue classification on the T1w image within the muscle mask (labels 44–47, about
/// 250,000 of the 7.9 million voxels), and the Dixon fat fraction on the water and fat images.
func segmentationBenchmarks(_ data: BenchmarkData) {
    let setup = { try MuscleImages(data) }
    func muscleHistogram(_ images: MuscleImages, workers: Int = 1) throws -> Histogram {
        try Histogram(values: images.t1, labels: images.muscles, selection: .anyLabel, workers: workers)
    }
    for workers in [1, 2] {
        // Two passes over the volume (range, then counts); integer T1 values give one bin per value.
        Benchmark("histogram (\(workers) threads)", closure: { (benchmark: Benchmark, images: MuscleImages) in
            measure(benchmark) { try muscleHistogram(images, workers: workers) }
        }, setup: setup)
    }

    // Each fit is timed as IMATKit runs it for one classification: the histogram of the muscle voxels (on one
    // thread, as the Python tools run) and then the fit on that histogram.
    Benchmark("otsu", closure: { (benchmark: Benchmark, images: MuscleImages) in
        measure(benchmark) { Otsu.threshold(try muscleHistogram(images)) }
    }, setup: setup)
    Benchmark("multi-otsu 3 classes", closure: { (benchmark: Benchmark, images: MuscleImages) in
        measure(benchmark) { try Otsu.thresholds(muscleHistogram(images), classes: 3) }
    }, setup: setup)
    Benchmark("k-means 3 clusters", closure: { (benchmark: Benchmark, images: MuscleImages) in
        measure(benchmark) { try KMeans(muscleHistogram(images), clusters: 3) }
    }, setup: setup)
    Benchmark("gmm 3 components", closure: { (benchmark: Benchmark, images: MuscleImages) in
        measure(benchmark) { try GaussianMixture(muscleHistogram(images), components: 3) }
    }, setup: setup)
    // The same fits from the muscle voxels already selected into an array, the input the Python tools get
    // (numpy's t1[mask]): histogram of the array, then the fit.
    let selectedSetup = { () throws -> [Float] in
        let images = try MuscleImages(data)
        return zip(images.t1, images.muscles).compactMap { $1 != 0 ? $0 : nil }
    }
    Benchmark("multi-otsu 3 classes (selected voxels)", closure: { (benchmark: Benchmark, voxels: [Float]) in
        measure(benchmark) { try Otsu.thresholds(Histogram(values: voxels, workers: 1), classes: 3) }
    }, setup: selectedSetup)
    Benchmark("k-means 3 clusters (selected voxels)", closure: { (benchmark: Benchmark, voxels: [Float]) in
        measure(benchmark) { try KMeans(Histogram(values: voxels, workers: 1), clusters: 3) }
    }, setup: selectedSetup)
    Benchmark("gmm 3 components (selected voxels)", closure: { (benchmark: Benchmark, voxels: [Float]) in
        measure(benchmark) { try GaussianMixture(Histogram(values: voxels, workers: 1), components: 3) }
    }, setup: selectedSetup)
    // IMATKit's default single-contrast model (histogram + partial-volume mixture).
    Benchmark("partial-volume mixture", closure: { (benchmark: Benchmark, images: MuscleImages) in
        measure(benchmark) { try PartialVolumeMixture(muscleHistogram(images)) }
    }, setup: setup)

    for workers in [1, 2] {
        // The default correction: cubic field, up to 10 iterations, each a histogram, a partial-volume fit and
        // a weighted least-squares pass over the mask, then the whole image divided by the field.
        Benchmark("bias correction (\(workers) threads)", closure: { (benchmark: Benchmark, images: MuscleImages) in
            measure(benchmark) {
                try BiasFieldCorrection(image: images.t1, dimensions: images.dimensions, labels: images.muscles, workers: workers)
                    .corrected(images.t1, workers: workers)
            }
        }, setup: setup)
        // The whole Dixon step of a participant: noise σ from the background of both images, the deconvolved fat
        // fraction fitted per muscle, the fat-fraction and tissue maps, and per-muscle counts and histograms.
        Benchmark("dixon fat fraction (\(workers) threads)", closure: { (benchmark: Benchmark, images: MuscleImages) in
            let dixon = TissueImages(dimensions: images.dimensions, water: images.water, fat: images.fat, labels: images.muscles)
            measure(benchmark) { try analyzeTissue(dixon, options: TissueAnalysisOptions(method: .dixon, workers: workers)) }
        }, setup: setup)
    }

    // Single-contrast tissue analysis as `imat analyze --method pve` runs it (bias correction, fat reference,
    // pooled fit, maps) and GMM without correction, and the morphology steps behind --erode and --min-fat-component, on two threads.
    Benchmark("tissue analysis: pve, bias-corrected (2 threads)", closure: { (benchmark: Benchmark, images: MuscleImages) in
        let t1 = TissueImages(dimensions: images.dimensions, image: images.t1, labels: images.muscles)
        measure(benchmark) { try analyzeTissue(t1, options: TissueAnalysisOptions(method: .partialVolume, workers: 2)) }
    }, setup: setup)
    Benchmark("tissue analysis: gmm 3 classes, no bias correction (2 threads)", closure: { (benchmark: Benchmark, images: MuscleImages) in
        let t1 = TissueImages(dimensions: images.dimensions, image: images.t1, labels: images.muscles)
        let options = TissueAnalysisOptions(method: .gaussianMixture, classes: 3, biasCorrection: false, workers: 2)
        measure(benchmark) { try analyzeTissue(t1, options: options) }
    }, setup: setup)
    Benchmark("erode labels by 1 (2 threads)", closure: { (benchmark: Benchmark, images: MuscleImages) in
        measure(benchmark) { try erodeLabels(images.muscles, dimensions: images.dimensions, voxels: 1, workers: 2) }
    }, setup: setup)
    Benchmark("connected components, 26-connected", closure: { (benchmark: Benchmark, input: (MuscleImages, [Bool])) in
        measure(benchmark) { try ConnectedComponents(input.1, dimensions: input.0.dimensions) }
    }, setup: {
        // Bright voxels (fat) anywhere in the image: many components of every size.
        let images = try MuscleImages(data)
        let threshold = try Histogram(values: images.t1, labels: images.muscles, selection: .anyLabel).quantile(0.9)
        return (images, images.t1.map { Double($0) > threshold })
    })
}

/// Runs `body` and keeps its result alive; an error fails the benchmark with its message.
func measure<T>(_ benchmark: Benchmark, _ body: () throws -> T) {
    do { blackHole(try body()) } catch { benchmark.error(String(describing: error)) }
}
