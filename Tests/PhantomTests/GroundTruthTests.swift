@testable import Phantom
import Testing
import VolumeCore
import VolumeIO

@Suite struct GroundTruthTests {
    /// Recomputes every truth.json number from the mask and the fat-fraction map.
    @Test func truthAgreesWithTheMaskAndFatFractionMap() throws {
        let rendered = Fixtures.noisy
        guard case .uint8(let labels) = rendered.mask.storage else { Issue.record("mask is not uint8"); return }
        let voxelML = 4.0 * 4 * 4 / 1000
        var allVoxels = 0, allFat = 0.0, allHard = 0
        for muscle in Muscle.allCases {
            let values = zip(labels, rendered.fatFraction).filter { Int($0.0) == muscle.label }.map { Double($0.1) }
            let region = try #require(rendered.truth.region(muscle))
            #expect(region.name == muscle.name)
            #expect(region.voxels == values.count && values.count > 100)
            #expect(abs(region.volumeML - Double(values.count) * voxelML) < 1e-9)
            #expect(abs(region.fatML - values.reduce(0, +) * voxelML) < 1e-9)
            #expect(abs(try #require(region.fatFractionMean) - mean(values)) < 1e-9)
            let hard = values.filter { $0 > 0.5 }.count
            #expect(abs(try #require(region.imatFractionHard) - Double(hard) / Double(values.count)) < 1e-12)
            allVoxels += values.count
            allFat += values.reduce(0, +)
            allHard += hard
        }
        let total = rendered.truth.total
        #expect(total.label == nil && total.voxels == allVoxels)
        #expect(abs(total.fatML - allFat * voxelML) < 1e-9)
        #expect(abs(try #require(total.fatFractionMean) - allFat / Double(allVoxels)) < 1e-9)
        #expect(abs(try #require(total.imatFractionHard) - Double(allHard) / Double(allVoxels)) < 1e-12)
    }

    /// The marbling calibration hits each muscle's target to within 0.002 when the target lies above the
    /// fat that partial volume at the muscle's boundary brings in (on this 4 mm grid about 0.02 for the
    /// back muscles and 0.06 for the small psoas).
    @Test(arguments: [[0.05, 0.08, 0.08, 0.10], [0.25, 0.18, 0.12, 0.30]])
    func targetFatFractionIsHit(targets: [Double]) throws {
        let truth = render(targets: targets)
        for (muscle, target) in zip(Muscle.allCases, targets) {
            let measured = try #require(truth.region(muscle)?.fatFractionMean)
            #expect(abs(measured - target) < 0.002, "\(muscle.name): \(measured) for target \(target)")
        }
    }

    /// A target below that floor is missed upwards: the muscle gets no marbling at all.
    @Test func targetBelowThePartialVolumeFloorGivesNoMarbling() throws {
        let truth = render(targets: [0, 0, 0, 0])
        for muscle in Muscle.allCases {
            let region = try #require(truth.region(muscle))
            #expect(try #require(region.fatFractionMean) > 0.005)
            #expect(try #require(region.imatFractionHard) < 0.05)
        }
    }

    private func render(targets: [Double]) -> GroundTruth {
        var traits = Fixtures.traits
        for (muscle, target) in zip(Muscle.allCases, targets) { traits.targetFatFraction[muscle] = target }
        let settings = Fixtures.with(Fixtures.settings) { $0.snr = nil; $0.dimensions.z = 6 }
        return LumbarPhantom.render(settings, traits).truth
    }

    @Test func emptyMuscleHasNoMeans() {
        let truth = GroundTruth.measure(participant: "P", labels: [0, 44, 44], fatFraction: [1, 0.25, 0.75], voxelVolumeML: 2)
        #expect(truth.region(.autochthonLeft)?.fatFractionMean == 0.5)
        #expect(truth.region(.autochthonLeft)?.imatFractionHard == 0.5)
        #expect(truth.region(.autochthonLeft)?.fatML == 2)
        #expect(truth.region(.iliopsoasLeft)?.voxels == 0)
        #expect(truth.region(.iliopsoasLeft)?.fatFractionMean == nil)
        #expect(truth.total.voxels == 2)
    }
}
