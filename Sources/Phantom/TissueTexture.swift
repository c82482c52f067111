/// The random texture inside muscles (fat marbling and streaks) and in the abdominal cavity (organs
/// and visceral fat), as smooth fields in millimetres so they do not change with the voxel grid.
struct TissueTexture: Sendable {
    private let coarse: ValueNoise
    private let fine: ValueNoise
    private let streaks: ValueNoise
    private let viscera: ValueNoise
    private let visceraFine: ValueNoise
    private let visceralThreshold: Double

    /// Every marbling score lies in this range (the weights below bound it).
    static let scoreRange = -1.2...1.65
    /// Unlabelled muscle (quadratus lumborum, abdominal wall) is fat where its score exceeds this: a few per cent.
    static let unlabelledMuscleThreshold = 0.6

    init(_ stream: inout RandomStream, visceralFatShare: Double) {
        coarse = ValueNoise(&stream)
        fine = ValueNoise(&stream)
        streaks = ValueNoise(&stream)
        viscera = ValueNoise(&stream)
        visceraFine = ValueNoise(&stream)
        // Roughly linear in the share for this field's distribution; visceral fat is context, not measured.
        visceralThreshold = 0.55 - 1.4 * visceralFatShare
    }

    /// Where a muscle is fatty: the score is a blend of blobs (7 mm and 3 mm cells), streaks along the
    /// fibres (2.5 mm across, 20 mm along z) and a rise towards the muscle's edge, where infiltration
    /// tends to start. A sub-sample is fat when its score exceeds the muscle's threshold.
    @inline(__always)
    func marblingScore(u: Double, v: Double, z: Double, edge: Double) -> Double {
        let (x, y, w) = Self.oblique(u, v, z)
        // Streaks keep their long axis along z, so they turn only in the axial plane.
        let across = 0.8253356149096783 * u - 0.5646424733950354 * v, along = 0.5646424733950354 * u + 0.8253356149096783 * v
        return 0.55 * coarse.value(x * (1 / 7.0), y * (1 / 7.0), w * (1 / 7.0))
            + 0.2 * fine.value(x * (1 / 3.0), y * (1 / 3.0), w * (1 / 3.0))
            + 0.45 * streaks.value(across * (1 / 2.5), along * (1 / 2.5), z * (1 / 20.0))
            + 0.45 * edge
    }

    /// Whether a point of the abdominal cavity is visceral fat (else organ), in blobs of about 15 mm.
    @inline(__always)
    func isVisceralFat(u: Double, v: Double, z: Double) -> Bool {
        let (x, y, w) = Self.oblique(u, v, z)
        return viscera.value(x * (1 / 15.0), y * (1 / 15.0), w * (1 / 15.0))
            + 0.35 * visceraFine.value(x * (1 / 5.0), y * (1 / 5.0), w * (1 / 5.0)) > visceralThreshold
    }

    /// A fixed rotation (0.9 rad about the axis (1, 2, 3)) so the lattice's axes do not line up with the
    /// image's and the texture shows no blocky, axis-aligned edges.
    @inline(__always)
    private static func oblique(_ u: Double, _ v: Double, _ z: Double) -> (Double, Double, Double) {
        (0.6486378276799026 * u - 0.5740030492529115 * v + 0.4997894236086401 * z,
         0.6821144868898644 * u + 0.7297214059076174 * v - 0.047185766235033094 * z,
         -0.33762226715321053 * u + 0.37152007914589225 * v + 0.8648607029538087 * z)
    }
}
