@testable import Phantom
import Testing
import VolumeCore
import VolumeIO

@Suite struct DeterminismTests {
    static let settings = Fixtures.with(Fixtures.settings) { $0.dimensions = Dimensions(80, 64, 5) }

    @Test func sameSeedGivesIdenticalOutputForAnyThreadCount() {
        let one = LumbarPhantom.render(Self.settings, Fixtures.traits, workers: 1)
        let two = LumbarPhantom.render(Self.settings, Fixtures.traits, workers: 2)
        let three = LumbarPhantom.render(Self.settings, Fixtures.traits, workers: 3)
        for other in [two, three] {
            #expect(one.t1 == other.t1 && one.water == other.water && one.fat == other.fat && one.mask == other.mask)
            #expect(one.fatFraction == other.fatFraction)
            #expect(one.truth == other.truth)
            #expect(ParticipantWriter.scanJSON(one) == ParticipantWriter.scanJSON(other))
        }
    }

    @Test func otherSeedOrParticipantGivesOtherImages() {
        let base = LumbarPhantom.render(Self.settings, Fixtures.traits)
        let reseeded = LumbarPhantom.render(Fixtures.with(Self.settings) { $0.seed = 8 }, Fixtures.traits)
        let other = LumbarPhantom.render(Self.settings, ParticipantTraits.draw(seed: 7, index: 3))
        #expect(base.t1 != reseeded.t1 && base.water != reseeded.water)
        #expect(base.mask != other.mask)
    }

    @Test func traitsAreDrawnReproducibly() {
        #expect(ParticipantTraits.draw(seed: 3, index: 5) == ParticipantTraits.draw(seed: 3, index: 5))
        let cohort = (0..<200).map { ParticipantTraits.draw(seed: 3, index: $0) }
        #expect(Set(cohort.map(\.id)).count == 200 && cohort[0].id == "P0001" && cohort[199].id == "P0200")
        #expect(cohort.allSatisfy { (20...74).contains($0.age) })
        #expect(cohort.allSatisfy { $0.targetFatFraction.values.allSatisfy { (0.035...0.35).contains($0) } })
        #expect(Set(cohort.map(\.sex)).count == 2 && Set(cohort.map(\.activityGroup)).count == 3)
    }
}
