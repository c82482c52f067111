import VolumeCore

/// Fat–water swaps as Dixon reconstructions make them, for measuring their detection: water and fat exchanged
/// over the whole volume or over a run of slices.
public enum FatWaterSwapSimulation {
    /// The kinds a cohort cycles through, participant by participant: whole, 3 slices, 7 slices.
    public static let runLengths: [Int?] = [nil, 3, 7]

    /// Exchanges water and fat of the participant with `index` among the swapped (0, 1, …): the whole volume or
    /// a run of 3 or 7 slices at a place drawn from the seed, and records the slices in the truth.
    public static func apply(to rendered: inout RenderedParticipant, swapIndex: Int) {
        let depth = rendered.water.dimensions.z
        let slices: [Int]
        if let run = runLengths[swapIndex % runLengths.count], run < depth {
            var stream = RandomStream(seed: rendered.settings.seed, participant: rendered.traits.index, purpose: .swap)
            let first = min(depth - run, Int(stream.uniform() * Double(depth - run + 1)))
            slices = Array(first..<(first + run))
        } else {
            slices = Array(0..<depth)
        }
        guard case .uint16(var water) = rendered.water.storage, case .uint16(var fat) = rendered.fat.storage else {
            preconditionFailure("the phantom writes Dixon images as UInt16")
        }
        exchangeSlices(slices, sliceSize: rendered.water.dimensions.x * rendered.water.dimensions.y, between: &water, and: &fat)
        rendered.water.storage = .uint16(water)
        rendered.fat.storage = .uint16(fat)
        rendered.truth.fatWaterSwapSlices = slices
    }
}
