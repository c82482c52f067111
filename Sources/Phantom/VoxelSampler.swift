import VolumeCore
import VolumeIO

/// One sub-voxel sample: its tissue before marbling, its muscle slot (0…3 labelled, 4 unlabelled muscle,
/// -1 none) and, for muscle, its marbling score.
struct SubSample {
    var tissue: Tissue
    var slot: Int
    var score: Double

    static let air = SubSample(tissue: .air, slot: -1, score: 0)
}

/// Places voxels in the anatomy and samples each on a regular sub-voxel grid (`factor`³ points at the
/// centres of equal sub-cells), so partial volume comes from averaging the samples.
///
/// The body outline's centre sits at the centre of the field of view; x index grows towards the patient's
/// left (u) and y index towards posterior (v), matching the slice-stack affine diag(−sx, −sy, sz).
struct VoxelSampler: Sendable {
    let anatomy: Anatomy
    let texture: TissueTexture
    let dimensions: Dimensions
    let spacing: SIMD3<Double>
    let factor: Int
    private let offsetsU: [Double]
    private let offsetsV: [Double]
    private let offsetsZ: [Double]

    init(anatomy: Anatomy, texture: TissueTexture, settings: PhantomSettings) {
        self.anatomy = anatomy
        self.texture = texture
        dimensions = settings.dimensions
        spacing = settings.spacing
        factor = settings.supersampling
        let n = Double(factor)
        let unit = (0..<factor).map { (Double($0) + 0.5) / n - 0.5 }
        offsetsU = unit.map { $0 * settings.spacing.x }
        offsetsV = unit.map { $0 * settings.spacing.y }
        offsetsZ = unit.map { $0 * settings.spacing.z }
    }

    var samplesPerVoxel: Int { factor * factor * factor }

    /// Voxel centres in anatomy coordinates.
    func u(_ i: Int) -> Double { (Double(i) + 0.5 - Double(dimensions.x) / 2) * spacing.x }
    func v(_ j: Int) -> Double { (Double(j) + 0.5 - Double(dimensions.y) / 2) * spacing.y + anatomy.bodyCentreV }
    func z(_ k: Int) -> Double { (Double(k) + 0.5) * spacing.z }

    /// The cross-sections through slice k's sub-sample planes.
    func sections(slice k: Int) -> [Section] { offsetsZ.map { anatomy.section(atZ: z(k) + $0) } }

    /// Voxel index ranges (x, y) that can touch labelled muscle in slice k.
    func labelledMuscleBox(slot: Int, sections: [Section]) -> (x: Range<Int>, y: Range<Int>) {
        var uLow = Double.infinity, uHigh = -Double.infinity, vLow = Double.infinity, vHigh = -Double.infinity
        for section in sections {
            let bounds = section.labelledMuscleBounds(slot: slot)
            uLow = min(uLow, bounds.u.lowerBound); uHigh = max(uHigh, bounds.u.upperBound)
            vLow = min(vLow, bounds.v.lowerBound); vHigh = max(vHigh, bounds.v.upperBound)
        }
        func range(_ low: Double, _ high: Double, centre0: Double, step: Double, count: Int) -> Range<Int> {
            let first = max(0, Int(((low - centre0) / step).rounded(.down)) - 1)
            let last = min(count - 1, Int(((high - centre0) / step).rounded(.up)) + 1)
            return first <= last ? first..<(last + 1) : 0..<0
        }
        return (range(uLow, uHigh, centre0: u(0), step: spacing.x, count: dimensions.x),
                range(vLow, vHigh, centre0: v(0), step: spacing.y, count: dimensions.y))
    }

    /// Fills `samples` (length `samplesPerVoxel`) for voxel (i, j) of the slice whose `sections` are given.
    /// A voxel whose nearest point lies outside every section's outline is all air without sampling.
    @inline(__always)
    func sample(i: Int, j: Int, sections: [Section], into samples: inout [SubSample]) {
        let uc = u(i), vc = v(j)
        if isOutsideBody(uc: uc, vc: vc, sections: sections) {
            for n in samples.indices { samples[n] = .air }
            return
        }
        var n = 0
        for section in sections {
            let zp = section.z
            for dv in offsetsV {
                let vp = vc + dv
                for du in offsetsU {
                    let up = uc + du
                    switch section.classify(u: up, v: vp) {
                    case .tissue(let tissue):
                        samples[n] = SubSample(tissue: tissue, slot: -1, score: 0)
                    case .muscle(let slot, let edge):
                        samples[n] = SubSample(tissue: .leanMuscle, slot: slot,
                                               score: texture.marblingScore(u: up, v: vp, z: zp, edge: edge))
                    case .cavity:
                        samples[n] = SubSample(tissue: texture.isVisceralFat(u: up, v: vp, z: zp) ? .adipose : .organ,
                                               slot: -1, score: 0)
                    }
                    n += 1
                }
            }
        }
    }

    /// Whether any sub-sample of voxel (i, j) lies inside the body outline.
    func containsBody(i: Int, j: Int, sections: [Section]) -> Bool {
        let uc = u(i), vc = v(j)
        if isOutsideBody(uc: uc, vc: vc, sections: sections) { return false }
        for section in sections {
            for dv in offsetsV {
                for du in offsetsU where section.outlineRadiusSquared(u: uc + du, v: vc + dv) < 1 { return true }
            }
        }
        return false
    }

    @inline(__always)
    private func isOutsideBody(uc: Double, vc: Double, sections: [Section]) -> Bool {
        let du = max(abs(uc) - spacing.x / 2, 0)
        for section in sections {
            let w = vc - section.centreV
            // The voxel's closest point to the outline's centre, against the larger half-ellipse.
            let dv = max(abs(w) - spacing.y / 2, 0)
            let halfDepth = max(section.posteriorHalfDepth, section.anteriorHalfDepth)
            let x = du / section.halfWidth, y = dv / halfDepth
            if x * x + y * y < 1 { return false }
        }
        return true
    }

    /// The muscle slot most sub-samples belong to (ties go to the lower slot), or -1 when samples
    /// outside labelled muscle are at least as many: the label a segmenter would draw.
    @inline(__always)
    static func majoritySlot(_ samples: [SubSample]) -> Int {
        var counts = SIMD4<Int32>(repeating: 0)
        for s in samples where s.slot >= 0 && s.slot < 4 { counts[s.slot] += 1 }
        var best = -1, bestCount = Int32(samples.count) - counts.wrappedSum()
        for slot in 0..<4 where counts[slot] > bestCount {
            best = slot
            bestCount = counts[slot]
        }
        return best
    }
}
