import VolumeCore
import VolumeIO

/// One rendered phantom participant: the images, the mask, and the answers.
public struct RenderedParticipant: Sendable {
    public var traits: ParticipantTraits
    public var settings: PhantomSettings
    /// T1-weighted magnitude image (uint16).
    public var t1: Volume
    /// Dixon water and fat magnitude images (uint16), from one acquisition.
    public var water: Volume
    public var fat: Volume
    /// Muscle labels (uint8): 0, or a `Muscle` label by sub-voxel majority.
    public var mask: Volume
    /// True fat fraction of every voxel: the mean of its sub-samples' fat fractions.
    public var fatFraction: [Float]
    public var truth: GroundTruth
}

/// A digital phantom of an axial lumbar MRI stack (L1 to L5) with known fat in the back muscles, in the
/// spirit of BrainWeb (Collins et al., IEEE TMI 1998; Kwan et al., IEEE TMI 1999): anatomy with known
/// tissue fractions, rendered with the artefacts of real magnitude MRI.
///
/// Rendering, slice by slice in parallel:
/// 1. Anatomy (`Section`) in millimetres; each voxel sampled on a `supersampling`³ sub-grid.
/// 2. Muscle fat as marbling and streaks (`TissueTexture`) with a per-muscle threshold calibrated so the
///    truth's fat_fraction_mean hits the target (`MarblingCalibration`).
/// 3. Sub-sample signals (`SignalTable`) averaged into noise-free voxel signals; the mask label is the
///    sub-sample majority and the true fat fraction the sub-sample mean.
/// 4. A multiplicative bias field (`BiasField`) spanning exactly 1 ± inu/2 over the voxels that hold body
///    tissue; T1w has its own field, water and fat share one.
/// 5. Rician noise: magnitude of (signal + n₁, n₂), n ~ N(0, σ²), σ = 350/snr on T1w (lean muscle) and
///    700/snr on water and fat (lean-muscle water), so air is Rayleigh; rounded and clamped to uint16.
///
/// Every random number comes from a `RandomStream` keyed by (seed, participant index, purpose, slice), and
/// only basic IEEE arithmetic and square roots are used, so output is byte-identical for any `workers`
/// and on any machine.
public enum LumbarPhantom {
    public static func render(_ settings: PhantomSettings, _ traits: ParticipantTraits,
                              workers: Int = Parallel.defaultWorkers) -> RenderedParticipant {
        precondition(settings.problem == nil, settings.problem ?? "")
        let anatomy = Anatomy(traits: traits, settings: settings)
        var textureStream = RandomStream(seed: settings.seed, participant: traits.index, purpose: .texture)
        let texture = TissueTexture(&textureStream, visceralFatShare: traits.visceralFatShare)
        let sampler = VoxelSampler(anatomy: anatomy, texture: texture, settings: settings)
        let signals = SignalTable(marrowFatFraction: traits.marrowFatFraction)
        let targets = Muscle.allCases.map { traits.targetFatFraction[$0] ?? 0 }
        let thresholds = MarblingCalibration.thresholds(sampler: sampler, signals: signals, targets: targets, workers: workers)
        let (t1Bias, dixonBias) = biasFields(settings: settings, traits: traits, sampler: sampler, workers: workers)

        let slices = Parallel.map(settings.dimensions.z, workers: workers) { k in
            SliceRenderer(sampler: sampler, signals: signals, thresholds: thresholds, t1Bias: t1Bias, dixonBias: dixonBias,
                          settings: settings, participant: traits.index).render(slice: k)
        }
        let d = settings.dimensions
        func volume<T>(_ part: (RenderedSlice) -> [T], _ storage: ([T]) -> VoxelStorage) -> Volume {
            Volume(dimensions: d, spacing: settings.spacing, storage: storage(slices.flatMap(part)))
        }
        let labels = slices.flatMap(\.labels)
        let fatFraction = slices.flatMap(\.fatFraction)
        let voxelML = settings.spacing.x * settings.spacing.y * settings.spacing.z / 1000
        return RenderedParticipant(
            traits: traits, settings: settings,
            t1: volume(\.t1, VoxelStorage.uint16), water: volume(\.water, VoxelStorage.uint16),
            fat: volume(\.fat, VoxelStorage.uint16),
            mask: Volume(dimensions: d, spacing: settings.spacing, storage: .uint8(labels)),
            fatFraction: fatFraction,
            truth: GroundTruth.measure(participant: traits.id, labels: labels, fatFraction: fatFraction,
                                       voxelVolumeML: voxelML, targets: traits.targetFatFraction))
    }

