/// What a point of a cross-section is made of, before texture: a tissue, a muscle (labelled slots 0…3
/// in `Muscle` order, slot 4 for unlabelled muscle) with its normalised distance from the muscle's centre
/// (0 at the centre, 1 at the edge), or the abdominal cavity (organs and visceral fat).
enum Region {
    case tissue(Tissue)
    case muscle(slot: Int, edge: Double)
    case cavity
}

/// The anatomy of one axial plane: every shape's size and position at height z.
///
/// Sizes follow adult lumbar anatomy (mm): vertebral body 42–52 wide and 32–36 deep; spinal canal 22 × 16;
/// spinous processes reaching 43 mm behind the canal; transverse processes longest at L3. Autochthonous
/// muscles (erector spinae with multifidus) fill the space beside the spinous process behind the
/// transverse processes, a superellipse of about 20 cm² per side; the psoas lies against the vertebral
/// body and grows from about 1.3 cm² at L1 to 13 cm² at L5 while moving forward; the quadratus lumborum
/// (unlabelled) lies lateral to the transverse processes. Each retroperitoneal structure is wrapped in
/// fat, so organs never touch the psoas. Shapes are checked in order of precedence: skin, bone,
/// vessels, labelled muscles, other muscles, subcutaneous fat, abdominal wall, retroperitoneal fat,
/// then the cavity.
struct Section {
    let z: Double

    // Body outline: two half-ellipses sharing the left–right axis, centred at (0, centreV).
    let centreV: Double
    let halfWidth: Double
    let posteriorSurface: Double
    let anteriorSurface: Double
    let subcutaneousFat: SubcutaneousFat
    let abdominalWall: Double

    // Spine.
    let isDisc: Bool
    let isEndplate: Bool
    let hasSpinousProcess: Bool
    let hasTransverseProcesses: Bool
    let bodyV = Anatomy.vertebralBodyV
    let bodyA: Double
    let bodyB: Double
    let canalV: Double
    let canalA = 11.0
    let canalB = 8.0
    let archV: Double
    let archA = 17.0
    let archB = 14.0
    let spinousHalfWidth = 4.0
    let spinousTipV: Double
    let transverseV: Double
    let transverseHalfHeight = 4.0
    let transverseEndU: Double

    // Labelled muscles in `Muscle` slot order: centre and semi-axes.
    let muscleU: SIMD4<Double>
    let muscleV: SIMD4<Double>
    let muscleA: SIMD4<Double>
    let muscleB: SIMD4<Double>
    let quadratusU: Double
    let quadratusV: Double
    let quadratusA: Double
    let quadratusB: Double

    // Vessels: the aorta (or, below its bifurcation, the two common iliac arteries) and the vena cava.
    let arteryU: SIMD2<Double>
    let arteryV: Double
    let arteryRadius: Double
    let venaCavaU: Double
    let venaCavaV: Double

