import Foundation
import Segmentation
import VolumeCore

/// The vertebral level of each slice along the third axis: a slice that cuts vertebra Lk is level `Lk` (the
/// vertebra with most voxels in it where it cuts two), and the slices between two vertebrae are their disc level
/// (`L4-L5`). Slices above the highest or below the lowest vertebra have no level.
public struct VertebralLevels: Sendable, Equatable {
    public struct Level: Sendable, Equatable {
        /// `L4`, `L4-L5`, `S1`, `sacrum`.
        public var name: String
        /// Position down the spine (`Vertebra.rank`; a disc halfway between its vertebrae).
        public var order: Double
        /// Slice indices along the third axis, ascending.
        public var slices: [Int]

        static func downTheSpine(_ a: Level, _ b: Level) -> Bool { a.order == b.order ? a.name < b.name : a.order < b.order }
    }

    /// Down the spine, the most superior first.
    public var levels: [Level]
    /// Where the levels came from (the vertebra file and its table, or scan.json).
    public var source: String
    /// How slices were given their level.
    public var rule: String
    /// Plausibility problems, each a QC warning.
    public var warnings: [String]

    static let segmentationRule = "a slice cutting a vertebra is its level (the vertebra with most voxels in the slice where it cuts two); slices between two vertebrae are their disc level"

