import Dispatch
import Foundation

/// Data-parallel loops over independent chunks, on Dispatch.
///
/// Work is split into chunks whose boundaries depend only on the problem size, never on the number
/// of threads, so every result that is combined chunk by chunk in index order is bit-identical
/// whatever `workers` is.
public enum Parallel {
    /// The default number of workers: `IMAT_THREADS` if set, else the active processor count.
    public static var defaultWorkers: Int {
        if let text = ProcessInfo.processInfo.environment["IMAT_THREADS"], let n = Int(text), n > 0 { return n }
        return ProcessInfo.processInfo.activeProcessorCount
    }

    /// Calls `body(chunk)` once for every chunk in `0..<chunks`, on up to `workers` threads.
    public static func forEach(_ chunks: Int, workers: Int = defaultWorkers, _ body: (Int) -> Void) {
        guard chunks > 0 else { return }
        let lanes = max(1, min(workers, chunks))
        if lanes == 1 {
            for c in 0..<chunks { body(c) }
            return
        }
        withoutActuallyEscaping(body) { body in
            // Chunks touch disjoint data by contract, so handing the closure to other threads is safe.
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                var c = lane
                while c < chunks {
                    shared.value(c)
                    c += lanes
                }
            }
        }
    }

    /// Maps each chunk to a value in parallel and returns the values in chunk order.
    public static func map<T>(_ chunks: Int, workers: Int = defaultWorkers, _ body: (Int) -> T) -> [T] {
        var results = [T?](repeating: nil, count: chunks)
        results.withUnsafeMutableBufferPointer { out in
            let out = UnsafeSendableBuffer(out)
            forEach(chunks, workers: workers) { c in out.base[c] = body(c) }
        }
        return results.map { $0! }
    }

    /// Like `map(_:workers:_:)` for chunks of unequal cost: the costliest first, each to the lane with the
    /// least cost so far (longest-processing-time scheduling), so one large chunk does not run last alone.
    /// The lanes are planned from `costs` alone; each result still lands at its chunk's index.
    public static func map<T>(_ chunks: Int, costs: [Int], workers: Int = defaultWorkers, _ body: (Int) -> T) -> [T] {
        precondition(costs.count == chunks, "one cost per chunk")
        let lanes = max(1, min(workers, chunks))
        var plan = [[Int]](repeating: [], count: lanes), load = [Int](repeating: 0, count: lanes)
        for c in (0..<chunks).sorted(by: { costs[$0] == costs[$1] ? $0 < $1 : costs[$0] > costs[$1] }) {
            let lane = load.indices.min { load[$0] == load[$1] ? $0 < $1 : load[$0] < load[$1] }!
            plan[lane].append(c)
            load[lane] += costs[c]
        }
        var results = [T?](repeating: nil, count: chunks)
        results.withUnsafeMutableBufferPointer { out in
            let out = UnsafeSendableBuffer(out)
            forEach(lanes, workers: lanes) { lane in for c in plan[lane] { out.base[c] = body(c) } }
        }
        return results.map { $0! }
    }

    /// Splits `0..<count` into ranges of about `chunkSize` elements (fixed by `count` alone).
    public static func ranges(_ count: Int, chunkSize: Int) -> [Range<Int>] {
        guard count > 0 else { return [] }
        let size = max(1, chunkSize)
        return stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
    }
}

/// A buffer pointer handed to parallel chunks that each write disjoint elements.
public struct UnsafeSendableBuffer<Element>: @unchecked Sendable {
    public let base: UnsafeMutableBufferPointer<Element>
    public init(_ base: UnsafeMutableBufferPointer<Element>) { self.base = base }
}

struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
