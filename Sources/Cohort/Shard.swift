import Foundation

/// A stable share of a cohort: shard `index` of `count` takes the participants at positions
/// index, index + count, index + 2·count, … of the sorted participant IDs, so the split never depends on
/// the order a file system lists folders in, and the shards' sizes differ by one at most.
public struct Shard: Hashable, Sendable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public static let whole = Shard(index: 0, count: 1)

    public init(index: Int, count: Int) {
        precondition(count > 0 && index >= 0 && index < count, "shard \(index)/\(count)")
        self.index = index
        self.count = count
    }

    /// Parses `I/N` (0 ≤ I < N).
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n > 0, i >= 0, i < n else { return nil }
        self.init(index: i, count: n)
    }

    /// The shard a SLURM array task stands for (SLURM_ARRAY_TASK_ID of SLURM_ARRAY_TASK_COUNT, counted
    /// from SLURM_ARRAY_TASK_MIN), or nil outside an array job.
    public static func fromSlurm(_ environment: [String: String]) -> Shard? {
        guard let id = environment["SLURM_ARRAY_TASK_ID"].flatMap(Int.init),
              let count = environment["SLURM_ARRAY_TASK_COUNT"].flatMap(Int.init), count > 0 else { return nil }
        let first = environment["SLURM_ARRAY_TASK_MIN"].flatMap(Int.init) ?? 0
        let index = id - first
        guard index >= 0, index < count else { return nil }
        return Shard(index: index, count: count)
    }

    /// This shard's share of `ids`, in sorted order.
    public func select(_ ids: [String]) -> [String] {
        ids.sorted().enumerated().filter { $0.offset % count == index }.map(\.element)
    }

    public var description: String { "\(index)/\(count)" }
}