    /// The T1w and Dixon bias fields, each scaled to its range over the voxels that hold any body tissue.
    static func biasFields(settings: PhantomSettings, traits: ParticipantTraits, sampler: VoxelSampler,
                                   workers: Int) -> (ScaledBiasField, ScaledBiasField) {
        var stream = RandomStream(seed: settings.seed, participant: traits.index, purpose: .biasField)
        let centreZ = Double(settings.dimensions.z) * settings.spacing.z / 2
        let fields = [BiasField(&stream, centreV: sampler.anatomy.bodyCentreV, centreZ: centreZ),
                      BiasField(&stream, centreV: sampler.anatomy.bodyCentreV, centreZ: centreZ)]
        let d = settings.dimensions
        let ranges = Parallel.map(d.z, workers: workers) { k -> [ClosedRange<Double>?] in
            let sections = sampler.sections(slice: k)
            var ranges: [ClosedRange<Double>?] = [nil, nil]
            for j in 0..<d.y {
                for i in 0..<d.x where sampler.containsBody(i: i, j: j, sections: sections) {
                    for f in 0..<2 {
                        let value = fields[f].raw(u: sampler.u(i), v: sampler.v(j), z: sampler.z(k))
                        ranges[f] = ranges[f].map { min($0.lowerBound, value)...max($0.upperBound, value) } ?? value...value
                    }
                }
            }
            return ranges
        }
        let scaled = (0..<2).map { f -> ScaledBiasField in
            let all = ranges.compactMap { $0[f] }
            let low = all.map(\.lowerBound).min() ?? 0, high = all.map(\.upperBound).max() ?? 0
            return ScaledBiasField(field: fields[f], low: low, high: high, inu: settings.inu)
        }
        return (scaled[0], scaled[1])
    }
}

/// One slice's share of the output, in voxel order.
struct RenderedSlice {
    var t1: [UInt16]
    var water: [UInt16]
    var fat: [UInt16]
    var labels: [UInt8]
    var fatFraction: [Float]
}

/// Renders the voxels of one slice: sub-samples → marbling → mean signals → bias → Rician noise.
private struct SliceRenderer {
    let sampler: VoxelSampler
    let signals: SignalTable
    let thresholds: [Double]
    let t1Bias: ScaledBiasField
    let dixonBias: ScaledBiasField
    let settings: PhantomSettings
    let participant: Int

    func render(slice k: Int) -> RenderedSlice {
        let d = settings.dimensions, count = d.sliceVoxelCount
        var out = RenderedSlice(t1: .init(repeating: 0, count: count), water: .init(repeating: 0, count: count),
                                fat: .init(repeating: 0, count: count), labels: .init(repeating: 0, count: count),
                                fatFraction: .init(repeating: 0, count: count))
        let sections = sampler.sections(slice: k)
        var samples = [SubSample](repeating: .air, count: sampler.samplesPerVoxel)
        let weight = 1 / Double(samples.count)
        let labels = Muscle.allCases.map { UInt8($0.label) }
        let sigmaT1 = settings.snr.map { SignalTable.leanT1 / $0 } ?? 0
        let sigmaDixon = settings.snr.map { SignalTable.leanWater / $0 } ?? 0
        var t1Noise = RandomStream(seed: settings.seed, participant: participant, purpose: .t1Noise, slice: k)
        var waterNoise = RandomStream(seed: settings.seed, participant: participant, purpose: .waterNoise, slice: k)
        var fatNoise = RandomStream(seed: settings.seed, participant: participant, purpose: .fatNoise, slice: k)
        let z = sampler.z(k)
        for j in 0..<d.y {
            let v = sampler.v(j)
            for i in 0..<d.x {
                let n = j * d.x + i
                sampler.sample(i: i, j: j, sections: sections, into: &samples)
                var t1 = 0.0, water = 0.0, fat = 0.0, fatFraction = 0.0
                for s in samples {
                    let tissue = s.slot >= 0 && s.score > thresholds[s.slot] ? Tissue.adipose : s.tissue
                    let signal = signals[tissue]
                    t1 += signal.t1
                    water += signal.water
                    fat += signal.fat
                    fatFraction += signal.fatFraction
                }
                let slot = VoxelSampler.majoritySlot(samples)
                out.labels[n] = slot >= 0 ? labels[slot] : 0
                out.fatFraction[n] = Float(fatFraction * weight)
                let u = sampler.u(i)
                let t1Gain = t1 > 0 ? t1Bias.value(u: u, v: v, z: z) : 1
                let dixonGain = water + fat > 0 ? dixonBias.value(u: u, v: v, z: z) : 1
                out.t1[n] = Self.quantize(Self.rician(t1 * weight * t1Gain, sigma: sigmaT1, &t1Noise))
                out.water[n] = Self.quantize(Self.rician(water * weight * dixonGain, sigma: sigmaDixon, &waterNoise))
                out.fat[n] = Self.quantize(Self.rician(fat * weight * dixonGain, sigma: sigmaDixon, &fatNoise))
            }
        }
        return out
    }

    /// Magnitude of a complex signal with Gaussian noise on both channels: Rician, Rayleigh where a = 0
    /// (Gudbjartsson & Patz, "The Rician distribution of noisy MRI data", MRM 1995).
    @inline(__always)
    static func rician(_ a: Double, sigma: Double, _ stream: inout RandomStream) -> Double {
        guard sigma > 0 else { return a }
        let (n1, n2) = stream.normalPair()
        let re = a + sigma * n1, im = sigma * n2
        return (re * re + im * im).squareRoot()
    }

    @inline(__always)
    static func quantize(_ x: Double) -> UInt16 { UInt16(min(max(x.rounded(), 0), 65535)) }
}
