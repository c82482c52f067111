/// A volume's physical values read as Float a range at a time: passes over a whole image (noise in the air,
/// the swap check, gathering the muscles) without a Float copy of it beside the stored values, which for
/// 16-bit images would triple the memory they take.
public struct ImageValues: Sendable {
    public private(set) var storage: VoxelStorage
    public private(set) var scaling: IntensityScaling

    public init(_ volume: Volume) {
        storage = volume.storage
        scaling = volume.scaling
    }

    public init(_ values: [Float]) {
        storage = .float32(values)
        scaling = .identity
    }

    public var count: Int { storage.count }

    /// Values `range` into `target` (which holds `range.count`), converted as `Volume.floatValues()` does.
    public func copy(_ range: Range<Int>, into target: UnsafeMutableBufferPointer<Float>) {
        precondition(target.count >= range.count, "the target holds fewer values than the range")
        func convert<T>(_ values: [T], _ float: (T) -> Float, _ double: (T) -> Double) {
            values.withUnsafeBufferPointer { source in
                if scaling.isIdentity {
                    for n in 0..<range.count { target[n] = float(source[range.lowerBound + n]) }
                } else {
                    let (slope, intercept) = (scaling.slope, scaling.intercept)
                    for n in 0..<range.count { target[n] = Float(double(source[range.lowerBound + n]) * slope + intercept) }
                }
            }
        }
        // Closures, not `Float.init`: an unapplied initializer reference can resolve to init(bitPattern:).
        switch storage {
        case .uint8(let a): convert(a, { Float($0) }, { Double($0) })
        case .int8(let a): convert(a, { Float($0) }, { Double($0) })
        case .int16(let a): convert(a, { Float($0) }, { Double($0) })
        case .uint16(let a): convert(a, { Float($0) }, { Double($0) })
        case .int32(let a): convert(a, { Float($0) }, { Double($0) })
        case .uint32(let a): convert(a, { Float($0) }, { Double($0) })
        case .float32(let a): convert(a, { $0 }, { Double($0) })
        case .float64(let a): convert(a, { Float($0) }, { $0 })
        }
    }

    /// Values `range` as a new array.
    public func values(_ range: Range<Int>) -> [Float] {
        [Float](unsafeUninitializedCapacity: range.count) { buffer, initialized in
            copy(range, into: buffer)
            initialized = range.count
        }
    }

    /// The value of voxel `i`.
    public func value(at i: Int) -> Float {
        var value: Float = 0
        withUnsafeMutablePointer(to: &value) { copy(i..<(i + 1), into: UnsafeMutableBufferPointer(start: $0, count: 1)) }
        return value
    }

    /// Exchanges the given slices (along the third axis, `sliceSize` values each) with `other`'s: how a Dixon
    /// fat–water swap is simulated and undone. Images stored alike are exchanged in place; otherwise both
    /// become Float32 first (the values the analysis reads), so no value is narrowed into the other's type.
    public mutating func exchangeSlices(_ slices: [Int], sliceSize: Int, with other: inout ImageValues) {
        precondition(count == other.count, "the images differ in size")
        func inPlace<T>(_ extract: (VoxelStorage) -> [T]?, _ wrap: ([T]) -> VoxelStorage) -> Bool {
            guard scaling == other.scaling, var a = extract(storage), var b = extract(other.storage) else { return false }
            // Released first, so that the arrays are unique and change without a copy.
            (storage, other.storage) = (.uint8([]), .uint8([]))
            VolumeCore.exchangeSlices(slices, sliceSize: sliceSize, between: &a, and: &b)
            (storage, other.storage) = (wrap(a), wrap(b))
            return true
        }
        if inPlace({ if case .uint16(let a) = $0 { a } else { nil } }, { .uint16($0) })
            || inPlace({ if case .int16(let a) = $0 { a } else { nil } }, { .int16($0) })
            || inPlace({ if case .float32(let a) = $0 { a } else { nil } }, { .float32($0) }) { return }
        var (a, b) = (values(0..<count), other.values(0..<other.count))
        VolumeCore.exchangeSlices(slices, sliceSize: sliceSize, between: &a, and: &b)
        (self, other) = (ImageValues(a), ImageValues(b))
    }
}
