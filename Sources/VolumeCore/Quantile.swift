/// The q-quantile of ascending `sorted` values, linearly interpolated between order statistics (Hyndman & Fan
/// 1996, type 7: R's and NumPy's default); NaN for no values.
public func quantile(sorted: [Double], _ q: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let position = q * Double(sorted.count - 1)
    let lower = Int(position), upper = min(lower + 1, sorted.count - 1)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
}

/// The same q-quantile as `quantile(sorted:_:)` of unordered `values`, found by selection in expected linear time
/// instead of a sort; `values` is left reordered.
public func quantile(reordering values: inout [Double], _ q: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let position = q * Double(values.count - 1)
    let lower = Int(position)
    return values.withUnsafeMutableBufferPointer { v in
        let low = selectOrderStatistic(lower, in: v)
        guard lower + 1 < v.count else { return low }
        // After selection everything past `lower` is ≥ it, so the next order statistic is their minimum.
        let high = v[(lower + 1)...].min()!
        return low + (high - low) * (position - Double(lower))
    }
}

/// Moves the k-th smallest value (0-based) to index k, smaller ones before it and larger ones after, by
/// quickselect with a three-way partition (many equal values, such as contrasts of exactly ±1, stay linear).
private func selectOrderStatistic(_ k: Int, in v: UnsafeMutableBufferPointer<Double>) -> Double {
    var (start, end) = (0, v.count)
    while end - start > 1 {
        let (a, b, c) = (v[start], v[start + (end - start) / 2], v[end - 1])
        let pivot = max(min(a, b), min(max(a, b), c))
        // [start, less) < pivot, [less, i) == pivot, [greater, end) > pivot.
        var (less, i, greater) = (start, start, end)
        while i < greater {
            if v[i] < pivot { v.swapAt(i, less); less += 1; i += 1 }
            else if v[i] > pivot { greater -= 1; v.swapAt(i, greater) }
            else { i += 1 }
        }
        if k < less { end = less } else if k >= greater { start = greater } else { return pivot }
    }
    return v[k]
}
