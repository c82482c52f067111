@testable import Phantom
import Testing
import VolumeCore
import VolumeIO

/// Noise and bias statistics, measured on the images against the noise-free renders of the same participant.
@Suite struct SignalStatisticsTests {
    let noisy = Fixtures.noisy, biased = Fixtures.cleanBiased, clean = Fixtures.clean

    /// Air holds no signal, so its magnitude is Rayleigh: mean = σ·√(π/2) and mean² / mean(M²) = π/4.
    @Test(arguments: ["t1", "water", "fat"])
    func backgroundIsRayleigh(image: String) throws {
        let noisyImage = try images(image).noisy, cleanT1 = clean.t1.doubleValues()
        let sigma = (image == "t1" ? SignalTable.leanT1 : SignalTable.leanWater) / 20
        let air = zip(noisyImage, cleanT1).filter { $0.1 == 0 }.map(\.0)
        #expect(air.count > 20_000)
        let m = mean(air), meanSquare = mean(air.map { $0 * $0 })
        #expect(abs(m / sigma / (Double.pi / 2).squareRoot() - 1) < 0.02)
        #expect(abs(m * m / meanSquare / (Double.pi / 4) - 1) < 0.02)
    }

    /// SNR = lean-muscle signal / SD of the noise in voxels of pure lean muscle, within 10 % of the setting.
    @Test(arguments: ["t1", "water"])
    func leanMuscleSNRMatchesTheSetting(image: String) throws {
        guard case .uint8(let labels) = clean.mask.storage else { Issue.record("mask is not uint8"); return }
        let (noisyImage, cleanImage) = try images(image)
        let biasedImage = try images(image, noisy: false).noisy
        let cleanT1 = clean.t1.doubleValues(), cleanWater = clean.water.doubleValues(), cleanFat = clean.fat.doubleValues()
        var residuals: [Double] = [], signal: [Double] = []
        for n in labels.indices where labels[n] != 0 && cleanT1[n] == SignalTable.leanT1
            && cleanWater[n] == SignalTable.leanWater && cleanFat[n] == 0 {
            residuals.append(noisyImage[n] - biasedImage[n])
            signal.append(cleanImage[n])
        }
        #expect(residuals.count > 1000)
        let snr = mean(signal) / standardDeviation(residuals)
        #expect(abs(snr / 20 - 1) < 0.1, "measured SNR \(snr)")
    }

    /// The field applied to the images spans 1 ± inu/2 over the body: checked on the field itself over
    /// every voxel holding body tissue, and on the images, where the field is their ratio.
    @Test func biasFieldSpansTheRequestedRange() throws {
        let t1Clean = clean.t1.doubleValues(), t1Biased = biased.t1.doubleValues()
        var low = Double.infinity, high = -Double.infinity
        for n in t1Clean.indices where t1Clean[n] >= 1000 {
            let ratio = t1Biased[n] / t1Clean[n]
            low = min(low, ratio)
            high = max(high, ratio)
        }
        #expect(low >= 0.8 - 0.0015 && high <= 1.2 + 0.0015)
        #expect(high - low > 0.9 * 0.4)

        let settings = Fixtures.settings
        let anatomy = Anatomy(traits: Fixtures.traits, settings: settings)
        var stream = RandomStream(seed: 0, participant: 0, purpose: .texture)
        let sampler = VoxelSampler(anatomy: anatomy, texture: TissueTexture(&stream, visceralFatShare: 0.3), settings: settings)
        let (t1Field, dixonField) = LumbarPhantom.biasFields(settings: settings, traits: Fixtures.traits, sampler: sampler, workers: 2)
        let d = settings.dimensions
        for field in [t1Field, dixonField] {
            var low = Double.infinity, high = -Double.infinity
            for k in 0..<d.z {
                let sections = sampler.sections(slice: k)
                for j in 0..<d.y {
                    for i in 0..<d.x where sampler.containsBody(i: i, j: j, sections: sections) {
                        let b = field.value(u: sampler.u(i), v: sampler.v(j), z: sampler.z(k))
                        low = min(low, b)
                        high = max(high, b)
                    }
                }
            }
            #expect(abs(low - 0.8) < 1e-9 && abs(high - 1.2) < 1e-9)
        }
        // The images carry exactly that field, up to rounding both images to integers (0.5 + 0.5 · 1.2).
        let d3 = Fixtures.settings.dimensions
        var worst = 0.0
        for k in 0..<d3.z {
            for j in 0..<d3.y {
                for i in 0..<d3.x {
                    let n = d3.index(i, j, k)
                    guard t1Clean[n] >= 300 else { continue }
                    let b = t1Field.value(u: sampler.u(i), v: sampler.v(j), z: sampler.z(k))
                    worst = max(worst, abs(t1Biased[n] - t1Clean[n] * b))
                }
            }
        }
        #expect(worst <= 1.1 + 1e-9)
    }

    private func images(_ name: String, noisy useNoisy: Bool = true) throws -> (noisy: [Double], clean: [Double]) {
        let source = useNoisy ? noisy : biased
        switch name {
        case "t1": return (source.t1.doubleValues(), clean.t1.doubleValues())
        case "water": return (source.water.doubleValues(), clean.water.doubleValues())
        case "fat": return (source.fat.doubleValues(), clean.fat.doubleValues())
        default: throw TestError.unknownImage
        }
    }

    enum TestError: Error { case unknownImage }
}
