@testable import Phantom
import Testing
import VolumeCore
import VolumeIO

@Suite struct AnatomyTests {
    let rendered = Fixtures.clean

    @Test func maskHoldsExactlyTheFourMuscleLabels() throws {
        guard case .uint8(let labels) = rendered.mask.storage else { Issue.record("mask is not uint8"); return }
        #expect(Set(labels) == [0, 44, 45, 46, 47])
    }

    /// Patient left is image +x (affine diag(−sx, −sy, sz)); posterior is +y.
    @Test func leftMusclesLieAtHigherXAndBackMusclesBehindPsoas() throws {
        guard case .uint8(let labels) = rendered.mask.storage else { Issue.record("mask is not uint8"); return }
        let d = rendered.mask.dimensions
        var sumX = [Int: Double](), sumY = [Int: Double](), count = [Int: Double]()
        for k in 0..<d.z {
            for j in 0..<d.y {
                for i in 0..<d.x {
                    let label = Int(labels[d.index(i, j, k)])
                    guard label != 0 else { continue }
                    sumX[label, default: 0] += Double(i)
                    sumY[label, default: 0] += Double(j)
                    count[label, default: 0] += 1
                }
            }
        }
        func centre(_ m: Muscle) -> (x: Double, y: Double) { (sumX[m.label]! / count[m.label]!, sumY[m.label]! / count[m.label]!) }
        let middle = Double(d.x - 1) / 2
        #expect(centre(.autochthonLeft).x > middle && centre(.autochthonRight).x < middle)
        #expect(centre(.iliopsoasLeft).x > middle && centre(.iliopsoasRight).x < middle)
        #expect(centre(.autochthonLeft).y > centre(.iliopsoasLeft).y)
        #expect(rendered.mask.affine.orientationCode == "LPS")
    }

    @Test func boundaryVoxelsHoldPartialVolume() throws {
        guard case .uint8(let labels) = rendered.mask.storage else { Issue.record("mask is not uint8"); return }
        let muscle = zip(labels, rendered.fatFraction).filter { $0.0 != 0 }.map(\.1)
        let partial = muscle.filter { $0 > 0 && $0 < 1 }
        #expect(partial.count > muscle.count / 20)
        // A mixed muscle–fat voxel's T1w signal lies between lean muscle and fat in proportion.
        // Mixed voxels next to other tissue (bone, organs) are the exception.
        let t1 = rendered.t1.doubleValues()
        var mixed = 0, twoCompartment = 0
        for n in labels.indices where labels[n] != 0 && rendered.fatFraction[n] > 0.2 && rendered.fatFraction[n] < 0.8 {
            let f = Double(rendered.fatFraction[n])
            mixed += 1
            if abs(t1[n] - ((1 - f) * SignalTable.leanT1 + f * SignalTable.fatT1)) <= 0.5 { twoCompartment += 1 }
        }
        #expect(mixed > 100 && Double(twoCompartment) > 0.8 * Double(mixed))
    }

    @Test func psoasGrowsFromL1ToL5() {
        let settings = PhantomSettings(dimensions: Dimensions(8, 8, 8), spacing: SIMD3(1, 1, 1))
        let anatomy = Anatomy(traits: Fixtures.traits, settings: settings)
        let top = anatomy.section(atZ: anatomy.zTop), bottom = anatomy.section(atZ: anatomy.zTop - Anatomy.segmentLength)
        let slot = Muscle.iliopsoasLeft.slot
        #expect(bottom.muscleA[slot] * bottom.muscleB[slot] > 5 * top.muscleA[slot] * top.muscleB[slot])
    }
}