    /// The levels a vertebra segmentation on the mask's grid gives.
    /// `alsoHoldsOtherStructures`: the file is a whole-body segmentation (the mask itself, say), so labels that are no
    /// vertebra are expected there and not reported.
    static func segmented(_ labels: [UInt16], dimensions: Dimensions, affine: Affine, table: VertebraTable, source: String,
                          alsoHoldsOtherStructures: Bool = false, workers: Int) throws -> VertebralLevels {
        var warnings: [String] = []
        let third = affine.orientationCode.dropFirst(2).first
        guard third == "S" || third == "I" else {
            return VertebralLevels(levels: [], source: source, rule: segmentationRule, warnings: ["vertebral levels need slices across the spine, and the third voxel axis runs along it: no levels"])
        }
        let sliceSize = dimensions.x * dimensions.y
        // Voxels per label and slice, each slice counted alone.
        let perSlice = Parallel.map(dimensions.z, workers: workers) { z -> [Int: Int] in
            var counts: [Int: Int] = [:]
            for i in (z * sliceSize)..<((z + 1) * sliceSize) where labels[i] != 0 { counts[Int(labels[i]), default: 0] += 1 }
            return counts
        }
        let present = Set(perSlice.flatMap(\.keys))
        let strangers = present.filter { table.vertebrae[$0] == nil }.sorted()
        if !strangers.isEmpty, !alsoHoldsOtherStructures {
            let listed = strangers.prefix(8).map(String.init).joined(separator: ", ") + (strangers.count > 8 ? ", …" : "")
            warnings.append("vertebrae: \(strangers.count) label\(strangers.count == 1 ? " is" : "s are") no vertebra in the \(table.name) table and \(strangers.count == 1 ? "was" : "were") ignored (\(listed))")
        }
        let ids = present.filter { table.vertebrae[$0] != nil }.sorted()
        guard !ids.isEmpty else {
            return VertebralLevels(levels: [], source: source, rule: segmentationRule, warnings: warnings + ["vertebrae: no label the \(table.name) table names as a vertebra: no levels"])
        }
        // The spine's superior end is where the third axis points when its letter is S.
        let upwards = third == "S"
        func height(_ z: Int) -> Double { upwards ? Double(z) : -Double(z) }

        // Voxels per vertebra and slice (a table may give one vertebra several ids).
        let perVertebra = perSlice.map { counts in
            ids.reduce(into: [Vertebra: Int]()) { sums, id in if let n = counts[id] { sums[table.vertebrae[id]!, default: 0] += n } }
        }
        // The most voxels wins; a tie goes to the more superior vertebra.
        let sliceVertebra = perVertebra.map { counts in
            counts.max { $0.value == $1.value ? $1.key < $0.key : $0.value < $1.value }?.key
        }
        var levelOf = [String: (order: Double, slices: [Int])]()
        let cut = sliceVertebra.indices.filter { sliceVertebra[$0] != nil }
        for z in 0..<dimensions.z {
            let name: String, order: Double
            if let vertebra = sliceVertebra[z] {
                (name, order) = (vertebra.description, vertebra.levelOrder)
            } else {
                guard let below = cut.last(where: { $0 < z }), let above = cut.first(where: { $0 > z }) else { continue }
                let (a, b) = (sliceVertebra[below]!, sliceVertebra[above]!)
                if a == b || a.levelName == b.levelName {
                    // Within one vertebra, or between S1 and the rest of the sacrum: no disc.
                    let inside = max(a, b)
                    (name, order) = (inside.description, inside.levelOrder)
                } else {
                    let (upper, lower) = a < b ? (a, b) : (b, a)
                    (name, order) = ("\(upper.levelName)-\(lower.levelName)", (upper.rank + lower.rank) / 2)
                }
            }
            levelOf[name, default: (order, [])].slices.append(z)
        }
        let unsorted: [Level] = levelOf.map { entry in Level(name: entry.key, order: entry.value.order, slices: entry.value.slices) }
        let levels = unsorted.sorted(by: Level.downTheSpine)

        // Plausibility, down the spine.
        var voxels = [Vertebra: Int](), weightedHeight = [Vertebra: Double]()
        for z in 0..<dimensions.z {
            for (vertebra, n) in perVertebra[z] {
                voxels[vertebra, default: 0] += n
                weightedHeight[vertebra, default: 0] += Double(n) * height(z)
            }
        }
        let order = voxels.keys.sorted()
        for (upper, lower) in zip(order, order.dropFirst()) where !(upper.levelName == "S1" && lower.isWholeSacrum) {
            let (u, l) = (weightedHeight[upper]! / Double(voxels[upper]!), weightedHeight[lower]! / Double(voxels[lower]!))
            guard u <= l else { continue }
            warnings.append(lower.region == .sacral && upper.region == .lumbar
                ? "vertebrae: the \(lower) lies above \(upper) (levels out of order along the spine)"
                : "vertebrae: \(upper) lies below \(lower) (levels out of order along the spine)")
        }
        let ranks = Set(order.map(\.rank))
        if let top = ranks.min(), let bottom = ranks.max(), top < bottom {
            for rank in stride(from: top.rounded(.up), through: bottom, by: 1) where !ranks.contains(rank) {
                let missing = Vertebra.named(rank: rank)
                let neighbours = (order.last { $0.rank < rank }!, order.first { $0.rank > rank }!)
                warnings.append("vertebrae: \(missing) is missing between \(neighbours.0) and \(neighbours.1)")
            }
        }
        let boxes = boundingBoxes(of: Set(ids.map(UInt16.init)), in: labels, dimensions: dimensions)
        for id in ids {
            let pieces = try pieces(of: UInt16(id), within: boxes[UInt16(id)]!, in: labels, dimensions: dimensions)
            if pieces.count > 1 {
                warnings.append("vertebrae: \(table.vertebrae[id]!) (label \(id)) is in \(pieces.count) pieces (\(pieces.map(String.init).joined(separator: ", ")) voxels)")
            }
        }
        return VertebralLevels(levels: levels, source: source, rule: segmentationRule, warnings: warnings)
    }

    /// Each label's bounding box (lowest and highest voxel index per axis), in one pass over the volume.
    static func boundingBoxes(of wanted: Set<UInt16>, in labels: [UInt16], dimensions d: Dimensions) -> [UInt16: (low: SIMD3<Int>, high: SIMD3<Int>)] {
        var boxes: [UInt16: (low: SIMD3<Int>, high: SIMD3<Int>)] = [:]
        for k in 0..<d.z { for j in 0..<d.y { for i in 0..<d.x {
            let label = labels[d.index(i, j, k)]
            guard label != 0, wanted.contains(label) else { continue }
            let p = SIMD3(i, j, k)
            let box = boxes[label] ?? (p, p)
            boxes[label] = (pointwiseMin(box.low, p), pointwiseMax(box.high, p))
        } } }
        return boxes
    }

