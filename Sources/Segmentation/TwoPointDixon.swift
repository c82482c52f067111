import VolumeCore

/// Water and fat from in-phase and opposed-phase magnitudes (two-point Dixon; Dixon, Radiology 1984):
/// IP = W + F and OP = |W − F|, so {W, F} = {(IP + OP)/2, (IP − OP)/2} up to which tissue dominates. That
/// choice is where fat–water swaps come from, and it is made here by anatomy rather than per voxel at random:
///
/// - the lean reference is the median in-phase signal of near-pure voxels (OP/IP > 0.8) inside the muscles,
///   which are lean for the most part;
/// - the fat reference is the median of near-pure voxels outside the muscles brighter than 1.25 × the lean
///   reference (subcutaneous and intermuscular fat are brighter than muscle in the T1-weighted gradient echoes
///   two-point protocols use);
/// - each voxel takes the dominant tissue whose mixture of the two references predicts its in-phase signal;
/// - without a fat reference (too few bright near-pure voxels), every voxel is taken as water-dominant, so a
///   voxel with more fat than water reads as its complement; the result says so.
public enum TwoPointDixon {
    /// A near-pure voxel (OP/IP above this) is nearly all water or nearly all fat.
    static let purityRatio: Float = 0.8
    /// Fat must be this much brighter than lean muscle in phase to tell the two apart by signal.
    static let separation: Double = 1.25
    /// Near-pure bright voxels needed to measure the fat reference.
    static let minimumReferenceVoxels = 100

    public struct Result: Sendable {
        public var water: [Float]
        public var fat: [Float]
        /// Median in-phase signal of near-pure muscle voxels.
        public var leanReference: Double
        /// Median in-phase signal of near-pure fat; nil when there was none to measure.
        public var fatReference: Double?
        /// Per muscle label: its voxels, and those taken as fat-dominant.
        public var fatDominant: [UInt16: (voxels: Int, fatDominant: Int)]
    }

    public static func separate(inPhase: [Float], opposedPhase: [Float], labels: [UInt16]) -> Result {
        precondition(inPhase.count == opposedPhase.count && inPhase.count == labels.count)
        func ratio(_ k: Int) -> Float { inPhase[k] > 0 ? min(max(opposedPhase[k], 0) / inPhase[k], 1) : 1 }
        var pureByLabel: [UInt16: [Double]] = [:]
        for k in labels.indices where labels[k] != 0 && ratio(k) > purityRatio { pureByLabel[labels[k], default: []].append(Double(inPhase[k])) }
        let pureMuscle = pureByLabel.values.flatMap { $0 }
        let lean = median(pureMuscle.isEmpty ? labels.indices.filter { labels[$0] != 0 }.map { Double(inPhase[$0]) } : pureMuscle)
        // Each muscle's own lean signal: coil sensitivity makes muscles near the coil brighter than others.
        let leanByLabel = pureByLabel.mapValues(median)
        let brightPure = labels.indices.filter { labels[$0] == 0 && ratio($0) > purityRatio && Double(inPhase[$0]) > separation * lean }
            .map { Double(inPhase[$0]) }
        let fatReference = brightPure.count >= minimumReferenceVoxels ? median(brightPure) : nil

        var water = [Float](repeating: 0, count: inPhase.count), fat = water
        var counts: [UInt16: (voxels: Int, fatDominant: Int)] = [:]
        for k in inPhase.indices {
            let ip = max(inPhase[k], 0)
            // Noise can make OP exceed IP; the smaller tissue is then nothing.
            let op = min(max(opposedPhase[k], 0), ip)
            let major = (ip + op) / 2, minor = (ip - op) / 2
            var fatDominant = false
            if let fatReference, ip > 0 {
                let lean = leanByLabel[labels[k]] ?? lean
                let minorShare = Double(minor / ip)
                let ifWater = lean * (1 - minorShare) + fatReference * minorShare
                let ifFat = fatReference * (1 - minorShare) + lean * minorShare
                fatDominant = abs(Double(ip) - ifFat) < abs(Double(ip) - ifWater)
            }
            (water[k], fat[k]) = fatDominant ? (minor, major) : (major, minor)
            if labels[k] != 0 {
                let count = counts[labels[k], default: (0, 0)]
                counts[labels[k]] = (count.voxels + 1, count.fatDominant + (fatDominant ? 1 : 0))
            }
        }
        return Result(water: water, fat: fat, leanReference: lean, fatReference: fatReference, fatDominant: counts)
    }

    private static func median(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : quantile(sorted: values.sorted(), 0.5)
    }
}