    init(_ anatomy: Anatomy, z: Double) {
        self.z = z
        let depthInSegment = anatomy.zTop - z
        // 0 at the L1 upper endplate, 1 at the L5 lower endplate (clamped beyond).
        let t = clamp(depthInSegment / Anatomy.segmentLength, 0, 1)
        let bump = 4 * t * (1 - t)          // 0 at L1 and L5, 1 at L3
        let growth = t * (1.4 - 0.4 * t)    // 0 at L1 to 1 at L5, fastest at the top

        var phase = depthInSegment.truncatingRemainder(dividingBy: Anatomy.vertebraPeriod)
        if phase < 0 { phase += Anatomy.vertebraPeriod }
        isDisc = phase >= Anatomy.vertebralBodyHeight
        isEndplate = !isDisc && (phase < Anatomy.cortex || phase > Anatomy.vertebralBodyHeight - Anatomy.cortex)
        hasSpinousProcess = phase >= 4 && phase < 30
        hasTransverseProcesses = phase >= 7 && phase < 18

        bodyA = 21 + 5 * t
        bodyB = 16 + 2 * t
        canalV = Anatomy.vertebralBodyV + bodyB + 9
        archV = canalV + 2
        spinousTipV = canalV + 43
        transverseV = canalV - 1
        transverseEndU = 38 + 8 * bump

        let scale = anatomy.muscleScale
        let autochthonA = 27 * (1 + 0.08 * (1 - 2 * t)), autochthonB = 21 * (1 + 0.1 * bump)
        let autochthonFront = transverseV + 4 + 3  // 3 mm behind the transverse processes (half-height 4)
        let psoasA = (7 + 16 * growth), psoasB = (6 + 12 * growth)
        muscleA = SIMD4(autochthonA, autochthonA, psoasA, psoasA) * scale
        muscleB = SIMD4(autochthonB, autochthonB, psoasB, psoasB) * scale
        muscleU = SIMD4(2.5 + muscleA[0], -(2.5 + muscleA[1]),
                        bodyA + 0.8 * muscleA[2] + 1, -(bodyA + 0.8 * muscleA[3] + 1))
        let psoasV = Anatomy.vertebralBodyV + 6 - 14 * t
        muscleV = SIMD4(autochthonFront + muscleB[0], autochthonFront + muscleB[1], psoasV, psoasV)
        quadratusA = (9 + 8 * bump + 4 * t) * anatomy.quadratusScale
        quadratusB = 8 * anatomy.quadratusScale
        quadratusU = transverseEndU + 0.3 * quadratusA
        quadratusV = transverseV + 4

        let frontOfSpine = Anatomy.vertebralBodyV - bodyB
        if t < 0.72 {
            arteryU = SIMD2(10, 10)
            arteryRadius = 10
        } else {
            let spread = 6 + 60 * (t - 0.72)
            arteryU = SIMD2(spread, -spread)
            arteryRadius = 6.5
        }
        arteryV = frontOfSpine - 12
        venaCavaU = -16
        venaCavaV = frontOfSpine - 10

        // More subcutaneous fat towards the hips; the outline is built around the inner anatomy so that
        // fat never squeezes it.
        let fat = anatomy.subcutaneousFat.scaled(by: 1 + 0.3 * (t - 0.5))
        subcutaneousFat = fat
        abdominalWall = anatomy.abdominalWallThickness
        let backEdge = max(muscleV[0] + muscleB[0], muscleV[1] + muscleB[1], spinousTipV)
        posteriorSurface = backEdge + 3 + fat.thickness(cosine: 0, sine: 1) + Anatomy.skin
        anteriorSurface = frontOfSpine - 55 - anatomy.visceralBulge - abdominalWall
            - fat.thickness(cosine: 0, sine: -1) - Anatomy.skin
        let lateralNeed = max(quadratusU + quadratusA, abs(muscleU[2]) + muscleA[2], abs(muscleU[3]) + muscleA[3],
                              muscleU[0] + muscleA[0]) + abdominalWall + 8
        halfWidth = max(anatomy.bodyHalfWidth * (1 - 0.05 * t + 0.12 * t * t),
                        lateralNeed + fat.lateralMaximum + Anatomy.skin)
        centreV = anatomy.bodyCentreV
    }

    var posteriorHalfDepth: Double { posteriorSurface - centreV }
    var anteriorHalfDepth: Double { centreV - anteriorSurface }

    @inline(__always)
    private func ellipse(_ du: Double, _ dv: Double, _ a: Double, _ b: Double) -> Double {
        let x = du / a, y = dv / b
        return x * x + y * y
    }

    /// (u, v) relative to the body outline: below 1 inside, as (u/a)² + (w/b)² with w = v − centreV.
    @inline(__always)
    func outlineRadiusSquared(u: Double, v: Double) -> Double {
        let w = v - centreV
        return ellipse(u, w, halfWidth, w > 0 ? posteriorHalfDepth : anteriorHalfDepth)
    }

    /// What lies at (u, v).
    @inline(__always)
    func classify(u: Double, v: Double) -> Region {
        let rho2 = outlineRadiusSquared(u: u, v: v)
        if rho2 >= 1 { return .tissue(.air) }
        let w = v - centreV
        let halfDepth = w > 0 ? posteriorHalfDepth : anteriorHalfDepth
        let r = (u * u + w * w).squareRoot(), rho = rho2.squareRoot()
        // Depth below the skin along the ray from the centre.
        let depth = rho > 0 ? r * (1 - rho) / rho : min(halfWidth, halfDepth)
        if depth < Anatomy.skin { return .tissue(.skin) }
        if let bone = spine(u: u, v: v) { return .tissue(bone) }
        if isInVessel(u: u, v: v, margin: 0) { return .tissue(.vessel) }
        if let muscle = labelledMuscle(u: u, v: v) { return muscle }
        if ellipse(abs(u) - quadratusU, v - quadratusV, quadratusA, quadratusB) < 1 { return .muscle(slot: 4, edge: 0) }
        let cosine = r > 0 ? u / r : 0, sine = r > 0 ? w / r : 0
        let sat = subcutaneousFat.thickness(cosine: cosine, sine: sine)
        if depth < Anatomy.skin + sat { return .tissue(.adipose) }
        let wall = abdominalWall * clamp((0.55 - sine) / 0.55, 0, 1)
        if depth < Anatomy.skin + sat + wall { return .muscle(slot: 4, edge: 0) }
        if depth < Anatomy.skin + sat + wall + 2 || isRetroperitoneal(u: u, v: v) { return .tissue(.adipose) }
        return .cavity
    }

