import VolumeCore

/// Which voxels of a label map a computation looks at.
public enum LabelSelection: Sendable, Hashable {
    /// Voxels carrying exactly this label value.
    case label(UInt16)
    /// Every voxel with a nonzero label.
    case anyLabel

    @inline(__always)
    public func contains(_ value: UInt16) -> Bool {
        switch self {
        case .label(let wanted): value == wanted
        case .anyLabel: value != 0
        }
    }
}

/// How the range of selected values is divided into bins.
public enum Binning: Sendable, Hashable {
    /// One bin per integer value between min and max when every selected value is an integer and
    /// that needs at most 65,536 bins; otherwise 4,096 equal bins over [min, max].
    case automatic
    /// Exactly this many equal bins over [min, max].
    case count(Int)
}

/// Counts of voxel values in equal-width bins.
///
/// Bin convention: bin `i` covers `[origin + i·binWidth, origin + (i+1)·binWidth)`, the last bin also
/// includes its upper edge, and its centre is `origin + (i + 0.5)·binWidth`.
/// - At integer resolution `origin = min − 0.5` and `binWidth = 1`, so bin `i` holds exactly the value
///   `min + i` and its centre is that value: methods working on centres then see the data exactly.
/// - With an explicit count `origin = min` and `binWidth = (max − min)/count` (NumPy's and
///   scikit-image's convention); a value then sits anywhere in its bin, which adds `binWidth²/12` of
///   rounding variance (Sheppard's correction) that the mixture fits add back.
public struct Histogram: Sendable, Equatable {
    public let origin: Double
    public let binWidth: Double
    public let counts: [Int]
    /// True when every counted value equals its bin centre (integer data at integer resolution).
    public let isExact: Bool
    public let total: Int

    public init(counts: [Int], origin: Double, binWidth: Double, isExact: Bool) {
        precondition(!counts.isEmpty && binWidth > 0, "a histogram needs at least one bin of positive width")
        self.counts = counts
        self.origin = origin
        self.binWidth = binWidth
        self.isExact = isExact
        self.total = counts.reduce(0, +)
    }

    public var binCount: Int { counts.count }

    @inline(__always)
    public func centre(ofBin i: Int) -> Double { origin + (Double(i) + 0.5) * binWidth }

    /// The upper edge of bin `i`: the boundary between bins `i` and `i + 1`.
    @inline(__always)
    public func upperEdge(ofBin i: Int) -> Double { origin + Double(i + 1) * binWidth }

    /// The bin holding `value`, clamped to the histogram's range.
    @inline(__always)
    public func bin(of value: Double) -> Int {
        let i = Int(((value - origin) / binWidth).rounded(.down))
        return min(max(i, 0), counts.count - 1)
    }

    /// Variance a value has around its bin centre: 0 for exact bins, `binWidth²/12` otherwise.
    public var roundingVariance: Double { isExact ? 0 : binWidth * binWidth / 12 }

    /// The smallest bin centre below which at least the fraction `q` of the counts lie.
    public func quantile(_ q: Double) -> Double {
        let target = q * Double(total)
        var running = 0
        for (i, c) in counts.enumerated() {
            running += c
            if Double(running) >= target && running > 0 { return centre(ofBin: i) }
        }
        return centre(ofBin: counts.count - 1)
    }

    /// The counts merged `factor` bins at a time (the last group may be short); never exact afterwards
    /// unless `factor` is 1. Used to keep iterative fits cheap on very fine histograms.
    public func coarsened(by factor: Int) -> Histogram {
        guard factor > 1 else { return self }
        let merged = stride(from: 0, to: counts.count, by: factor).map { counts[$0..<min($0 + factor, counts.count)].reduce(0, +) }
        return Histogram(counts: merged, origin: origin, binWidth: binWidth * Double(factor), isExact: false)
    }
}

extension Histogram {
    static let maximumIntegerBins = 65_536
    static let automaticBins = 4_096

    /// The histogram of `values` at the voxels whose label `selection` accepts.
    ///
    /// Two parallel passes over fixed chunks: the first finds the range (and whether all values are
    /// integers), the second counts per chunk; chunk histograms are merged in chunk order.
    /// - Throws: `sizeMismatch`, `emptyMask` when no voxel is selected, `nonFiniteValue` for NaN or ±∞
    ///   under the mask, `invalidParameter` for a bin count below 1.
    public init(values: [Float], labels: [UInt16], selection: LabelSelection, binning: Binning = .automatic,
                workers: Int = Parallel.defaultWorkers) throws {
        guard labels.count == values.count else {
            throw SegmentationError.sizeMismatch(what: "label map", expected: values.count, actual: labels.count)
        }
        try self.init(values: values, labels: labels as [UInt16]?, selection: selection, binning: binning, workers: workers)
    }

