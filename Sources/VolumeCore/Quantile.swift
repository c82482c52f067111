/// The q-quantile of ascending `sorted` values, linearly interpolated between order statistics (Hyndman & Fan
/// 1996, type 7: R's and NumPy's default); NaN for no values.
public func quantile(sorted: [Double], _ q: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let position = q * Double(sorted.count - 1)
    let lower = Int(position), upper = min(lower + 1, sorted.count - 1)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
}
