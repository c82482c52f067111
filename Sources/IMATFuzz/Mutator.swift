import Phantom

/// Deterministic byte mutations in the manner of libFuzzer's and AFL's havoc stage: bit flips, interesting
/// values (0, −1, limits, powers of two) written as 1-, 2- and 4-byte integers in either byte order,
/// truncation, duplication and deletion of chunks, and splices with another seed.
struct Mutator {
    /// The phantom's SplitMix64 stream: the same sequence on every machine.
    private var random: RandomStream

    init(seed: UInt64) { random = RandomStream([seed]) }

    mutating func next() -> UInt64 { random.next() }

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : random.index(below: n) }

    private static let interesting: [UInt32] = [0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000,
                                               0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 348, 352, 540, 544]

    /// 1 to 8 stacked mutations of `input`; `focus` bytes at the start (a header) get half of them.
    mutating func mutate(_ input: [UInt8], splicing other: [UInt8], focus: Int) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + below(8)) {
            if bytes.isEmpty { bytes = [UInt8(truncatingIfNeeded: next())] }
            let span = focus > 0 && below(2) == 0 ? min(focus, bytes.count) : bytes.count
            let at = below(span)
            switch below(9) {
            case 0: bytes[at] ^= UInt8(1) << UInt8(below(8))
            case 1: bytes[at] = UInt8(truncatingIfNeeded: next())
            case 2, 3:
                let value = Self.interesting[below(Self.interesting.count)]
                let width = [1, 2, 4][below(3)]
                let bigEndian = below(2) == 0
                for b in 0..<width where at + b < bytes.count {
                    let shift = bigEndian ? (width - 1 - b) * 8 : b * 8
                    bytes[at + b] = UInt8(truncatingIfNeeded: value >> UInt32(shift))
                }
            case 4: bytes.removeSubrange(min(at, bytes.count)..<bytes.count)  // truncation
            case 5:
                let length = min(1 + below(64), bytes.count - at)
                bytes.insert(contentsOf: bytes[at..<(at + length)], at: below(bytes.count))
            case 6:
                let length = min(1 + below(64), bytes.count - at)
                bytes.removeSubrange(at..<(at + length))
            case 7 where !other.isEmpty:
                let from = below(other.count), length = min(1 + below(256), other.count - from)
                let end = min(at + length, bytes.count)
                bytes.replaceSubrange(at..<end, with: other[from..<(from + length)])
            default:
                let value = UInt8(truncatingIfNeeded: [0, 0xFF, 0x7F, 0x80][below(4)])
                bytes[at] = value
            }
        }
        return bytes
    }
}