    /// The histogram of every value (as the labelled form with every voxel selected).
    public init(values: [Float], binning: Binning = .automatic, workers: Int = Parallel.defaultWorkers) throws {
        try self.init(values: values, labels: nil, selection: .anyLabel, binning: binning, workers: workers)
    }

    private init(values: [Float], labels: [UInt16]?, selection: LabelSelection, binning: Binning, workers: Int) throws {
        if case .count(let n) = binning, n < 1 { throw SegmentationError.invalidParameter("bin count must be at least 1, got \(n)") }
        let range = try ValueRange(values: values, labels: labels, selection: selection, workers: workers)
        let lowest = Double(range.minimum), highest = Double(range.maximum)
        let origin: Double, width: Double, bins: Int, exact: Bool
        let integerBins = Int(highest - lowest) + 1
        if case .automatic = binning, range.allIntegers, integerBins <= Self.maximumIntegerBins {
            (origin, width, bins, exact) = (lowest - 0.5, 1, integerBins, true)
        } else {
            var n = Self.automaticBins
            if case .count(let wanted) = binning { n = wanted }
            let span = highest - lowest
            (origin, width, bins, exact) = span > 0 ? (lowest, span / Double(n), n, false) : (lowest - 0.5, 1, 1, true)
        }
        let binning = EqualBins(origin: origin, width: width, count: bins)
        let parts = Chunks.map(values.count, workers: workers) { range -> [Int] in
            var local = [Int](repeating: 0, count: bins)
            values.withUnsafeBufferPointer { v in
                local.withUnsafeMutableBufferPointer { counts in
                    forEachSelected(in: range, labels: labels, selection: selection) { i in
                        counts[binning.index(of: Double(v[i]))] += 1
                    }
                }
            }
            return local
        }
        self.init(counts: EqualBins.merged(parts), origin: origin, binWidth: width, isExact: exact)
    }
}

/// Calls `body(i)` for every index in `range` whose label `selection` accepts, or for every index
/// when `labels` is nil. Blocks of 16 zero labels are skipped with one vector compare, since muscle
/// masks cover only a few per cent of a volume.
@inline(__always)
func forEachSelected(in range: Range<Int>, labels: [UInt16]?, selection: LabelSelection, _ body: (Int) -> Void) {
    guard let labels else {
        for i in range { body(i) }
        return
    }
    let skipsZero = !selection.contains(0)
    labels.withUnsafeBufferPointer { l in
        guard let base = l.baseAddress, !range.isEmpty else { return }
        let raw = UnsafeRawPointer(base)
        var i = range.lowerBound
        while i < range.upperBound {
            if skipsZero, i + 16 <= range.upperBound {
                // Four 64-bit words, OR-ed: plain scalar loads the compiler keeps in registers.
                let at = i * MemoryLayout<UInt16>.stride
                let words = raw.loadUnaligned(fromByteOffset: at, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self)
                    | raw.loadUnaligned(fromByteOffset: at + 16, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: at + 24, as: UInt64.self)
                if words == 0 {
                    i += 16
                    continue
                }
            }
            let end = min(i + 16, range.upperBound)
            while i < end {
                if selection.contains(l[i]) { body(i) }
                i += 1
            }
        }
    }
}

/// Minimum, maximum and integrality of the selected values, found in one parallel pass.
struct ValueRange {
    var minimum: Float
    var maximum: Float
    var allIntegers: Bool
    var count: Int

    /// Over every value when `labels` is nil.
    init(values: [Float], labels: [UInt16]?, selection: LabelSelection, workers: Int) throws {
        struct Partial { var lo = Float.infinity, hi = -Float.infinity, integers = true, count = 0, bad: Int? = nil }
        let parts = Chunks.map(values.count, workers: workers) { range -> Partial in
            var p = Partial()
            values.withUnsafeBufferPointer { v in
                forEachSelected(in: range, labels: labels, selection: selection) { i in
                    let x = v[i]
                    guard x.isFinite else { if p.bad == nil { p.bad = i }; return }
                    p.lo = min(p.lo, x)
                    p.hi = max(p.hi, x)
                    if p.integers && x.rounded() != x { p.integers = false }
                    p.count += 1
                }
            }
            return p
        }
        if let bad = parts.lazy.compactMap(\.bad).first { throw SegmentationError.nonFiniteValue(index: bad) }
        count = parts.reduce(0) { $0 + $1.count }
        guard count > 0 else {
            switch (labels, selection) {
            case (nil, _): throw SegmentationError.emptyMask("an empty set of values")
            case (_, .label(let l)): throw SegmentationError.emptyMask("label \(l)")
            case (_, .anyLabel): throw SegmentationError.emptyMask("the mask")
            }
        }
        minimum = parts.map(\.lo).min()!
        maximum = parts.map(\.hi).max()!
        allIntegers = parts.allSatisfy(\.integers)
    }
}
