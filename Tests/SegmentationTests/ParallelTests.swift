import Testing
import VolumeCore

@Suite struct ParallelTests {
    /// Costliest-first scheduling moves chunks between threads, never results between indices.
    @Test(arguments: [1, 2, 3, 8])
    func costedMapKeepsEachResultAtItsChunk(workers: Int) {
        let costs = [5, 1, 1, 40, 3, 3, 0, 17, 2]
        let results = Parallel.map(costs.count, costs: costs, workers: workers) { c in c * 10 + costs[c] }
        #expect(results == costs.indices.map { $0 * 10 + costs[$0] })
        #expect(Parallel.map(0, costs: [], workers: workers) { $0 }.isEmpty)
    }
}
