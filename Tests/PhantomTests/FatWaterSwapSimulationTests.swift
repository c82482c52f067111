@testable import Phantom
import Testing
import VolumeCore

@Suite struct FatWaterSwapSimulationTests {
    /// Swapped participants in turn: the whole volume, then 3 slices, then 7; water and fat exchanged exactly
    /// there and nowhere else, and the truth lists those slices.
    @Test(arguments: [(0, 12), (1, 3), (2, 7), (3, 12)])
    func swapsExchangeExactlyTheSlicesTheTruthLists(swapIndex: Int, length: Int) throws {
        let original = Fixtures.noisy
        var swapped = original
        FatWaterSwapSimulation.apply(to: &swapped, swapIndex: swapIndex)
        let slices = try #require(swapped.truth.fatWaterSwapSlices)
        #expect(slices.count == length)
        #expect(slices == Array(slices[0]...slices[slices.count - 1]))
        guard case .uint16(let w0) = original.water.storage, case .uint16(let f0) = original.fat.storage,
              case .uint16(let w1) = swapped.water.storage, case .uint16(let f1) = swapped.fat.storage else {
            Issue.record("Dixon images are UInt16"); return
        }
        let d = original.water.dimensions, sliceSize = d.x * d.y
        for z in 0..<d.z {
            let range = (z * sliceSize)..<((z + 1) * sliceSize)
            if slices.contains(z) {
                #expect(Array(w1[range]) == Array(f0[range]) && Array(f1[range]) == Array(w0[range]), "slice \(z)")
            } else {
                #expect(Array(w1[range]) == Array(w0[range]) && Array(f1[range]) == Array(f0[range]), "slice \(z)")
            }
        }
        #expect(original.truth.fatWaterSwapSlices == nil)
    }
}
