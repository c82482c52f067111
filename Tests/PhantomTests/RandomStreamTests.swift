import Foundation
@testable import Phantom
import Testing

@Suite struct RandomStreamTests {
    @Test func portableLogAndExpAgreeWithTheSystemLibrary() {
        var x = 1e-300
        while x < 1e300 {
            #expect(abs(PortableMath.log(x) - Foundation.log(x)) <= 4e-16 * max(1, abs(Foundation.log(x))))
            x *= 1.37
        }
        for y in stride(from: -700.0, through: 700, by: 0.731) {
            #expect(abs(PortableMath.exp(y) / Foundation.exp(y) - 1) < 1e-14)
        }
    }

    @Test func normalDrawsHaveUnitVarianceAndAreUncorrelated() {
        var stream = RandomStream(seed: 1, participant: 0, purpose: .t1Noise)
        var sum = 0.0, sumSquares = 0.0, sumFourth = 0.0, product = 0.0
        let pairs = 200_000
        for _ in 0..<pairs {
            let (a, b) = stream.normalPair()
            sum += a + b
            sumSquares += a * a + b * b
            sumFourth += a * a * a * a + b * b * b * b
            product += a * b
        }
        let n = Double(2 * pairs)
        #expect(abs(sum / n) < 0.01)
        #expect(abs(sumSquares / n - 1) < 0.01)
        #expect(abs(sumFourth / n - 3) < 0.05)
        #expect(abs(product / Double(pairs)) < 0.01)
    }

    @Test func streamsDependOnEveryPartOfTheirKey() {
        func first(_ stream: RandomStream) -> UInt64 {
            var copy = stream
            return copy.next()
        }
        let base = first(RandomStream(seed: 1, participant: 2, purpose: .t1Noise, slice: 3))
        #expect(base == first(RandomStream(seed: 1, participant: 2, purpose: .t1Noise, slice: 3)))
        #expect(base != first(RandomStream(seed: 2, participant: 2, purpose: .t1Noise, slice: 3)))
        #expect(base != first(RandomStream(seed: 1, participant: 3, purpose: .t1Noise, slice: 3)))
        #expect(base != first(RandomStream(seed: 1, participant: 2, purpose: .waterNoise, slice: 3)))
        #expect(base != first(RandomStream(seed: 1, participant: 2, purpose: .t1Noise, slice: 4)))
    }

    @Test func valueNoiseIsSmoothAndBounded() {
        var stream = RandomStream(seed: 1, participant: 0, purpose: .texture)
        let noise = ValueNoise(&stream)
        var low = Double.infinity, high = -Double.infinity, largestStep = 0.0
        func along(_ n: Int) -> Double {
            let x = -50 + Double(n) * 0.005
            return noise.value(x, 3.3 + 0.1 * x, 7.1)
        }
        var previous = along(0)
        for n in 1...20_000 {
            let value = along(n)
            low = min(low, value)
            high = max(high, value)
            largestStep = max(largestStep, abs(value - previous))
            previous = value
        }
        #expect(low >= -1 && high <= 1 && high - low > 1)
        #expect(largestStep < 0.05)
    }
}
