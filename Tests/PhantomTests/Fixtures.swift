@testable import Phantom
import VolumeCore
import VolumeIO

/// Small renders shared by the tests (each made once): one participant on a coarse 4 mm grid, noisy
/// and biased, and the same participant noise-free with and without the bias field.
enum Fixtures {
    static let settings = PhantomSettings(dimensions: Dimensions(96, 80, 12), spacing: SIMD3(4, 4, 4),
                                          snr: 20, inu: 0.4, seed: 7)
    static let traits = ParticipantTraits.draw(seed: 7, index: 2)

    static let noisy = LumbarPhantom.render(settings, traits)
    static let cleanBiased = LumbarPhantom.render(with(settings) { $0.snr = nil }, traits)
    static let clean = LumbarPhantom.render(with(settings) { $0.snr = nil; $0.inu = 0 }, traits)

    static func with<T>(_ value: T, _ change: (inout T) -> Void) -> T {
        var copy = value
        change(&copy)
        return copy
    }
}

func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }

func standardDeviation(_ x: [Double]) -> Double {
    let m = mean(x)
    return (x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(x.count - 1)).squareRoot()
}