    /// Vertebral body or disc, canal, arch, spinous and transverse processes; bone is cortex within
    /// `Anatomy.cortex` of its surface and marrow inside.
    @inline(__always)
    private func spine(u: Double, v: Double) -> Tissue? {
        let au = abs(u)
        guard v > Anatomy.vertebralBodyV - bodyB - 2, v < spinousTipV + 1, au < max(transverseEndU, bodyA) + 1 else { return nil }
        let c = Anatomy.cortex
        if ellipse(u, v - canalV, canalA, canalB) < 1 { return .csf }
        if isDisc {
            if ellipse(u, v - bodyV, bodyA + 1, bodyB + 1) < 1 { return .disc }
        } else if ellipse(u, v - bodyV, bodyA, bodyB) < 1 {
            return isEndplate || ellipse(u, v - bodyV, bodyA - c, bodyB - c) >= 1 ? .cortex : .marrow
        }
        if ellipse(u, v - archV, archA, archB) < 1 {
            let inner = ellipse(u, v - archV, archA - c, archB - c) < 1 && ellipse(u, v - canalV, canalA + c, canalB + c) >= 1
            return inner ? .marrow : .cortex
        }
        if hasSpinousProcess, au < spinousHalfWidth, v > archV, v < spinousTipV {
            return au < spinousHalfWidth - c && v < spinousTipV - c ? .marrow : .cortex
        }
        let dv = abs(v - transverseV)
        if hasTransverseProcesses, dv < transverseHalfHeight, au > canalA, au < transverseEndU {
            return dv < transverseHalfHeight - c && au < transverseEndU - c ? .marrow : .cortex
        }
        return nil
    }

    @inline(__always)
    private func isInVessel(u: Double, v: Double, margin: Double) -> Bool {
        let r = arteryRadius + margin
        return ellipse(u - arteryU[0], v - arteryV, r, r) < 1 || ellipse(u - arteryU[1], v - arteryV, r, r) < 1
            || ellipse(u - venaCavaU, v - venaCavaV, 12 + margin, 8 + margin) < 1
    }

    /// The autochthonous muscles are superellipses |x|^2.5 + |y|^2.5 < 1 (squarer than an ellipse, like
    /// their cross-section); the psoas muscles are ellipses.
    @inline(__always)
    private func labelledMuscle(u: Double, v: Double) -> Region? {
        for slot in 0..<4 {
            let x = abs(u - muscleU[slot]) / muscleA[slot], y = abs(v - muscleV[slot]) / muscleB[slot]
            guard x < 1, y < 1 else { continue }
            let edge = slot < 2 ? x * x * x.squareRoot() + y * y * y.squareRoot() : x * x + y * y
            if edge < 1 { return .muscle(slot: slot, edge: edge) }
        }
        return nil
    }

    /// Fat around the retroperitoneal structures and behind the transverse processes.
    @inline(__always)
    private func isRetroperitoneal(u: Double, v: Double) -> Bool {
        if v > transverseV - transverseHalfHeight - 2 { return true }
        for slot in 2..<4 where ellipse(u - muscleU[slot], v - muscleV[slot], muscleA[slot] + 7, muscleB[slot] + 7) < 1 {
            return true
        }
        return ellipse(u, v - bodyV, bodyA + 6, bodyB + 6) < 1
            || ellipse(abs(u) - quadratusU, v - quadratusV, quadratusA + 6, quadratusB + 6) < 1
            || isInVessel(u: u, v: v, margin: 3)
    }

    /// Bounding box (u, v ranges) of the labelled muscles, for work that only concerns them.
    func labelledMuscleBounds(slot: Int) -> (u: ClosedRange<Double>, v: ClosedRange<Double>) {
        ((muscleU[slot] - muscleA[slot])...(muscleU[slot] + muscleA[slot]),
         (muscleV[slot] - muscleB[slot])...(muscleV[slot] + muscleB[slot]))
    }
}
