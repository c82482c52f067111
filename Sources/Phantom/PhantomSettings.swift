import VolumeCore
import VolumeIO

/// How the phantom's volumes are written: all as NIfTI, all as PNG slice folders, or alternating per participant.
public enum PhantomFormat: String, Codable, Sendable, CaseIterable {
    case png, nifti, mixed

    /// The file name for a volume role ("t1", "water", "fat", "mask") of the participant at `index` (0-based):
    /// `t1.nii.gz` or the folder `t1`. `mixed` writes even-indexed participants as PNG and odd ones as NIfTI.
    public func fileName(_ role: String, participantIndex index: Int) -> String {
        switch self {
        case .png: role
        case .nifti: role + ".nii.gz"
        case .mixed: index % 2 == 0 ? role : role + ".nii.gz"
        }
    }
}

/// Everything about a phantom acquisition that is not the participant: grid, image quality, randomness.
///
/// Anatomy is defined in millimetres, so `dimensions` and `spacing` change the resolution and the field
/// of view, never the anatomy. The body is centred in the field of view; the lumbar segment (L1 upper to
/// L5 lower endplate, 185 mm) is centred along z and the anatomy of its ends continues beyond it.
public struct PhantomSettings: Codable, Equatable, Sendable {
    public var dimensions: Dimensions
    /// Voxel size in mm (x, y, z).
    public var spacing: SIMD3<Double>
    /// Lean-muscle signal / noise sigma, on T1w and on the water image; nil renders without noise.
    public var snr: Double?
    /// Peak-to-peak amplitude of the multiplicative bias field over the body (0.4 → 0.8…1.2).
    public var inu: Double
    public var seed: UInt64
    /// Sub-samples per voxel along each axis (3 → 27 sub-samples), for partial volume.
    public var supersampling: Int
    public var format: PhantomFormat

    public init(dimensions: Dimensions = Dimensions(192, 160, 48), spacing: SIMD3<Double> = SIMD3(2, 2, 4),
                snr: Double? = 20, inu: Double = 0.4, seed: UInt64 = 1, supersampling: Int = 3,
                format: PhantomFormat = .nifti) {
        self.dimensions = dimensions
        self.spacing = spacing
        self.snr = snr
        self.inu = inu
        self.seed = seed
        self.supersampling = supersampling
        self.format = format
    }

    /// A problem with the settings, worded for the command line, or nil when they can be rendered.
    public var problem: String? {
        let d = dimensions
        if d.x < 1 || d.y < 1 || d.z < 1 { return "the shape must be three positive voxel counts" }
        if d.x > 4096 || d.y > 4096 || d.z > 4096 || d.voxelCount > 1 << 27 {
            return "the shape \(d) is too large (at most 4096 per axis and 134 million voxels)"
        }
        if !(0..<3).allSatisfy({ spacing[$0].isFinite && spacing[$0] > 0 && spacing[$0] <= 50 }) {
            return "the spacing must be three numbers in (0, 50] mm"
        }
        if let snr, !(snr.isFinite && snr > 0) { return "the SNR must be a positive number" }
        if !(inu >= 0 && inu < 1) { return "the bias-field amplitude (inu) must be in [0, 1)" }
        if !(1...8).contains(supersampling) { return "supersampling must be between 1 and 8" }
        return nil
    }

    private enum CodingKeys: String, CodingKey {
        case shape, spacingMM = "spacing_mm", snr, inu, seed, supersampling, format
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let shape = try c.decode([Int].self, forKey: .shape)
        let spacing = try c.decode([Double].self, forKey: .spacingMM)
        guard shape.count == 3, spacing.count == 3 else {
            throw DecodingError.dataCorruptedError(forKey: .shape, in: c, debugDescription: "shape and spacing_mm need three values")
        }
        self.init(dimensions: Dimensions(shape[0], shape[1], shape[2]), spacing: SIMD3(spacing[0], spacing[1], spacing[2]),
                  snr: try c.decodeIfPresent(Double.self, forKey: .snr), inu: try c.decode(Double.self, forKey: .inu),
                  seed: try c.decode(UInt64.self, forKey: .seed), supersampling: try c.decode(Int.self, forKey: .supersampling),
                  format: try c.decode(PhantomFormat.self, forKey: .format))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode([dimensions.x, dimensions.y, dimensions.z], forKey: .shape)
        try c.encode([spacing.x, spacing.y, spacing.z], forKey: .spacingMM)
        try c.encodeIfPresent(snr, forKey: .snr)
        try c.encode(inu, forKey: .inu)
        try c.encode(seed, forKey: .seed)
        try c.encode(supersampling, forKey: .supersampling)
        try c.encode(format, forKey: .format)
    }
}
