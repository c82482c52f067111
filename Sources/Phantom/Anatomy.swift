/// One participant's anatomy: the sizes and random shape details that hold for the whole stack, from
/// which `section(atZ:)` derives the cross-section at any height.
///
/// Coordinates are millimetres in a spine-fixed frame: u to the patient's left, v to posterior (the
/// vertebral body's centre at v = 15), z the image's z (superior). The lumbar segment, L1 upper to L5
/// lower endplate, is `segmentLength` long and centred in the field of view; outside it the shapes of
/// its ends continue, and vertebrae (27 mm) and discs (10 mm) keep alternating.
struct Anatomy: Sendable {
    static let segmentLength = 185.0
    static let vertebraPeriod = 37.0
    static let vertebralBodyHeight = 27.0
    static let vertebralBodyV = 15.0
    static let skin = 1.8
    static let cortex = 1.5

    /// Image z (mm) of the L1 upper endplate.
    let zTop: Double
    /// v of the body outline's centre, which sits at the centre of the field of view.
    private(set) var bodyCentreV = 0.0
    let bodyHalfWidth: Double
    /// Subcutaneous fat around the body at mid-segment.
    let subcutaneousFat: SubcutaneousFat
    /// How far visceral fat pushes the belly forward, in mm.
    let visceralBulge: Double
    /// Linear size of each labelled muscle (slot order of `Muscle`), with left–right asymmetry.
    let muscleScale: SIMD4<Double>
    let quadratusScale: Double
    let abdominalWallThickness: Double

    init(traits: ParticipantTraits, settings: PhantomSettings) {
        var r = RandomStream(seed: settings.seed, participant: traits.index, purpose: .anatomy)
        zTop = Double(settings.dimensions.z) * settings.spacing.z / 2 + Self.segmentLength / 2
        bodyHalfWidth = traits.bodyHalfWidthMM
        subcutaneousFat = SubcutaneousFat(base: traits.subcutaneousFatMM, lateral: r.uniform(-0.1...0.5),
                                          anteroPosterior: r.uniform(-0.35...0.05), asymmetry: r.uniform(-0.08...0.08))
        visceralBulge = 70 * traits.visceralFatShare
        let s = traits.muscleScale
        muscleScale = SIMD4((0..<4).map { _ in s * clamp(r.normal(mean: 1, sd: 0.04), 0.9, 1.1) })
        quadratusScale = s * clamp(r.normal(mean: 1, sd: 0.06), 0.85, 1.15)
        abdominalWallThickness = 11 * s
        bodyCentreV = 0
        let middle = Section(self, z: zTop - Self.segmentLength / 2)
        bodyCentreV = (middle.posteriorSurface + middle.anteriorSurface) / 2
    }

    func section(atZ z: Double) -> Section { Section(self, z: z) }
}

/// Subcutaneous fat thickness in mm in the direction θ from the body's centre (cos θ towards the patient's
/// left, sin θ towards posterior): base·(1 + lateral·cos²θ + anteroPosterior·sin θ + asymmetry·cos θ).
struct SubcutaneousFat {
    var base: Double
    var lateral: Double
    var anteroPosterior: Double
    var asymmetry: Double

    @inline(__always)
    func thickness(cosine: Double, sine: Double) -> Double {
        base * (1 + lateral * cosine * cosine + anteroPosterior * sine + asymmetry * cosine)
    }

    /// The thickest it gets towards either side.
    var lateralMaximum: Double { base * (1 + lateral + abs(asymmetry)) }

    func scaled(by factor: Double) -> SubcutaneousFat {
        SubcutaneousFat(base: base * factor, lateral: lateral, anteroPosterior: anteroPosterior, asymmetry: asymmetry)
    }
}
