import Foundation

/// Round tick values covering [low, high], about `count` intervals: the step is m·10ᵏ for the
/// smallest multiple m in `multiples` (or 10) not below (high − low)/count. Each tick is a whole
/// number of steps, so accumulated rounding never shows in a label.
package func roundTicks(_ low: Double, _ high: Double, count: Int, multiples: [Double] = [1, 2, 5]) -> [Double] {
    guard high > low, count > 0 else { return [low] }
    let raw = (high - low) / Double(count)
    let magnitude = pow(10, floor(log10(raw)))
    let step = (multiples + [10]).map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
    var ticks: [Double] = []
    var tick = (low / step).rounded(.up) * step
    while tick <= high + step * 1e-9 {
        ticks.append(abs(tick) < step * 1e-9 ? 0 : (tick / step).rounded() * step)
        tick += step
    }
    return ticks
}