    /// The sizes of a label's 26-connected pieces of at least 5 % of its voxels (and 10 voxels), largest first;
    /// smaller specks, which segmenters leave, are not counted.
    static func pieces(of label: UInt16, within bounds: (low: SIMD3<Int>, high: SIMD3<Int>), in labels: [UInt16], dimensions d: Dimensions) throws -> [Int] {
        let (low, high) = bounds
        let box = Dimensions(high.x - low.x + 1, high.y - low.y + 1, high.z - low.z + 1)
        var mask = [Bool](repeating: false, count: box.voxelCount)
        for k in 0..<box.z { for j in 0..<box.y { for i in 0..<box.x {
            mask[box.index(i, j, k)] = labels[d.index(low.x + i, low.y + j, low.z + k)] == label
        } } }
        let sizes = try ConnectedComponents(mask, dimensions: box).sizes
        let total = sizes.reduce(0, +)
        return sizes.filter { $0 >= max(10, total / 20) }.sorted(by: >)
    }

    /// The levels scan.json's `levels` lists: `{"L4": [first, last], "L4-L5": [first, last], …}`, 0-based slices
    /// along the third axis, inclusive, not overlapping.
    static func listed(_ value: Any, depth: Int, path: String) throws -> VertebralLevels {
        guard let entries = value as? [String: Any], !entries.isEmpty else {
            throw IMATError(path, "levels must map level names (L4, L4-L5) to [first, last] slice ranges")
        }
        var levels: [Level] = []
        for (name, range) in entries.sorted(by: { $0.key < $1.key }) {
            let parts = name.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let vertebrae = parts.compactMap { Vertebra(labelName: $0) }.sorted()
            guard (1...2).contains(parts.count), vertebrae.count == parts.count, vertebrae.count == 1 || vertebrae[0].levelName != vertebrae[1].levelName else {
                throw IMATError(path, "levels: \"\(name)\" is no vertebral level (L4, T12, S1, sacrum) or disc between two vertebrae (L4-L5)")
            }
            // The name as levels from a segmentation spell it, so a cohort's tables group alike.
            let level = vertebrae.count == 1 ? vertebrae[0].description : "\(vertebrae[0].levelName)-\(vertebrae[1].levelName)"
            // scan.json's numbers arrive as Double.
            func slice(_ x: Any) -> Int? { (x as? Double).flatMap { $0 == $0.rounded() && abs($0) < 1e9 ? Int($0) : nil } }
            guard let pair = range as? [Any], pair.count == 2, let first = slice(pair[0]), let last = slice(pair[1]),
                  0 <= first, first <= last, last < depth else {
                throw IMATError(path, "levels: \"\(name)\" must be [first, last] with 0 ≤ first ≤ last < \(depth) (slices along the third axis)")
            }
            guard !levels.contains(where: { $0.name == level }) else { throw IMATError(path, "levels: \(level) is listed twice") }
            let order = vertebrae.count == 1 ? vertebrae[0].levelOrder : (vertebrae[0].rank + vertebrae[1].rank) / 2
            levels.append(Level(name: level, order: order, slices: Array(first...last)))
        }
        levels.sort(by: Level.downTheSpine)
        for (a, b) in levels.indices.flatMap({ i in levels.indices.filter { $0 > i }.map { (levels[i], levels[$0]) } })
        where !Set(a.slices).isDisjoint(with: b.slices) {
            throw IMATError(path, "levels: \(a.name) and \(b.name) share slice \(Set(a.slices).intersection(b.slices).min()!)")
        }
        return VertebralLevels(levels: levels, source: "scan.json", rule: "slice ranges listed in scan.json's levels", warnings: [])
    }
}

extension Vertebra {
    /// Where its level sorts: its rank, the whole sacrum just below S1.
    var levelOrder: Double { rank + (isWholeSacrum ? 0.1 : 0) }

    /// The vertebra at a whole rank (1 = C1 … 24 = L5, 25 = S1).
    static func named(rank: Double) -> Vertebra {
        let r = Int(rank)
        let name = r <= 7 ? "C\(r)" : r <= 19 ? "T\(r - 7)" : r <= 24 ? "L\(r - 19)" : "S1"
        return Vertebra(labelName: name)!
    }
}
